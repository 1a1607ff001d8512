package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.VisionMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
}
