package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageImagesTest {
  @Test
  void a_png_size_is_read_from_its_first_24_bytes_and_other_bytes_give_none() throws Exception {
    byte[] png = PageImages.encodePng(new BufferedImage(640, 400, BufferedImage.TYPE_BYTE_GRAY));
    assertThat(PageImages.isPng(png)).isTrue();
    assertThat(PageImages.pngSize(java.util.Arrays.copyOf(png, 24))).containsExactly(640, 400);
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new BufferedImage(640, 400, BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
    assertThat(PageImages.isPng(jpeg.toByteArray())).isFalse();
    assertThat(PageImages.pngSize(jpeg.toByteArray())).isNull();
    assertThat(PageImages.pngSize(java.util.Arrays.copyOf(png, 23))).as("too short").isNull();
    assertThat(PageImages.isPng(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).as("signature cut").isFalse();
    byte[] zeroWidth = java.util.Arrays.copyOf(png, 24);
    java.util.Arrays.fill(zeroWidth, 16, 20, (byte) 0);
    assertThat(PageImages.pngSize(zeroWidth)).isNull();
  }


  @Test
  void area_averaging_turns_a_fine_checkerboard_into_even_gray() {
    BufferedImage board = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        board.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? 0 : 255);
      }
    }
    BufferedImage half = PageImages.downscale(board, 50, 50);
    for (int y = 0; y < 50; y++) {
      for (int x = 0; x < 50; x++) {
        assertThat(half.getRaster().getSample(x, y, 0)).isBetween(127, 128);
      }
    }
  }

  @Test
  void area_averaging_weights_partial_pixels_by_coverage() {
    BufferedImage strip = new BufferedImage(5, 1, BufferedImage.TYPE_BYTE_GRAY);
    int[] values = {0, 255, 255, 255, 0};
    for (int x = 0; x < 5; x++) {
      strip.getRaster().setSample(x, 0, 0, values[x]);
    }
    BufferedImage out = PageImages.downscale(strip, 2, 1);
    // Output pixel 0 covers source [0, 2.5): (0 + 255 + 0.5 * 255) / 2.5 = 153.
    assertThat(out.getRaster().getSample(0, 0, 0)).isEqualTo(153);
    assertThat(out.getRaster().getSample(1, 0, 0)).isEqualTo(153);
  }

  @Test
  void a_thin_stroke_survives_downscaling_as_gray() {
    BufferedImage line = new BufferedImage(1280, 1280, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = line.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 1280, 1280);
    g.setColor(Color.BLACK);
    g.fillRect(0, 641, 1280, 1);
    g.dispose();
    BufferedImage tiny = PageImages.downscale(line, VisionMode.TINY);
    int darkest = 255;
    for (int y = 0; y < 512; y++) {
      darkest = Math.min(darkest, tiny.getRaster().getSample(10, y, 0));
    }
    assertThat(darkest).isLessThan(200);
  }

  @Test
  void downscale_keeps_the_aspect_ratio_and_refuses_to_upscale() {
    BufferedImage page = new BufferedImage(1280, 960, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage base = PageImages.downscale(page, VisionMode.BASE);
    assertThat(base.getWidth()).isEqualTo(1024);
    assertThat(base.getHeight()).isEqualTo(768);
    assertThatThrownBy(() -> PageImages.downscale(page, 2000, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target size must be between 1x1 and the source size 1280x960, but is: 2000x10");
  }

  @Test
  void a_sub_image_is_downscaled_from_its_own_pixels() {
    BufferedImage big = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = big.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(100, 0, 100, 100);
    g.dispose();
    BufferedImage right = big.getSubimage(100, 0, 100, 100);
    BufferedImage out = PageImages.downscale(right, 10, 10);
    assertThat(out.getRaster().getSample(0, 0, 0)).isEqualTo(255);
  }

  @Test
  void pngs_are_grayscale_without_alpha_and_decode_to_the_same_pixels() {
    PageRenderer renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.SMALL).fonts(FontSet.latinOnly()).build());
    RenderedPage page = renderer.renderAll(List.of(Turn.of("Alice", "Hello there, Bob."))).get(0);
    byte[] png = page.toPng();
    // IHDR: bit depth at byte 24, colour type at byte 25 (0 = grayscale, no alpha).
    assertThat(png[24]).isEqualTo((byte) 8);
    assertThat(png[25]).isEqualTo((byte) 0);
    BufferedImage back = PageImages.toGray(PageImages.decode(png));
    assertThat((byte[]) back.getRaster().getDataElements(0, 0, 640, 640, null))
        .isEqualTo((byte[]) page.image().getRaster().getDataElements(0, 0, 640, 640, null));
  }

  @Test
  void alpha_images_are_flattened_onto_white() {
    BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(1, 1, 0xFF000000);
    BufferedImage gray = PageImages.toGray(argb);
    assertThat(gray.getRaster().getSample(0, 0, 0)).isEqualTo(255);
    assertThat(gray.getRaster().getSample(1, 1, 0)).isEqualTo(0);
  }

  @Test
  void bytes_that_are_not_an_image_are_refused_with_their_size() {
    assertThatThrownBy(() -> PageImages.decode("not an image".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes are not a readable image (12 bytes, no ImageIO reader knows them)");
  }

  @Test
  void each_storage_encoding_decodes_to_its_quantised_levels_and_the_compact_ones_are_smaller() {
    PageRenderer renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build());
    String text = "The ferry left at 07:15 with 212 passengers. Locker 14 holds the blue rucksack. ".repeat(40);
    BufferedImage base = PageImages.toGray(PageImages.downscale(
        renderer.render(renderer.layout(java.util.List.of(Turn.plain(text))).get(0)).image(), VisionMode.BASE));
    byte[] gray8 = PageImages.encode(base, PageEncoding.GRAY8_PNG);
    byte[] gray4 = PageImages.encode(base, PageEncoding.GRAY4_PNG);
    byte[] g4 = PageImages.encode(base, PageEncoding.BILEVEL_G4);
    assertThat(g4.length).isLessThan(gray4.length);
    assertThat(gray4.length).isLessThan(gray8.length);
    assertThat(new String(g4, 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).isIn("II", "MM");

    BufferedImage fromG4 = PageImages.toGray(PageImages.decode(g4));
    BufferedImage fromGray4 = PageImages.toGray(PageImages.decode(gray4));
    assertThat(fromG4.getWidth()).isEqualTo(1024);
    java.util.Set<Integer> bilevels = new java.util.TreeSet<>();
    java.util.Set<Integer> fourLevels = new java.util.TreeSet<>();
    for (int y = 0; y < 1024; y += 3) {
      for (int x = 0; x < 1024; x += 3) {
        int v = base.getRaster().getSample(x, y, 0);
        int b = fromG4.getRaster().getSample(x, y, 0);
        int f = fromGray4.getRaster().getSample(x, y, 0);
        bilevels.add(b);
        fourLevels.add(f);
        assertThat(b).isEqualTo(v > PageImages.BILEVEL_THRESHOLD ? 255 : 0);
        assertThat(Math.abs(f - v)).isLessThanOrEqualTo(43);
      }
    }
    assertThat(bilevels).containsExactly(0, 255);
    assertThat(fourLevels).containsExactly(0, 85, 170, 255);

    byte[] gray16 = PageImages.encode(base, PageEncoding.GRAY16_PNG);
    assertThat(gray16.length).isBetween(gray4.length, gray8.length);
    BufferedImage fromGray16 = PageImages.toGray(PageImages.decode(gray16));
    for (int y = 0; y < 1024; y += 3) {
      for (int x = 0; x < 1024; x += 3) {
        int v = base.getRaster().getSample(x, y, 0);
        int g = fromGray16.getRaster().getSample(x, y, 0);
        assertThat(g % 17).isZero();
        assertThat(Math.abs(g - v)).isLessThanOrEqualTo(9);
      }
    }
  }

  private static LineLayout line(int index, float top, float height) {
    return new LineLayout(index, 0, 0, 0, "", 0, 0f, top, 100f, height, top + height);
  }

  @Test
  void a_line_strip_stacks_runs_of_consecutive_lines_cut_from_a_page_at_any_size() {
    // A 200-pixel-high page drawn at half size: each "line" is a band of its own gray level.
    BufferedImage page = new BufferedImage(50, 100, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 50; x++) {
        page.getRaster().setSample(x, y, 0, y / 10 * 20);
      }
    }
    // Lines 2 and 3 are one run, line 7 another: two bands, framed by gaps a line high (10 px).
    BufferedImage strip = PageImages.lineStrip(page, 200f,
        List.of(line(7, 140, 20), line(2, 40, 20), line(3, 60, 20)));
    int gap = 10;
    int firstBand = (int) Math.ceil((60 + 20 + 2) / 2.0) - (int) Math.floor((40 - 2) / 2.0);
    int secondBand = (int) Math.ceil((140 + 20 + 2) / 2.0) - (int) Math.floor((140 - 2) / 2.0);
    assertThat(strip.getWidth()).isEqualTo(50);
    assertThat(strip.getHeight()).isEqualTo(gap + firstBand + gap + secondBand + gap);
    assertThat(strip.getRaster().getSample(5, 0, 0)).as("white above").isEqualTo(255);
    assertThat(strip.getRaster().getSample(5, gap, 0)).as("first band from page row 19")
        .isEqualTo(page.getRaster().getSample(5, 19, 0));
    assertThat(strip.getRaster().getSample(5, gap + firstBand + gap, 0))
        .as("second band from page row 69").isEqualTo(page.getRaster().getSample(5, 69, 0));
    assertThatThrownBy(() -> PageImages.lineStrip(page, 200f, List.of()))
        .hasMessage("lines must name at least one line, but is: []");
  }
}
