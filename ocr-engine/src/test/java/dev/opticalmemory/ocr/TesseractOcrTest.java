package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tesseract 5 through its command line (CI installs tesseract-ocr with eng and chi_sim). */
class TesseractOcrTest {
  private static OcrEngine english;

  @BeforeAll
  static void open() {
    english = TesseractOcr.builder().build();
  }

  @AfterAll
  static void close() {
    english.close();
  }

  @ParameterizedTest(name = "English at {0}: precision at least {1}")
  @CsvSource({"LARGE, 0.99", "BASE, 0.98", "SMALL, 0.90"})
  void english_pages_are_read_back(VisionMode mode, double minimum) {
    TestPages page = TestPages.of(TestPages.text("english.txt"), mode, FontSet.latinOnly());
    Recognition recognition = english.read(page.image());
    assertThat(TextMetrics.precision(recognition.text(), page.truth()))
        .as("precision at %s; read:%n%s", mode, recognition.text())
        .isGreaterThanOrEqualTo(minimum);
    assertThat(recognition.lines()).isNotEmpty().allSatisfy(line -> {
      assertThat(line.confidence()).isBetween(0.0, 1.0);
      assertThat(line.box().getMaxX()).isLessThanOrEqualTo(page.image().getWidth() + 1);
    });
    assertThat(recognition.stages()).containsKeys("preprocess", "recognize");
  }

  @Test
  void chinese_pages_are_read_with_the_chi_sim_pack_and_not_spaced_out() {
    FontSet fonts = FontSet.defaults();
    assumeTrue(fonts.coversCjk(), "no CJK font found: install fonts-noto-cjk");
    try (OcrEngine chinese = TesseractOcr.builder().languages("chi_sim", "eng").build()) {
      TestPages page = TestPages.of(TestPages.text("chinese.txt"), VisionMode.LARGE, fonts);
      Recognition recognition = chinese.read(page.image());
      assertThat(TextMetrics.precision(recognition.text(), page.truth())).isGreaterThan(0.9);
      assertThat(recognition.text()).doesNotContainPattern("\\p{IsHan} \\p{IsHan}");
    }
  }

  @Test
  void a_blank_page_and_a_one_pixel_image_read_as_empty_text() {
    BufferedImage blank = new BufferedImage(600, 800, BufferedImage.TYPE_BYTE_GRAY);
    blank.getGraphics().fillRect(0, 0, 600, 800);
    assertThat(english.read(blank).text()).isEmpty();
    assertThat(english.read(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)).text()).isEmpty();
  }

  @Test
  void an_image_above_the_pixel_limit_is_refused_with_the_limit_in_the_message() {
    assertThatThrownBy(() -> english.read(new BufferedImage(8000, 5001, BufferedImage.TYPE_BYTE_GRAY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image is 8000x5001 = 40008000 pixels, above the limit of 40000000 pixels");
  }

  @Test
  void a_missing_program_is_a_clear_error_that_says_what_to_install() {
    assertThatThrownBy(() -> TesseractOcr.builder().executable("/nonexistent/tesseract").build())
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("Tesseract is not installed: could not run '/nonexistent/tesseract'")
        .hasMessageContaining("apt-get install tesseract-ocr")
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void a_missing_language_pack_is_a_clear_error_that_names_the_package() {
    assertThatThrownBy(() -> TesseractOcr.builder().languages("eng", "kor_vert").build())
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("Tesseract has no language pack 'kor_vert'")
        .hasMessageContaining("apt-get install tesseract-ocr-kor-vert");
    assertThatThrownBy(() -> TesseractOcr.builder().languages("eng; rm -rf /"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eng; rm -rf /");
  }

  @Test
  void a_page_that_takes_longer_than_the_timeout_fails_as_retriable() {
    try (OcrEngine slow = TesseractOcr.builder().timeout(Duration.ofMillis(1)).build()) {
      TestPages page = TestPages.of(TestPages.text("english.txt"), VisionMode.BASE, FontSet.latinOnly());
      assertThatThrownBy(() -> slow.read(page.image()))
          .isInstanceOf(OcrException.class)
          .hasMessageContaining("no answer within 1 ms")
          .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
    }
  }

  @Test
  void many_threads_reading_at_once_all_get_the_same_text() throws Exception {
    TestPages page = TestPages.of("Locker 14 holds the blue rucksack.\nThe ferry left at 07:15.",
        VisionMode.BASE, FontSet.latinOnly());
    String expected = english.read(page.image()).text();
    assertThat(expected).contains("Locker 14");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> english.read(page.image()).text()));
      }
      for (Future<String> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void words_of_a_tsv_line_are_joined_by_spaces_except_between_cjk_characters() {
    String tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        + "5\t1\t1\t1\t1\t1\t10\t10\t20\t10\t90\tHello\n"
        + "5\t1\t1\t1\t1\t2\t40\t10\t20\t10\t80\tworld\n"
        + "5\t1\t1\t1\t2\t1\t10\t30\t10\t10\t95\t记\n"
        + "5\t1\t1\t1\t2\t2\t20\t30\t10\t10\t85\t忆\n"
        + "5\t1\t1\t1\t2\t3\t30\t30\t10\t10\t-1\t \n";
    List<RecognizedLine> lines = TesseractEngine.parse(tsv, 2.0);
    assertThat(lines).extracting(RecognizedLine::text).containsExactly("Hello world", "记忆");
    assertThat(lines.get(0).box()).isEqualTo(new java.awt.Rectangle(5, 5, 25, 5));
    assertThat(lines.get(0).confidence()).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
  }
}
