package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PageLabelTest {
  private static final String TEXT = """
      Mara: The 07:45 ferry to Gull Island was cancelled again, so I took the bus at 8:10 instead.
      Jonas: Did you keep the receipt? The office refunds 100% of the fare (up to $12.50) by Friday.
      Mara: Yes, it's in my bag, next to the blue notebook with the locker code, 4417, on page 3.
      """;

  private static RenderedPage draw(RenderSpec spec) {
    PageRenderer renderer = PageRenderer.java2d(spec);
    return renderer.render(renderer.layout(List.of(Turn.plain(TEXT))).get(0));
  }

  @ParameterizedTest
  @EnumSource(VisionMode.class)
  void a_page_drawn_at_any_mode_carries_its_layout_in_its_png_and_is_read_back_word_for_word(
      VisionMode mode) {
    RenderSpec spec = RenderSpec.builder().mode(mode).build();
    RenderedPage page = draw(spec);
    byte[] png = PageLabel.of(spec, page).toPng(page.image());

    PageLabel label = PageLabel.fromPng(png).orElseThrow();
    assertThat(label.spec().width()).isEqualTo(spec.width());
    assertThat(label.spec().fontSize()).isEqualTo(spec.fontSize());
    assertThat(label.spec().margin()).isEqualTo(spec.margin());
    assertThat(label.chain()).containsExactly(
        new PageReader.Step(mode.pixels(), PageEncoding.GRAY8_PNG));
    assertThat(label.lineTops())
        .isEqualTo(page.layout().lines().stream().map(LineLayout::top).toList());
    List<Optional<String>> read = label.reader(word -> false)
        .read(PageImages.decode(png), label.lineTops());
    assertThat(read).map(line -> line.orElse("(unread)"))
        .isEqualTo(page.layout().lines().stream().map(LineLayout::text).toList());
  }

  @Test
  void the_label_changes_no_pixel_of_the_page() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.BASE);
    RenderedPage page = draw(spec);
    BufferedImage plain = PageImages.decode(page.toPng());
    BufferedImage labelled = PageImages.decode(PageLabel.of(spec, page).toPng(page.image()));
    assertThat(labelled.getRaster().getDataElements(0, 0, plain.getWidth(), plain.getHeight(), null))
        .isEqualTo(plain.getRaster().getDataElements(0, 0, plain.getWidth(), plain.getHeight(),
            null));
    assertThat(PageLabel.fromPng(page.toPng())).isEmpty();
  }

  @Test
  void bytes_that_are_not_a_png_carry_no_label() {
    assertThat(PageLabel.fromPng(new byte[0])).isEmpty();
    assertThat(PageLabel.fromPng("plain text".getBytes(StandardCharsets.UTF_8))).isEmpty();
    RenderedPage page = draw(RenderSpec.forMode(VisionMode.TINY));
    assertThat(PageLabel.fromPng(PageImages.encode(page.image(), PageEncoding.BILEVEL_CONTEXT)))
        .isEmpty();
  }

  @Test
  void a_png_cut_short_carries_no_label_and_cannot_be_given_one() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.SMALL);
    RenderedPage page = draw(spec);
    PageLabel label = PageLabel.of(spec, page);
    byte[] cut = java.util.Arrays.copyOf(page.toPng(), 20);
    assertThat(PageLabel.fromPng(cut)).isEmpty();
    assertThatThrownBy(() -> label.addTo(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the PNG is damaged: a chunk at byte 8 of 13 bytes runs past its end (20 bytes)");
    assertThatThrownBy(() -> label.addTo("plain text".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes are not a PNG (10 bytes)");
  }

  @Test
  void labelling_a_stored_png_keeps_its_bytes_and_replaces_a_label_it_had() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.BASE);
    RenderedPage page = draw(spec);
    byte[] plain = page.toPng();
    PageLabel label = PageLabel.of(spec, page);
    byte[] labelled = label.addTo(plain);
    assertThat(labelled.length).isEqualTo(plain.length + 12 + PageLabel.PNG_KEYWORD.length() + 1
        + label.encode().length());
    assertThat(java.util.Arrays.copyOfRange(labelled, labelled.length - 100, labelled.length))
        .isEqualTo(java.util.Arrays.copyOfRange(plain, plain.length - 100, plain.length));

    PageLabel other = new PageLabel(spec, List.of(new PageReader.Step(1024, PageEncoding.GRAY16_PNG)),
        page.layout());
    byte[] relabelled = other.addTo(labelled);
    assertThat(relabelled.length).as("one label, the new one")
        .isEqualTo(labelled.length - label.encode().length() + other.encode().length());
    assertThat(PageLabel.fromPng(relabelled).orElseThrow().chain()).isEqualTo(other.chain());
    // ImageIO reads the chunk as a PNG text entry: it is well formed, CRC included.
    assertThat(PageImages.decode(relabelled).getWidth()).isEqualTo(1024);
  }

  @Test
  void the_label_text_reads_back_as_it_was_written() {
    RenderSpec spec = RenderSpec.builder().pageSize(800, 600).fontSize(11.5f).lineSpacing(1.4f)
        .margin(20).tabSize(8).build();
    RenderedPage page = draw(spec);
    PageLabel label = new PageLabel(spec, List.of(new PageReader.Step(800, PageEncoding.GRAY8_PNG),
        new PageReader.Step(400, PageEncoding.GRAY16_PNG)), page.layout());

    PageLabel back = PageLabel.parse(label.encode());
    assertThat(back.encode()).isEqualTo(label.encode());
    assertThat(back.spec().lineSpacing()).isEqualTo(1.4f);
    assertThat(back.spec().tabSize()).isEqualTo(8);
    assertThat(back.chain()).isEqualTo(label.chain());
    assertThat(back.layout().lines()).hasSameSizeAs(page.layout().lines());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "v=2 page=1024x1024 | page label version must be 1, but is: '2'",
      "page=1024x1024 margin=16 | version must be 1, but is: missing",
      "v=1 page=1024xabc margin=16 font=16.0 spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines= | field page cannot be read: '1024xabc'",
      "v=1 page=1024x1024 margin=16 font=big spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines= | field font cannot be read: 'big'",
      "v=1 page=1024x1024 margin=16 font=16.0 spacing=1.2 tab=4 lines= | field chain cannot be read: '' (the field chain is missing)",
      "v=1 page=1024x1024 margin=16 font=16.0 spacing=1.2 tab=4 chain=1024:JPEG lines= | field chain cannot be read: '1024:JPEG'",
      "v=1 page=1024x1024 margin=16 font=16.0 spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines=10.0+20.0,2000.0+20.0 | band '2000.0+20.0' is outside the page",
      "v=1 page=1024x1024 margin=16 font=16.0 spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines=10.0 | band '10.0' is not TOP+HEIGHT",
      "v=1 page=1024x1024 margin=900 font=16.0 spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines= | fields page, margin, font, spacing and tab cannot be read: 'page=1024x1024 margin=900 font=16.0 spacing=1.2 tab=4' (margin must be at least 0",
      "v=1 page=1024x1024 margin | page label field is not name=value: 'margin'",
      "v=1 page=1024x1024 margin=16 font=16.0 spacing=1.2 tab=4 chain=1024:GRAY8_PNG,2048:GRAY8_PNG lines= | chain must get smaller step by step, but is: [1024 px, 2048 px]"})
  void a_damaged_label_is_refused_naming_the_field_and_the_value(String text, String message) {
    assertThatThrownBy(() -> PageLabel.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void a_page_drawn_with_a_users_font_cannot_be_labelled() {
    Optional<java.nio.file.Path> cjk = FontSet.findCjkFont();
    assumeThat(cjk).as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)")
        .isPresent();
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.BASE)
        .fonts(FontSet.builder().addFile(cjk.get()).build()).build();
    assertThat(PageLabel.describable(spec)).isFalse();
    RenderedPage page = draw(spec);
    assertThatThrownBy(() -> PageLabel.of(spec, page))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first font must be the bundled Latin font")
        .hasMessageContaining(cjk.get().toString());
  }

  @Test
  void an_image_fits_its_label_only_at_a_size_of_the_chain() {
    RenderSpec spec = RenderSpec.builder().pageSize(800, 600).build();
    RenderedPage page = draw(spec);
    PageLabel label = new PageLabel(spec, List.of(new PageReader.Step(800, PageEncoding.GRAY8_PNG),
        new PageReader.Step(400, PageEncoding.GRAY16_PNG)), page.layout());
    assertThat(label.fits(page.image())).isTrue();
    assertThat(label.fits(PageImages.downscale(page.image(), 400, 300))).isTrue();
    assertThat(label.fits(PageImages.downscale(page.image(), 640, 480))).as("scaled").isFalse();
    assertThat(label.fits(page.image().getSubimage(0, 0, 800, 500))).as("cropped").isFalse();
  }

  @Test
  void a_label_chunk_of_megabytes_is_refused_before_it_is_parsed() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.TINY);
    RenderedPage page = draw(spec);
    byte[] png = page.toPng();
    String huge = "v=1 lines=" + "1.0+1.0,".repeat(300_000);
    byte[] text = (PageLabel.PNG_KEYWORD + "\0" + huge).getBytes(StandardCharsets.ISO_8859_1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(png, 0, 33); // signature and header
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(text.length).array());
    out.writeBytes("tEXt".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(text);
    out.writeBytes(new byte[4]); // CRC: the size is refused first
    out.write(png, 33, png.length - 33);
    assertThatThrownBy(() -> PageLabel.fromPng(out.toByteArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("page label is " + text.length + " bytes, more than 131072");
  }

  @Test
  void a_label_whose_bytes_were_changed_is_refused_by_its_crc() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.BASE);
    RenderedPage page = draw(spec);
    byte[] png = PageLabel.of(spec, page).toPng(page.image());
    String text = new String(png, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("lines=") + 6; // the first band's top: "16.0" becomes "96.0"
    png[at] = '9';
    assertThatThrownBy(() -> PageLabel.fromPng(png))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("page label's chunk is damaged: CRC ");
  }
}
