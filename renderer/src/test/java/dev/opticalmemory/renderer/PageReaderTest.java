package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PageReaderTest {
  /** The memory's chain: LARGE as drawn, BASE black and white, SMALL and TINY 16 gray levels. */
  static final List<PageReader.Step> CHAIN = List.of(
      new PageReader.Step(1280, PageEncoding.GRAY8_PNG),
      new PageReader.Step(1024, PageEncoding.BILEVEL_CONTEXT),
      new PageReader.Step(640, PageEncoding.GRAY16_PNG),
      new PageReader.Step(512, PageEncoding.GRAY16_PNG));

  private static final String TEXT = """
      Mara: The 07:45 ferry to Gull Island was cancelled again, so I took the bus at 8:10 instead.
      Jonas: Did you keep the receipt? The office refunds 100% of the fare (up to $12.50) if you file it by Friday.
      Mara: Yes, it's in my bag - next to the blue notebook with the locker code, 4417, written on page 3.
      Jonas: Great! Remember: "quiet hours" start at 22:00; the porter, Mr. Lindqvist, asked twice.
      Mara: I'll be back by 9 p.m. Could you water the ferns, feed Milo & check the #2 heater?
      Jonas: Sure. Also, the invoice [ref. A-1193/B] says {paid}; ask Priya whether it's *really* settled.
      Mara: Will do... and thanks for the café tip: their crème brûlée was worth the 20-minute walk.
      """;

  /** The page drawn at 1280 px and each later step as the memory stores it. */
  static Map<Integer, BufferedImage> chainOf(BufferedImage large) {
    Map<Integer, BufferedImage> images = new LinkedHashMap<>();
    images.put(1280, large);
    BufferedImage above = large;
    for (PageReader.Step step : CHAIN.subList(1, CHAIN.size())) {
      above = PageImages.decode(PageImages.encode(
          PageImages.downscale(above, step.pixels(), step.pixels()), step.encoding()));
      images.put(step.pixels(), above);
    }
    return images;
  }

  private static List<Float> tops(PageLayout page) {
    return page.lines().stream().map(LineLayout::top).toList();
  }

  /** The words of {@code truth} found in order in {@code read}, as a share of the truth's words. */
  static double wordsKept(String read, String truth) {
    String[] a = read.split("\\s+");
    String[] b = truth.split("\\s+");
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = 1; i <= a.length; i++) {
      for (int j = 1; j <= b.length; j++) {
        lcs[i][j] = a[i - 1].equals(b[j - 1]) ? lcs[i - 1][j - 1] + 1
            : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
      }
    }
    return (double) lcs[a.length][b.length] / b.length;
  }

  @Test
  void every_line_of_a_page_is_read_back_at_each_step_of_the_memorys_chain() {
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build();
    PageRenderer renderer = PageRenderer.java2d(spec);
    PageLayout page = renderer.layout(List.of(Turn.plain(TEXT.repeat(3)))).get(0);
    Map<Integer, BufferedImage> images = chainOf(renderer.render(page).image());
    Set<String> words = new HashSet<>(Arrays.asList(page.text().split("[^A-Za-z']+")));
    PageReader reader = PageReader.of(spec, CHAIN, words::contains);
    images.forEach((pixels, image) -> {
      List<Optional<String>> read = reader.read(image, tops(page));
      assertThat(read).as("%d px", pixels).hasSize(page.lines().size()).allMatch(Optional::isPresent);
      String text = String.join("\n", read.stream().map(Optional::get).toList());
      assertThat(wordsKept(text, page.text())).as("%d px: %s", pixels, text)
          .isGreaterThanOrEqualTo(pixels >= 1024 ? 1.0 : 0.99);
    });
  }

  @Test
  void a_line_in_another_script_is_left_unread_for_an_ocr_engine_and_its_neighbours_are_read() {
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.defaults()).build();
    PageRenderer renderer = PageRenderer.java2d(spec);
    String text = """
        Plain English comes first on this page.
        中文的句子在这里，我们测试：русский.
        Это русский текст на кириллице.
        Greek αβγ δεζ letters.
        And plain English comes last.
        """;
    PageLayout page = renderer.layout(List.of(Turn.plain(text))).get(0);
    Map<Integer, BufferedImage> images = chainOf(renderer.render(page).image());
    PageReader reader = PageReader.of(spec, CHAIN);
    images.forEach((pixels, image) -> {
      List<Optional<String>> read = reader.read(image, tops(page));
      assertThat(read.get(0)).as("%d px", pixels).contains("Plain English comes first on this page.");
      assertThat(read.subList(1, 4)).as("%d px", pixels).allMatch(Optional::isEmpty);
      assertThat(read.get(4)).as("%d px", pixels).contains("And plain English comes last.");
    });
  }

  @Test
  void a_character_no_font_has_is_read_as_the_replacement_character_or_left_to_an_ocr_engine() {
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build();
    PageRenderer renderer = PageRenderer.java2d(spec);
    PageLayout page = renderer.layout(List.of(Turn.plain("Stars \uD83C\uDF1F for you"))).get(0);
    Map<Integer, BufferedImage> images = chainOf(renderer.render(page).image());
    PageReader reader = PageReader.of(spec, CHAIN);
    assertThat(reader.read(images.get(1280), tops(page)))
        .containsExactly(Optional.of("Stars \uFFFD for you"));
    // Smaller, the box's edges fall between pixels differently from a glyph's: where it does not
    // fit well enough the line is left unread, never read as another character.
    images.forEach((pixels, image) -> assertThat(reader.read(image, tops(page))).as("%d px", pixels)
        .containsAnyOf(Optional.of("Stars \uFFFD for you"), Optional.empty()));
  }

  @Test
  void a_blank_line_reads_as_empty_text_and_an_image_of_another_size_is_not_read() {
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build();
    PageRenderer renderer = PageRenderer.java2d(spec);
    PageLayout page = renderer.layout(List.of(Turn.plain("First line.\n\nThird line."))).get(0);
    BufferedImage large = renderer.render(page).image();
    PageReader reader = PageReader.of(spec, CHAIN);
    assertThat(reader.read(large, tops(page))).containsExactly(
        Optional.of("First line."), Optional.of(""), Optional.of("Third line."));
    BufferedImage other = PageImages.downscale(large, 700, 700);
    assertThat(reader.read(other, tops(page))).hasSize(3).allMatch(Optional::isEmpty);
    assertThat(reader.read(large, List.of())).isEmpty();
  }

  @Test
  void words_told_apart_only_by_a_capital_i_or_a_small_l_are_chosen_by_the_word_list() {
    BarLetters reader = new BarLetters(
        Set.of("It", "family", "felt", "I", "I'm", "Ill", "ill")::contains);
    assertThat(reader.words("lt was a famiIy, and l feIt fine. l'm \"Ilsa\" Ill"))
        .isEqualTo("It was a family, and I felt fine. I'm \"Ilsa\" Ill");
  }

  @Test
  void quantising_a_pixel_gives_what_storing_and_reading_the_page_give() {
    BufferedImage image = new BufferedImage(64, 4, BufferedImage.TYPE_BYTE_GRAY);
    Random random = new Random(7);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 64; x++) {
        image.getRaster().setSample(x, y, 0, y == 0 ? x * 4 + 1 : random.nextInt(256));
      }
    }
    for (PageEncoding encoding : PageEncoding.values()) {
      BufferedImage stored = PageImages.toGray(PageImages.decode(PageImages.encode(image, encoding)));
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 64; x++) {
          int v = image.getRaster().getSample(x, y, 0);
          assertThat(PageImages.quantise(v, encoding)).as("%s of %d", encoding, v)
              .isEqualTo(stored.getRaster().getSample(x, y, 0));
        }
      }
    }
  }

  @Test
  void a_chain_that_is_empty_or_does_not_shrink_is_refused_with_its_sizes() {
    RenderSpec spec = RenderSpec.forMode(VisionMode.LARGE);
    assertThatThrownBy(() -> PageReader.of(spec, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chain must have at least one step, but is empty");
    assertThatThrownBy(() -> PageReader.of(spec, List.of(
        new PageReader.Step(1280, PageEncoding.GRAY8_PNG),
        new PageReader.Step(1280, PageEncoding.GRAY16_PNG))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chain must get smaller step by step, but step 1 is 1280 px after 1280 px");
    assertThatThrownBy(() -> new PageReader.Step(0, PageEncoding.GRAY8_PNG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pixels must be positive, but is: 0");
    assertThatThrownBy(() -> PageReader.of(spec, CHAIN, null))
        .isInstanceOf(NullPointerException.class).hasMessage("knownWords must not be null");
  }

  @Test
  void threads_reading_pages_at_once_read_what_one_thread_reads() throws Exception {
    RenderSpec spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build();
    PageRenderer renderer = PageRenderer.java2d(spec);
    PageLayout page = renderer.layout(List.of(Turn.plain(TEXT))).get(0);
    Map<Integer, BufferedImage> images = chainOf(renderer.render(page).image());
    List<Optional<String>> alone = PageReader.of(spec, CHAIN).read(images.get(512), tops(page));
    PageReader shared = PageReader.of(spec, CHAIN);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Optional<String>>>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> shared.read(images.get(512), tops(page))));
      }
      for (Future<List<Optional<String>>> future : futures) {
        assertThat(future.get()).isEqualTo(alone);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
