package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.VisionMode;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped PP-OCR models before and after the activation chains are rewritten. */
class GraphSimplifierTest {
  private static OrtEnvironment env;

  @BeforeAll
  static void prepare() {
    OrtNative.prepare();
    env = OnnxRuntime.environment();
  }

  /** The first line of a rendered BASE page, as the recogniser's input (48 px high, -1..1). */
  private static float[] line(int width) {
    TestPages page = TestPages.of(TestPages.text("english.txt"), VisionMode.BASE,
        FontSet.latinOnly());
    GrayImage gray = GrayImage.of(page.image());
    java.awt.Rectangle box = page.lines().get(0);
    float[] input = new float[3 * 48 * width];
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < width; x++) {
        int sx = box.x + x * box.height / 48;
        int sy = box.y + y * box.height / 48;
        float v = sx < gray.width && sy < gray.height ? gray.get(sx, sy) / 127.5f - 1f : 1f;
        for (int c = 0; c < 3; c++) {
          input[(c * 48 + y) * width + x] = v;
        }
      }
    }
    return input;
  }

  private static float[] run(byte[] model, float[] input, long[] shape) throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(model, options);
         OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
         OrtSession.Result result = session.run(
             Map.of(session.getInputNames().iterator().next(), tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  @Test
  void the_rewritten_recogniser_reads_a_rendered_line_as_the_shipped_one_does() throws Exception {
    byte[] shipped = ModelFiles.RECOGNITION.read(null, true);
    GraphSimplifier.Result result = GraphSimplifier.simplify(shipped);
    // PP-LCNetV3: every convolution takes in its affine block; hard swishes before an unpadded
    // convolution lose the second block too.
    assertThat(result.convolutions()).isEqualTo(28);
    assertThat(result.hardSwishes()).isEqualTo(28);
    assertThat(result.intoNextConvolution()).isEqualTo(12);
    assertThat(result.model().length).isLessThan(shipped.length);

    int width = 480;
    float[] input = line(width);
    long[] shape = {1, 3, 48, width};
    float[] before = run(shipped, input, shape);
    float[] after = run(result.model(), input, shape);
    assertThat(maxDifference(before, after)).isLessThan(1e-4);
    // The same class wins at every CTC step.
    int classes = 6625;
    for (int step = 0; step < before.length / classes; step++) {
      assertThat(argmax(after, step * classes, classes))
          .as("step %d", step).isEqualTo(argmax(before, step * classes, classes));
    }
  }

  private static int argmax(float[] v, int from, int n) {
    int best = from;
    for (int i = from; i < from + n; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best - from;
  }

  @Test
  void the_rewritten_detector_gives_the_shipped_ones_probability_map() throws Exception {
    byte[] shipped = ModelFiles.DETECTION.read(null, true);
    GraphSimplifier.Result result = GraphSimplifier.simplify(shipped);
    assertThat(result.convolutions()).isPositive();
    assertThat(result.hardSwishes()).isPositive();
    float[] input = new float[3 * 160 * 320];
    java.util.Random random = new java.util.Random(16);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    long[] shape = {1, 3, 160, 320};
    assertThat(maxDifference(run(shipped, input, shape), run(result.model(), input, shape)))
        .isLessThan(1e-4);
  }

  @Test
  void a_model_without_the_pattern_comes_back_as_it_was() {
    byte[] v3 = ModelFiles.RECOGNITION_V3.read(null, true);
    GraphSimplifier.Result result = GraphSimplifier.simplify(v3);
    assertThat(result.model()).isSameAs(v3);
    assertThat(result.convolutions()).isZero();
  }

  @Test
  void a_model_with_a_subgraph_is_left_alone() throws Exception {
    // The shipped recogniser with one more node, an If: its branches could read any value.
    UnknownFieldSet model =
        UnknownFieldSet.parseFrom(ModelFiles.RECOGNITION.read(null, true));
    UnknownFieldSet graph = UnknownFieldSet.parseFrom(
        model.getField(7).getLengthDelimitedList().get(0));
    ByteString ifNode = UnknownFieldSet.newBuilder()
        .addField(4, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8("If")).build())
        .build().toByteString();
    UnknownFieldSet.Field.Builder nodes =
        UnknownFieldSet.Field.newBuilder();
    graph.getField(1).getLengthDelimitedList().forEach(nodes::addLengthDelimited);
    nodes.addLengthDelimited(ifNode);
    byte[] withIf = UnknownFieldSet.newBuilder(model).clearField(7)
        .addField(7, UnknownFieldSet.Field.newBuilder().addLengthDelimited(
            UnknownFieldSet.newBuilder(graph).clearField(1)
                .addField(1, nodes.build()).build().toByteString()).build())
        .build().toByteArray();
    GraphSimplifier.Result result = GraphSimplifier.simplify(withIf);
    assertThat(result.model()).isSameAs(withIf);
    assertThat(result.convolutions()).isZero();
  }

  @Test
  void bytes_that_are_not_a_model_come_back_as_they_were_for_onnx_runtime_to_refuse() {
    byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    assertThat(GraphSimplifier.simplify(garbage).model()).isSameAs(garbage);
    byte[] empty = new byte[0];
    assertThat(GraphSimplifier.simplify(empty).model()).isSameAs(empty);
  }

  @Test
  void an_engine_with_rewritten_models_reads_a_page_as_the_engine_with_shipped_ones()
      throws Exception {
    TestPages page = TestPages.of(TestPages.text("english.txt"), VisionMode.SMALL,
        FontSet.latinOnly());
    try (OcrEngine rewritten = PaddleOcr.builder().build();
         OcrEngine shipped = PaddleOcr.builder().simplifyGraphs(false).build()) {
      String expected = shipped.read(page.image()).text();
      assertThat(rewritten.read(page.image()).text()).isEqualTo(expected);
      assertThat(TextMetrics.precision(expected, page.truth())).isGreaterThan(0.97);
    }
  }
}
