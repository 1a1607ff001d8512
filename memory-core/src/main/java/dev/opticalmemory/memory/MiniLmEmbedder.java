package dev.opticalmemory.memory;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The default {@link Embedder}: LangChain4j's quantized all-MiniLM-L6-v2. Only this class names
 * the optional dependency, so that the rest of the memory loads without it.
 */
final class MiniLmEmbedder implements Embedder {
  private final EmbeddingModel model;

  private MiniLmEmbedder(EmbeddingModel model) {
    this.model = model;
  }

  static Embedder load() {
    return new MiniLmEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel());
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }
}
