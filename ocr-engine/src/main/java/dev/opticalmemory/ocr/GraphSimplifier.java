package dev.opticalmemory.ocr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the activation chains of a PP-OCRv4 model (PP-LCNetV3, exported by paddle2onnx) into
 * fewer operators, with the same arithmetic.
 *
 * <p>Each convolution of PP-LCNetV3 is followed by a learnable affine block, a hard swish spelled
 * out as four operators, and a second learnable affine block: {@code Conv, Mul(s1), Add(b1),
 * Add(3), Clip(0, 6), Mul(x), Div(6), Mul(s2), Add(b2)}. ONNX Runtime fuses none of it, and each of
 * those eight element-wise operators reads and writes the whole feature map (about a third of the
 * recogniser's time, in ONNX Runtime's own profile). This class:
 * <ul>
 *   <li>folds the first affine block into the convolution's weights and bias ({@code s1 * (W * x +
 *       B) + b1 = (s1 W) * x + (s1 B + b1)}, exact);
 *   <li>writes the hard swish as {@code Mul(x, HardSigmoid(x; 1/6, 1/2))}, the same function
 *       ({@code clip(x + 3, 0, 6) / 6 = clip(x / 6 + 1/2, 0, 1)});
 *   <li>folds the second affine block into the next convolution where every reader of it is a
 *       convolution without padding ({@code W * (s2 h + b2) + B = (s2 W) * h + (B + b2 sum W)},
 *       exact only without padding, which would pad {@code s2 h + b2} with zeros; padded
 *       convolutions keep the block).
 * </ul>
 *
 * <p>The model is read and written as raw protocol buffer fields (ONNX's field numbers), so no
 * generated ONNX classes are needed. A model without the pattern comes back unchanged. Outputs
 * differ from the original's by float rounding only ({@code GraphSimplifierTest}).
 */
final class GraphSimplifier {
  private static final System.Logger LOG = System.getLogger(GraphSimplifier.class.getName());

  // ONNX field numbers (onnx.proto).
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_OUTPUT = 12;
  private static final int VALUE_INFO_NAME = 1;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_T = 5;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  private static final int ATTR_TYPE_FLOAT = 1;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TYPE_FLOAT = 1;

  /**
   * The rewritten model and what was rewritten.
   *
   * @param model the model's bytes (the input itself where nothing matched)
   * @param convolutions convolutions that took in the affine block after them
   * @param hardSwishes hard swishes written as HardSigmoid and Mul
   * @param intoNextConvolution affine blocks folded into the convolution after them
   */
  record Result(byte[] model, int convolutions, int hardSwishes, int intoNextConvolution) {}

  private GraphSimplifier() {}

  /** The model with its activation chains simplified; unchanged where the pattern is absent. */
  static Result simplify(byte[] model) {
    try {
      return new Rewrite(model).run();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // ONNX Runtime will say what is wrong with a model it cannot read; here it is only left as is.
      LOG.log(System.Logger.Level.DEBUG, () -> "model left as it is: " + e);
      return new Result(model, 0, 0, 0);
    }
  }

  /** One node, its fields decoded where the rewrite needs them. */
  private static final class Node {
    final UnknownFieldSet proto;
    String op;
    List<String> inputs;
    List<String> outputs;
    List<ByteString> attributes;
    /** A Constant's float tensor, or null. */
    float[] data;
    List<Long> dims;
    boolean removed;
    boolean changed;

    Node(UnknownFieldSet proto) throws InvalidProtocolBufferException {
      this.proto = proto;
      this.op = string(proto.getField(NODE_OP_TYPE));
      this.inputs = strings(proto.getField(NODE_INPUT));
      this.outputs = strings(proto.getField(NODE_OUTPUT));
      this.attributes = new ArrayList<>(proto.getField(NODE_ATTRIBUTE).getLengthDelimitedList());
      if (op.equals("Constant") && attributes.size() == 1) {
        UnknownFieldSet attribute = UnknownFieldSet.parseFrom(attributes.get(0));
        if (string(attribute.getField(ATTR_NAME)).equals("value")
            && !attribute.getField(ATTR_T).getLengthDelimitedList().isEmpty()) {
          readTensor(UnknownFieldSet.parseFrom(
              attribute.getField(ATTR_T).getLengthDelimitedList().get(0)));
        }
      }
    }

    private void readTensor(UnknownFieldSet tensor) throws InvalidProtocolBufferException {
      if (tensor.getField(TENSOR_DATA_TYPE).getVarintList().equals(List.of((long) TYPE_FLOAT))) {
        dims = varints(tensor.getField(TENSOR_DIMS));
        UnknownFieldSet.Field raw = tensor.getField(TENSOR_RAW_DATA);
        UnknownFieldSet.Field floats = tensor.getField(TENSOR_FLOAT_DATA);
        if (!raw.getLengthDelimitedList().isEmpty()) {
          ByteBuffer b = raw.getLengthDelimitedList().get(0).asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN);
          data = new float[b.remaining() / 4];
          b.asFloatBuffer().get(data);
        } else if (!floats.getFixed32List().isEmpty()) {
          data = new float[floats.getFixed32List().size()];
          for (int i = 0; i < data.length; i++) {
            data[i] = Float.intBitsToFloat(floats.getFixed32List().get(i));
          }
        } else if (!floats.getLengthDelimitedList().isEmpty()) {
          ByteBuffer b = floats.getLengthDelimitedList().get(0).asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN);
          data = new float[b.remaining() / 4];
          b.asFloatBuffer().get(data);
        }
        long n = dims.stream().mapToLong(Long::longValue).reduce(1, (x, y) -> x * y);
        if (data != null && data.length != n) {
          data = null;
        }
      }
    }

    /** The node as ONNX bytes, rebuilt where it changed. */
    ByteString bytes() {
      if (!changed) {
        return proto.toByteString();
      }
      UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder(proto);
      b.clearField(NODE_INPUT).clearField(NODE_OUTPUT).clearField(NODE_OP_TYPE)
          .clearField(NODE_ATTRIBUTE);
      b.addField(NODE_INPUT, field(inputs)).addField(NODE_OUTPUT, field(outputs))
          .addField(NODE_OP_TYPE, field(List.of(op)));
      List<ByteString> attrs = attributes;
      if (data != null) {
        attrs = List.of(tensorAttribute(dims, data));
      }
      UnknownFieldSet.Field.Builder a = UnknownFieldSet.Field.newBuilder();
      attrs.forEach(a::addLengthDelimited);
      b.addField(NODE_ATTRIBUTE, a.build());
      return b.build().toByteString();
    }
  }

  /** One pass over a model's graph. */
  private static final class Rewrite {
    private final byte[] original;
    private final UnknownFieldSet model;
    private final UnknownFieldSet graph;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> producer = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();

    Rewrite(byte[] model) throws InvalidProtocolBufferException {
      this.original = model;
      this.model = UnknownFieldSet.parseFrom(model);
      List<ByteString> graphs = this.model.getField(MODEL_GRAPH).getLengthDelimitedList();
      if (graphs.size() != 1) {
        throw new IllegalArgumentException("a model with " + graphs.size() + " graphs");
      }
      this.graph = UnknownFieldSet.parseFrom(graphs.get(0));
      for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
        Node node = new Node(UnknownFieldSet.parseFrom(n));
        nodes.add(node);
        node.outputs.forEach(o -> producer.put(o, node));
        node.inputs.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
      }
      for (ByteString o : graph.getField(GRAPH_OUTPUT).getLengthDelimitedList()) {
        graphOutputs.add(string(UnknownFieldSet.parseFrom(o).getField(VALUE_INFO_NAME)));
      }
    }

    Result run() {
      // A subgraph (If, Loop, Scan) may read values of this graph that no node here reads: the
      // rewrite would not see those readers, so such models are left alone.
      if (nodes.stream().anyMatch(n -> n.op.equals("If") || n.op.equals("Loop")
          || n.op.equals("Scan"))) {
        return new Result(original, 0, 0, 0);
      }
      int convolutions = 0;
      int swishes = 0;
      int intoNext = 0;
      for (Node conv : List.copyOf(nodes)) {
        if (conv.removed || !conv.op.equals("Conv") || !foldAffineAfter(conv)) {
          continue;
        }
        convolutions++;
        String activated = hardSwishAfter(conv.outputs.get(0));
        if (activated != null) {
          swishes++;
          if (foldAffineIntoNext(activated)) {
            intoNext++;
          }
        }
      }
      if (convolutions == 0) {
        return new Result(original, 0, 0, 0);
      }
      // Constants nothing reads any more (the scalars of the chains rewritten).
      for (Node n : nodes) {
        if (n.op.equals("Constant") && !n.removed && n.outputs.stream()
            .allMatch(o -> readers(o).isEmpty() && !graphOutputs.contains(o))) {
          n.removed = true;
        }
      }
      UnknownFieldSet.Field.Builder list = UnknownFieldSet.Field.newBuilder();
      nodes.stream().filter(n -> !n.removed).forEach(n -> list.addLengthDelimited(n.bytes()));
      UnknownFieldSet g = UnknownFieldSet.newBuilder(graph).clearField(GRAPH_NODE)
          .addField(GRAPH_NODE, list.build()).build();
      UnknownFieldSet m = UnknownFieldSet.newBuilder(model).clearField(MODEL_GRAPH)
          .addField(MODEL_GRAPH, UnknownFieldSet.Field.newBuilder()
              .addLengthDelimited(g.toByteString()).build()).build();
      return new Result(m.toByteArray(), convolutions, swishes, intoNext);
    }

    private List<Node> readers(String value) {
      return consumers.getOrDefault(value, List.of()).stream()
          .filter(n -> !n.removed && n.inputs.contains(value)).distinct().toList();
    }

    /** The only reader of {@code value} if it is a {@code op}, else null. */
    private Node onlyReader(String value, String op) {
      List<Node> r = readers(value);
      return r.size() == 1 && r.get(0).op.equals(op) && !graphOutputs.contains(value)
          ? r.get(0) : null;
    }

    /** The float constant behind {@code value}, or null. */
    private Node constant(String value) {
      Node p = producer.get(value);
      return p != null && !p.removed && p.op.equals("Constant") && p.data != null ? p : null;
    }

    /** The scalar constant among a binary node's inputs other than {@code value}, or NaN. */
    private float scalarBeside(Node node, String value) {
      if (node.inputs.size() != 2 || !node.inputs.contains(value)) {
        return Float.NaN;
      }
      String other = node.inputs.get(0).equals(value) ? node.inputs.get(1) : node.inputs.get(0);
      Node c = constant(other);
      return c != null && c.data.length == 1 ? c.data[0] : Float.NaN;
    }

    /** A Conv's weight (and bias, if any) constants, each read by this Conv only; else null. */
    private Node[] parameters(Node conv) {
      if (conv.inputs.size() < 2 || conv.inputs.size() > 3) {
        return null;
      }
      Node w = constant(conv.inputs.get(1));
      if (w == null || w.dims.size() != 4 || readers(conv.inputs.get(1)).size() != 1) {
        return null;
      }
      Node b = null;
      if (conv.inputs.size() == 3) {
        b = constant(conv.inputs.get(2));
        if (b == null || b.data.length != w.dims.get(0) || readers(conv.inputs.get(2)).size() != 1) {
          return null;
        }
      }
      return new Node[] {w, b};
    }

    /** Gives a Conv without a bias one of zeros, so that a fold has a bias to write. */
    private Node bias(Node conv, Node weight) {
      long n = weight.dims.get(0);
      Node b;
      try {
        b = new Node(UnknownFieldSet.newBuilder()
            .addField(NODE_OUTPUT, field(List.of(conv.outputs.get(0) + ".folded_bias")))
            .addField(NODE_OP_TYPE, field(List.of("Constant")))
            .addField(NODE_ATTRIBUTE, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(tensorAttribute(List.of(n), new float[(int) n])).build())
            .build());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a constant written here cannot be read back", e);
      }
      nodes.add(nodes.indexOf(conv), b);
      producer.put(b.outputs.get(0), b);
      consumers.computeIfAbsent(b.outputs.get(0), k -> new ArrayList<>()).add(conv);
      conv.inputs = new ArrayList<>(conv.inputs);
      conv.inputs.add(b.outputs.get(0));
      conv.changed = true;
      return b;
    }

    /** Conv, Mul(s1), Add(b1) to one Conv; false (nothing changed) where that is not the shape. */
    private boolean foldAffineAfter(Node conv) {
      if (conv.outputs.size() != 1) {
        return false;
      }
      Node[] p = parameters(conv);
      Node scale = onlyReader(conv.outputs.get(0), "Mul");
      if (p == null || scale == null) {
        return false;
      }
      float s = scalarBeside(scale, conv.outputs.get(0));
      Node shift = onlyReader(scale.outputs.get(0), "Add");
      if (Float.isNaN(s) || shift == null) {
        return false;
      }
      float t = scalarBeside(shift, scale.outputs.get(0));
      if (Float.isNaN(t)) {
        return false;
      }
      Node w = p[0];
      Node b = p[1] != null ? p[1] : bias(conv, w);
      for (int i = 0; i < w.data.length; i++) {
        w.data[i] *= s;
      }
      for (int i = 0; i < b.data.length; i++) {
        b.data[i] = b.data[i] * s + t;
      }
      w.changed = true;
      b.changed = true;
      scale.removed = true;
      shift.removed = true;
      conv.outputs = List.of(shift.outputs.get(0));
      conv.changed = true;
      producer.put(shift.outputs.get(0), conv);
      return true;
    }

    /**
     * Add(3), Clip(0, 6), Mul(x), Div(6) on {@code x} to Mul(x, HardSigmoid(x)); the value that
     * now holds the activation (the Div's output name), or null where that is not the shape.
     */
    private String hardSwishAfter(String x) {
      List<Node> r = readers(x);
      if (r.size() != 2 || graphOutputs.contains(x)) {
        return null;
      }
      Node add = r.get(0).op.equals("Add") ? r.get(0) : r.get(1);
      Node mul = add == r.get(0) ? r.get(1) : r.get(0);
      if (!add.op.equals("Add") || !mul.op.equals("Mul") || scalarBeside(add, x) != 3f) {
        return null;
      }
      Node clip = onlyReader(add.outputs.get(0), "Clip");
      if (clip == null || clip.inputs.size() != 3 || !clip.inputs.get(0).equals(add.outputs.get(0))) {
        return null;
      }
      Node lo = constant(clip.inputs.get(1));
      Node hi = constant(clip.inputs.get(2));
      if (lo == null || hi == null || lo.data.length != 1 || hi.data.length != 1
          || lo.data[0] != 0f || hi.data[0] != 6f
          || onlyReader(clip.outputs.get(0), "Mul") != mul
          || !mul.inputs.contains(x) || !mul.inputs.contains(clip.outputs.get(0))) {
        return null;
      }
      Node div = onlyReader(mul.outputs.get(0), "Div");
      if (div == null || div.inputs.size() != 2 || !div.inputs.get(0).equals(mul.outputs.get(0))) {
        return null;
      }
      Node six = constant(div.inputs.get(1));
      if (six == null || six.data.length != 1 || six.data[0] != 6f) {
        return null;
      }
      String sigmoid = add.outputs.get(0);
      add.op = "HardSigmoid";
      add.inputs = List.of(x);
      add.attributes = List.of(floatAttribute("alpha", 1f / 6f), floatAttribute("beta", 0.5f));
      add.changed = true;
      mul.inputs = List.of(x, sigmoid);
      mul.outputs = List.of(div.outputs.get(0));
      mul.changed = true;
      producer.put(div.outputs.get(0), mul);
      consumers.computeIfAbsent(sigmoid, k -> new ArrayList<>()).add(mul);
      clip.removed = true;
      div.removed = true;
      return div.outputs.get(0);
    }

    /** Mul(s2), Add(b2) after {@code h} into the unpadded Convs that read it; false if not. */
    private boolean foldAffineIntoNext(String h) {
      Node scale = onlyReader(h, "Mul");
      if (scale == null) {
        return false;
      }
      float s = scalarBeside(scale, h);
      Node shift = onlyReader(scale.outputs.get(0), "Add");
      if (Float.isNaN(s) || shift == null) {
        return false;
      }
      float t = scalarBeside(shift, scale.outputs.get(0));
      String y = shift.outputs.get(0);
      List<Node> next = readers(y);
      if (Float.isNaN(t) || next.isEmpty() || graphOutputs.contains(y)) {
        return false;
      }
      for (Node conv : next) {
        if (!conv.op.equals("Conv") || !conv.inputs.get(0).equals(y) || conv.inputs.size() < 2
            || conv.inputs.subList(1, conv.inputs.size()).contains(y) || padded(conv)
            || parameters(conv) == null) {
          return false;
        }
      }
      for (Node conv : next) {
        Node[] p = parameters(conv);
        Node w = p[0];
        Node b = p[1] != null ? p[1] : bias(conv, w);
        int outputs = (int) (long) w.dims.get(0);
        int each = w.data.length / outputs;
        for (int o = 0; o < outputs; o++) {
          double sum = 0;
          for (int i = o * each; i < (o + 1) * each; i++) {
            sum += w.data[i];
            w.data[i] *= s;
          }
          b.data[o] += (float) (t * sum);
        }
        w.changed = true;
        b.changed = true;
        List<String> in = new ArrayList<>(conv.inputs);
        in.set(0, h);
        conv.inputs = in;
        conv.changed = true;
        consumers.computeIfAbsent(h, k -> new ArrayList<>()).add(conv);
      }
      scale.removed = true;
      shift.removed = true;
      return true;
    }

    /** Whether a Conv pads its input (its pads attribute has a value other than 0). */
    private static boolean padded(Node conv) {
      for (ByteString a : conv.attributes) {
        try {
          UnknownFieldSet attribute = UnknownFieldSet.parseFrom(a);
          String name = string(attribute.getField(ATTR_NAME));
          if (name.equals("auto_pad")) {
            return true;
          }
          if (name.equals("pads") && varints(attribute.getField(ATTR_INTS)).stream()
              .anyMatch(v -> v != 0)) {
            return true;
          }
        } catch (InvalidProtocolBufferException e) {
          return true;
        }
      }
      return false;
    }
  }

  private static String string(UnknownFieldSet.Field f) {
    return f.getLengthDelimitedList().isEmpty() ? ""
        : f.getLengthDelimitedList().get(0).toStringUtf8();
  }

  private static List<String> strings(UnknownFieldSet.Field f) {
    List<String> s = new ArrayList<>();
    f.getLengthDelimitedList().forEach(b -> s.add(b.toStringUtf8()));
    return s;
  }

  /** A repeated int64, written unpacked (varints) or packed (one length-delimited run). */
  private static List<Long> varints(UnknownFieldSet.Field f) throws InvalidProtocolBufferException {
    List<Long> v = new ArrayList<>(f.getVarintList());
    for (ByteString packed : f.getLengthDelimitedList()) {
      com.google.protobuf.CodedInputStream in = packed.newCodedInput();
      try {
        while (!in.isAtEnd()) {
          v.add(in.readInt64());
        }
      } catch (InvalidProtocolBufferException e) {
        throw e;
      } catch (java.io.IOException e) {
        throw new InvalidProtocolBufferException(e);
      }
    }
    return v;
  }

  private static UnknownFieldSet.Field field(List<String> values) {
    UnknownFieldSet.Field.Builder b = UnknownFieldSet.Field.newBuilder();
    values.forEach(v -> b.addLengthDelimited(ByteString.copyFromUtf8(v)));
    return b.build();
  }

  private static ByteString floatAttribute(String name, float value) {
    return UnknownFieldSet.newBuilder()
        .addField(ATTR_NAME, field(List.of(name)))
        .addField(ATTR_F, UnknownFieldSet.Field.newBuilder()
            .addFixed32(Float.floatToRawIntBits(value)).build())
        .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTR_TYPE_FLOAT).build())
        .build().toByteString();
  }

  private static ByteString tensorAttribute(List<Long> dims, float[] data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    UnknownFieldSet.Field.Builder d = UnknownFieldSet.Field.newBuilder();
    dims.forEach(d::addVarint);
    ByteString tensor = UnknownFieldSet.newBuilder()
        .addField(TENSOR_DIMS, d.build())
        .addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(TYPE_FLOAT).build())
        .addField(TENSOR_RAW_DATA, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFrom(raw.array())).build())
        .build().toByteString();
    return UnknownFieldSet.newBuilder()
        .addField(ATTR_NAME, field(List.of("value")))
        .addField(ATTR_T, UnknownFieldSet.Field.newBuilder().addLengthDelimited(tensor).build())
        .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(4).build())
        .build().toByteString();
  }
}
