package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaddleOcrEngineTest {
  private static final String SHORT =
      "The ferry left at 07:15 with 212 passengers.\nLocker 14 holds the blue rucksack.\n"
          + "The radar unit arrives on the 14th.\nCaptain Oduya logged the fault again.";
  private static OcrEngine ocr;
  private static TestPages page;

  @BeforeAll
  static void setUp() {
    ocr = PaddleOcr.builder().build();
    page = TestPages.of(SHORT, VisionMode.BASE, FontSet.latinOnly());
  }

  @AfterAll
  static void tearDown() {
    ocr.close();
  }

  @Test
  void a_blank_page_reads_as_empty_text() {
    BufferedImage blank = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
    fill(blank, Color.WHITE);
    Recognition recognition = ocr.read(blank);
    assertThat(recognition.text()).isEmpty();
    assertThat(recognition.lines()).isEmpty();
  }

  @Test
  void a_one_pixel_image_reads_as_empty_text() {
    assertThat(ocr.read(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)).text()).isEmpty();
  }

  @Test
  void an_image_above_the_pixel_limit_is_refused_with_the_limit_in_the_message() {
    BufferedImage huge = new BufferedImage(8000, 5001, BufferedImage.TYPE_BYTE_GRAY);
    assertThatThrownBy(() -> ocr.read(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image is 8000x5001 = 40008000 pixels, above the limit of 40000000 pixels");
    assertThatThrownBy(() -> ocr.read(null)).hasMessage("image must not be null");
  }

  @Test
  void a_cmyk_image_is_converted_through_its_colour_space_and_read() {
    BufferedImage source = page.image();
    int w = source.getWidth();
    int h = source.getHeight();
    java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(
        new NaiveCmyk(), false, false, java.awt.Transparency.OPAQUE,
        java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int ink = 255 - (source.getRaster().getSample(x, y, 0));
        // Rich black: all four inks, as a print workflow makes it.
        raster.setPixel(x, y, new int[] {ink * 6 / 10, ink / 2, ink / 2, ink});
      }
    }
    BufferedImage cmyk = new BufferedImage(model, raster, false, null);
    assertThat(cmyk.getColorModel().getColorSpace().getType())
        .isEqualTo(java.awt.color.ColorSpace.TYPE_CMYK);
    assertThat(TextMetrics.precision(ocr.read(cmyk).text(), page.truth())).isGreaterThan(0.99);
  }

  /** A device CMYK space without an ICC profile (C, M, Y, K in 0..1; no ink is white). */
  private static final class NaiveCmyk extends java.awt.color.ColorSpace {
    private static final long serialVersionUID = 1L;
    private static final java.awt.color.ColorSpace SRGB =
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB);

    NaiveCmyk() {
      super(java.awt.color.ColorSpace.TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      return new float[] {(1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])};
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
      if (k >= 1) {
        return new float[] {0, 0, 0, 1};
      }
      return new float[] {(1 - rgb[0] - k) / (1 - k), (1 - rgb[1] - k) / (1 - k),
          (1 - rgb[2] - k) / (1 - k), k};
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return SRGB.toCIEXYZ(toRGB(v));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
      return fromRGB(SRGB.fromCIEXYZ(xyz));
    }
  }

  @Test
  void alpha_and_sixteen_bit_images_read_like_gray_ones() {
    String gray = ocr.read(page.image()).text();
    BufferedImage argb = new BufferedImage(page.image().getWidth(), page.image().getHeight(),
        BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = argb.createGraphics();
    g.drawImage(page.image(), 0, 0, null);
    g.dispose();
    BufferedImage wide = new BufferedImage(page.image().getWidth(), page.image().getHeight(),
        BufferedImage.TYPE_USHORT_GRAY);
    Graphics2D g16 = wide.createGraphics();
    g16.drawImage(page.image(), 0, 0, null);
    g16.dispose();
    assertThat(TextMetrics.precision(gray, page.truth())).isGreaterThan(0.99);
    assertThat(ocr.read(argb).text()).isEqualTo(gray);
    assertThat(TextMetrics.precision(ocr.read(wide).text(), page.truth())).isGreaterThan(0.99);
  }

  @Test
  void a_page_turned_upside_down_is_turned_back_and_read() {
    Recognition recognition = ocr.read(rotate(page.image(), 2));
    assertThat(TextMetrics.precision(recognition.text(), page.truth())).isGreaterThan(0.97);
    assertThat(recognition.warnings()).anySatisfy(w -> assertThat(w).contains("upside down"));
  }

  @Test
  void a_page_turned_ninety_degrees_either_way_is_turned_back_and_read() {
    for (int quarterTurns : new int[] {1, 3}) {
      Recognition recognition = ocr.read(rotate(page.image(), quarterTurns));
      assertThat(TextMetrics.precision(recognition.text(), page.truth()))
          .as("turned %d quarter turns; read:%n%s", quarterTurns, recognition.text())
          .isGreaterThan(0.97);
      assertThat(recognition.warnings()).anySatisfy(w -> assertThat(w).contains("90 degrees"));
    }
  }

  @Test
  void a_page_whose_lines_are_known_is_read_line_by_line_without_detection() {
    Recognition known = ocr.read(page.image(), page.lines());
    assertThat(known.lines()).hasSize(page.lines().size());
    for (int i = 0; i < page.lines().size(); i++) {
      assertThat(known.lines().get(i).box()).isEqualTo(page.lines().get(i));
    }
    assertThat(known.stages()).containsOnlyKeys("preprocess", "recognize");
    assertThat(TextMetrics.precision(known.text(), page.truth())).isGreaterThan(0.99);
    assertThat(TextMetrics.wordAccuracy(known.text(), page.truth())).isGreaterThan(0.95);
    assertThat(known.text()).isEqualTo(String.join("\n",
        known.lines().stream().map(RecognizedLine::text).filter(t -> !t.isEmpty()).toList()));
  }

  @Test
  void a_known_line_box_with_no_ink_reads_as_an_empty_line() {
    int bottom = page.image().getHeight();
    Recognition known = ocr.read(page.image(),
        List.of(page.lines().get(0), new Rectangle(0, bottom - 10, 40, 10)));
    assertThat(known.lines()).hasSize(2);
    assertThat(known.lines().get(1).text()).isEmpty();
    assertThat(known.text()).isEqualTo(known.lines().get(0).text());
  }

  @Test
  void known_line_boxes_that_are_missing_or_outside_the_image_are_refused_by_index() {
    BufferedImage image = page.image();
    assertThatThrownBy(() -> ocr.read(image, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lines must not be null");
    List<Rectangle> withNull = new ArrayList<>(page.lines());
    withNull.set(1, null);
    assertThatThrownBy(() -> ocr.read(image, withNull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lines[1] must be a box inside the " + image.getWidth() + "x"
            + image.getHeight() + " image, but is: null");
    assertThatThrownBy(() -> ocr.read(image, List.of(new Rectangle(-5, 0, 20, 20))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lines[0]");
  }

  @Test
  void lines_recognised_side_by_side_read_as_lines_recognised_one_by_one() {
    try (OcrEngine serial = PaddleOcr.builder().lineWorkers(1).build();
        OcrEngine parallel = PaddleOcr.builder().threads(2).lineWorkers(2).build()) {
      assertThat(parallel.read(page.image()).text()).isEqualTo(serial.read(page.image()).text());
    }
  }

  @Test
  void many_threads_reading_at_once_all_get_the_same_text() throws Exception {
    String expected = ocr.read(page.image()).text();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        results.add(pool.submit(() -> ocr.read(page.image()).text()));
      }
      for (Future<String> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_closed_engine_refuses_to_read_and_closing_twice_is_harmless() {
    OcrEngine engine = PaddleOcr.builder().angleClassifier(false).build();
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.read(page.image()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this PP-OCR engine is closed");
  }

  @Test
  void a_corrupt_model_file_is_refused_with_its_checksum(@TempDir Path folder) throws Exception {
    copyModels(folder);
    byte[] det = Files.readAllBytes(folder.resolve("ch_PP-OCRv4_det_infer.onnx"));
    det[det.length / 2] ^= 0x5A;
    Files.write(folder.resolve("ch_PP-OCRv4_det_infer.onnx"), det);
    assertThatThrownBy(() -> PaddleOcr.builder().modelFolder(folder).build())
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("ch_PP-OCRv4_det_infer.onnx is corrupt or of another version:"
            + " 4745517 bytes with CRC-32C ")
        .hasMessageContaining("expected 4745517 bytes with CRC-32C e471299f (SHA-256"
            + " d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9)");
  }

  @Test
  void the_shipped_model_files_have_the_sha_256_recorded_beside_their_crc() {
    for (ModelFiles file : ModelFiles.values()) {
      byte[] bytes = file.read(null, true);
      assertThat(ModelFiles.sha256(bytes)).as(file.fileName()).isEqualTo(file.sha256());
    }
  }

  @Test
  void a_file_of_another_length_is_refused_naming_its_length(@TempDir Path folder)
      throws Exception {
    copyModels(folder);
    Path keys = folder.resolve("ppocr_keys_v1.txt");
    Files.write(keys, java.util.Arrays.copyOf(Files.readAllBytes(keys), 26_250));
    assertThatThrownBy(() -> PaddleOcr.builder().modelFolder(folder).build())
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("ppocr_keys_v1.txt is corrupt or of another version: 26250 bytes");
  }

  @Test
  void a_missing_model_file_is_refused_with_its_path(@TempDir Path folder) throws Exception {
    copyModels(folder);
    Files.delete(folder.resolve("ch_PP-OCRv4_rec_infer.onnx"));
    assertThatThrownBy(() -> PaddleOcr.builder().modelFolder(folder).build())
        .isInstanceOf(OcrException.class)
        .hasMessage("model file " + folder.resolve("ch_PP-OCRv4_rec_infer.onnx") + " is missing");
  }

  @Test
  void garbage_in_place_of_a_model_fails_in_onnx_runtime_with_the_cause_kept(@TempDir Path folder)
      throws Exception {
    copyModels(folder);
    Files.write(folder.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx"), "not a model".getBytes());
    assertThatThrownBy(() -> PaddleOcr.builder().modelFolder(folder).verifyChecksums(false).build())
        .isInstanceOf(OcrException.class)
        .hasMessage("ONNX Runtime cannot load model ch_ppocr_mobile_v2.0_cls_infer.onnx")
        .hasCauseInstanceOf(ai.onnxruntime.OrtException.class);
  }

  @Test
  void the_builder_names_the_field_and_value_it_refuses() {
    assertThatThrownBy(() -> PaddleOcr.builder().threads(0))
        .hasMessage("threads must be between 1 and 64, but is: 0");
    assertThatThrownBy(() -> PaddleOcr.builder().maxBatch(100))
        .hasMessage("maxBatch must be between 1 and 64, but is: 100");
    assertThatThrownBy(() -> PaddleOcr.builder().boxThreshold(1.5))
        .hasMessage("boxThreshold must be between 0 and 1, but is: 1.5");
    assertThatThrownBy(() -> PaddleOcr.builder().lineWorkers(0))
        .hasMessage("lineWorkers must be between 1 and 64, but is: 0");
    assertThatThrownBy(() -> PaddleOcr.builder().recognitionHeight(8))
        .hasMessage("recognitionHeight must be between 16 and 96, but is: 8");
    assertThatThrownBy(() -> PaddleOcr.builder().pieceEms(Double.NaN))
        .hasMessage("pieceEms must be between 4 and 1000, but is: NaN");
    assertThatThrownBy(() -> PaddleOcr.builder().contextBoost(0.5))
        .hasMessage("contextBoost must be between 1 and 1000, but is: 0.5");
    assertThatThrownBy(() -> PaddleOcr.builder().knownLayoutMinHeight(0))
        .hasMessage("knownLayoutMinHeight must be between 1 and 1000, but is: 0");
    assertThatThrownBy(() -> PaddleOcr.builder().lexiconBoost(1001))
        .hasMessage("lexiconBoost must be between 1 and 1000, but is: 1001.0");
    assertThatThrownBy(() -> PaddleOcr.builder().smallTextUnclipRatio(Double.NaN))
        .hasMessage("smallTextUnclipRatio must be between 1 and 4, but is: NaN");
  }

  @Test
  void known_lines_of_a_small_page_are_read_from_their_boxes_and_a_tiny_pages_through_detection() {
    TestPages small = TestPages.of(SHORT, VisionMode.SMALL, FontSet.latinOnly());
    assertThat(small.lines()).allSatisfy(box -> assertThat(box.height).isBetween(12, 15));
    Recognition known = ocr.read(small.image(), small.lines());
    assertThat(known.stages()).doesNotContainKey("detect");
    assertThat(known.lines()).hasSize(small.lines().size());
    assertThat(TextMetrics.precision(known.text(), small.truth())).isGreaterThan(0.97);

    TestPages tiny = TestPages.of(SHORT, VisionMode.TINY, FontSet.latinOnly());
    assertThat(tiny.lines()).allSatisfy(box -> assertThat(box.height).isLessThan(12));
    Recognition detected = ocr.read(tiny.image(), tiny.lines());
    assertThat(detected.stages()).containsKey("detect");
    assertThat(TextMetrics.precision(detected.text(), tiny.truth())).isGreaterThan(0.97);
    try (OcrEngine boxes = PaddleOcr.builder().knownLayoutMinHeight(6).build()) {
      Recognition read = boxes.read(tiny.image(), tiny.lines());
      assertThat(read.stages()).doesNotContainKey("detect");
      assertThat(TextMetrics.precision(read.text(), tiny.truth())).isGreaterThan(0.97);
    }
  }

  @Test
  void the_v3_recognizer_reads_the_same_page() {
    try (OcrEngine v3 = PaddleOcr.builder().recognizer(PaddleOcr.Recognizer.V3).build()) {
      assertThat(TextMetrics.precision(v3.read(page.image()).text(), page.truth())).isGreaterThan(0.99);
    }
  }

  private static void copyModels(Path folder) throws Exception {
    for (ModelFiles file : ModelFiles.values()) {
      try (InputStream in = PaddleOcrEngineTest.class.getClassLoader()
          .getResourceAsStream("models/" + file.fileName())) {
        Files.copy(in, folder.resolve(file.fileName()));
      }
    }
  }

  private static void fill(BufferedImage image, Color color) {
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.dispose();
  }

  private static BufferedImage rotate(BufferedImage image, int quarterTurns) {
    int w = image.getWidth();
    int h = image.getHeight();
    AffineTransform t = new AffineTransform();
    if (quarterTurns == 1) {
      t.translate(h, 0);
    } else if (quarterTurns == 2) {
      t.translate(w, h);
    } else {
      t.translate(0, w);
    }
    t.rotate(quarterTurns * Math.PI / 2);
    BufferedImage out = new BufferedImage(quarterTurns == 2 ? w : h, quarterTurns == 2 ? h : w,
        BufferedImage.TYPE_BYTE_GRAY);
    new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, out);
    return out;
  }
}
