package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageEncoding;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PP-OCR reads back pages our renderer made (rendered at 1280 px, then downscaled by area averaging,
 * as the memory does) from texts written for these tests: English about 530 and Chinese about 600
 * text tokens per page.
 */
class PaddleOcrAccuracyTest {
  private static OcrEngine ocr;

  @BeforeAll
  static void loadEngine() {
    ocr = PaddleOcr.builder().build();
  }

  @AfterAll
  static void closeEngine() {
    ocr.close();
  }

  @ParameterizedTest(name = "English at {0}: precision at least {1}")
  @CsvSource({"BASE, 0.99", "SMALL, 0.97", "TINY, 0.95"})
  void english_pages_are_read_back_with_the_required_precision(VisionMode mode, double minimum) {
    TestPages page = TestPages.of(TestPages.text("english.txt"), mode, FontSet.latinOnly());
    Recognition recognition = ocr.read(page.image());
    assertThat(TextMetrics.precision(recognition.text(), page.truth()))
        .as("precision at %s; read:%n%s", mode, recognition.text())
        .isGreaterThanOrEqualTo(minimum);
    assertThat(recognition.stages()).containsKeys("detect", "recognize");
    assertThat(recognition.lines()).allSatisfy(line -> assertThat(line.confidence()).isBetween(0.0, 1.0));
  }

  @ParameterizedTest(name = "Chinese at {0}: precision at least {1}")
  @CsvSource({"BASE, 0.99", "SMALL, 0.97", "TINY, 0.95"})
  void chinese_pages_are_read_back_with_the_required_precision(VisionMode mode, double minimum) {
    FontSet fonts = FontSet.defaults();
    assumeTrue(fonts.coversCjk(), "no CJK font found: install fonts-noto-cjk to run the Chinese accuracy tests");
    TestPages page = TestPages.of(TestPages.text("chinese.txt"), mode, fonts);
    Recognition recognition = ocr.read(page.image());
    assertThat(TextMetrics.precision(recognition.text(), page.truth()))
        .as("precision at %s; read:%n%s", mode, recognition.text())
        .isGreaterThanOrEqualTo(minimum);
  }

  /** Sentences that start with letters whose capitals look like their small letters. */
  private static final String SENTENCE_STARTS = String.join(" ", java.util.Collections.nCopies(6,
      "That was great! What a day it was. So we went home early? We did, and it was fine. Wow,"
          + " what a view from the hill! Sounds good to me. Could you send the photos? Over the"
          + " weekend we will. Very kind of you! Xavier and Zoe came too."));

  @Test
  void on_a_black_and_white_base_page_context_reads_sentence_starts_as_capitals() {
    TestPages page = TestPages.of(SENTENCE_STARTS, VisionMode.BASE, FontSet.latinOnly());
    // Stored as the memory stores BASE: black and white.
    BufferedImage bilevel = PageImages.decode(PageImages.encode(PageImages.toGray(page.image()),
        PageEncoding.BILEVEL_CONTEXT));
    double with = TextMetrics.wordAccuracy(ocr.read(bilevel, page.lines()).text(), page.truth());
    double without;
    try (OcrEngine plain = PaddleOcr.builder().contextBoost(1).build()) {
      without = TextMetrics.wordAccuracy(plain.read(bilevel, page.lines()).text(), page.truth());
    }
    // Measured 0.980 against 0.949: what is left are sentences that start a line, whose context
    // (the line before) the recogniser does not see.
    assertThat(with).as("word accuracy with context (without: %s)", without)
        .isGreaterThanOrEqualTo(0.97).isGreaterThan(without + 0.02);
  }

  /** A page as the memory keeps it at TINY: BASE black and white, SMALL and TINY 16 grays. */
  private static BufferedImage tinyAlongTheChain(BufferedImage large) {
    BufferedImage base = PageImages.decode(PageImages.encode(
        PageImages.downscale(large, VisionMode.BASE), PageEncoding.BILEVEL_CONTEXT));
    BufferedImage small = PageImages.decode(PageImages.encode(
        PageImages.downscale(PageImages.toGray(base), VisionMode.SMALL), PageEncoding.GRAY16_PNG));
    return PageImages.decode(PageImages.encode(
        PageImages.downscale(PageImages.toGray(small), VisionMode.TINY), PageEncoding.GRAY16_PNG));
  }

  @Test
  void on_a_tiny_page_words_the_lexicon_knows_replace_misreadings() {
    TestPages page = TestPages.of(TestPages.text("english.txt"), VisionMode.LARGE,
        FontSet.latinOnly());
    BufferedImage tiny = tinyAlongTheChain(page.image());
    String read = ocr.read(tiny).text();
    String plainRead;
    try (OcrEngine plain = PaddleOcr.builder().lexiconBoost(1).build()) {
      plainRead = plain.read(tiny).text();
    }
    double with = TextMetrics.wordAccuracy(read, page.truth());
    double without = TextMetrics.wordAccuracy(plainRead, page.truth());
    // Measured 0.982 against 0.976 (2026-11-30).
    assertThat(with).as("word accuracy with the lexicon (without: %s); read:%n%s", without, read)
        .isGreaterThan(without + 0.003);
  }

  @Test
  void on_a_large_font_page_read_through_detection_words_keep_their_spaces() {
    // Drawn at 28 px and downscaled to 1024 px: detected line cores 10-12 px high, grown by the
    // ordinary unclip ratio; the small-text ratio there crops so tight that spaces are lost.
    PageRenderer renderer = PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.LARGE)
        .fonts(FontSet.latinOnly()).fontSize(28).build());
    PageLayout page = renderer.layout(List.of(Turn.plain(TestPages.text("english.txt")))).get(0);
    BufferedImage base = PageImages.downscale(renderer.render(page).image(), VisionMode.BASE);
    double words = TextMetrics.wordAccuracy(ocr.read(base).text(), page.text());
    double tight;
    try (OcrEngine tightEverywhere = PaddleOcr.builder().unclipRatio(1.5).build()) {
      tight = TextMetrics.wordAccuracy(tightEverywhere.read(base).text(), page.text());
    }
    assertThat(words).as("word accuracy (with 1.5 for all text: %s)", tight)
        .isGreaterThan(tight).isGreaterThanOrEqualTo(0.99);
  }
}
