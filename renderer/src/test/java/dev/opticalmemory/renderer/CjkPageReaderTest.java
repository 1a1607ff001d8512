package dev.opticalmemory.renderer;

import static dev.opticalmemory.renderer.PageReaderTest.CHAIN;
import static dev.opticalmemory.renderer.PageReaderTest.chainOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page reader on CJK lines of the memory's own pages, at every step of the memory's chain.
 * The texts in {@code cjk/} are the ones the reader's choices were tuned on; the figures in the
 * docs come from texts kept out of the repository.
 */
class CjkPageReaderTest {
  private static RenderSpec spec;
  private static PageRenderer renderer;
  /** One reader for the class: its pictures of the CJK font take seconds per step to draw. */
  private static PageReader reader;

  @BeforeAll
  static void cjkFont() {
    FontSet fonts = FontSet.defaults();
    assumeTrue(fonts.coversCjk(),
        "no CJK font found: install fonts-noto-cjk or set -D" + FontSet.CJK_FONT_PROPERTY);
    spec = RenderSpec.builder().mode(VisionMode.LARGE).fonts(fonts).build();
    renderer = PageRenderer.java2d(spec);
    reader = PageReader.of(spec, CHAIN);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CjkPageReaderTest.class.getResourceAsStream("/cjk/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Reads every line of the page of {@code turns} at each step; gives what differs, per step. */
  private static void assertReadAsWritten(List<Turn> turns) {
    PageLayout page = renderer.layout(turns).get(0);
    List<Float> tops = page.lines().stream().map(LineLayout::top).toList();
    List<Optional<String>> written =
        page.lines().stream().map(l -> Optional.of(l.text())).toList();
    Map<Integer, BufferedImage> images = chainOf(renderer.render(page).image());
    images.forEach((pixels, image) ->
        assertThat(reader.read(image, tops)).as("%d px", pixels).isEqualTo(written));
  }

  @Test
  void chinese_japanese_and_korean_lines_are_read_back_as_written_at_every_step()
      throws IOException {
    assertReadAsWritten(List.of(Turn.of("李明", resource("zh.txt")),
        Turn.of("さくら", resource("ja.txt")), Turn.of("민수", resource("ko.txt"))));
  }

  @Test
  void punctuation_and_spaces_come_back_in_the_form_they_were_written() {
    assertReadAsWritten(List.of(Turn.plain(String.join("\n",
        "ASCII 逗号,句号. 全角逗号，句号。顿号、分号；冒号：问号？叹号！ASCII? 然后! 好",
        "省略号……和三个点...，破折号——和连字符-，“引号”和\"直引号\"，「鉤括弧」『二重』",
        "（全角括号）和(半角括号)，《书名》〈篇名〉【方头】",
        "DeepSeek-OCR 的 3B 模型，20 倍和20倍，100% 和 １００％。"))));
  }

  @Test
  void a_rare_ideograph_is_read_as_itself_and_not_as_a_common_one_drawn_like_it() {
    assertReadAsWritten(List.of(Turn.plain(
        "罕见字㐀和䶮在扩展A区，常用字一行文见里不能读成部首。")));
  }

  @Test
  void a_page_read_without_its_cjk_font_leaves_the_cjk_lines_to_the_ocr_engine() {
    PageLayout page = renderer.layout(List.of(Turn.plain(
        "English before.\n中文的句子在这里，我们测试回退。\nEnglish after."))).get(0);
    List<Float> tops = page.lines().stream().map(LineLayout::top).toList();
    // As on a machine without the CJK font: the reader knows the Latin font only.
    PageReader latin = PageReader.of(spec.toBuilder().fonts(FontSet.latinOnly()).build(), CHAIN);
    chainOf(renderer.render(page).image()).forEach((pixels, image) ->
        assertThat(latin.read(image, tops)).as("%d px", pixels).containsExactly(
            Optional.of("English before."), Optional.empty(), Optional.of("English after.")));
  }

  @Test
  void cjk_glyphs_sit_on_a_grid_finer_than_a_space() {
    List<LineLayout> lines = renderer.layout(List.of(Turn.plain("A倍\nA 倍\n倍"))).get(0).lines();
    GlyphMetrics metrics = new GlyphMetrics(spec.fonts(), spec.fontSize());
    float quarter = spec.fontSize() / 4;
    float cjk = metrics.advance('倍');
    assertThat(lines.get(0).width()).isEqualTo(
        (float) Math.ceil(metrics.advance('A') / quarter) * quarter + cjk);
    assertThat(lines.get(1).width()).isGreaterThan(lines.get(0).width());
    assertThat(lines.get(2).width()).isEqualTo(cjk);
  }

  @Test
  void the_pictures_of_the_cjk_glyphs_are_drawn_on_a_pool_of_their_own_not_the_common_pool()
      throws Exception {
    // A fresh reader draws its pictures on first use, for seconds: long enough to watch.
    PageReader fresh = PageReader.of(spec, CHAIN);
    PageLayout page = renderer.layout(List.of(Turn.plain("我们明天早上九点在码头见面。"))).get(0);
    List<Float> tops = page.lines().stream().map(LineLayout::top).toList();
    BufferedImage image = renderer.render(page).image();
    java.util.Set<String> drawing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher = new Thread(() -> {
      while (!done.get()) {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals(WideGlyphs.class.getName())
                && frame.getMethodName().equals("strip")) {
              drawing.add(thread.getName());
            }
          }
        });
        Thread.onSpinWait();
      }
    });
    watcher.start();
    try {
      assertThat(fresh.read(image, tops)).containsExactly(Optional.of(page.lines().get(0).text()));
    } finally {
      done.set(true);
      watcher.join();
    }
    assertThat(drawing).as("threads seen drawing pictures").isNotEmpty()
        .noneMatch(name -> name.startsWith("ForkJoinPool.commonPool"));
  }
}
