package dev.opticalmemory.memory;

import dev.langchain4j.model.embedding.EmbeddingModel;

/**
 * An {@link Embedder} over one of LangChain4j's in-process embedding models, made from its class
 * name: only this class names LangChain4j's types, so that the rest of the memory loads without
 * the optional dependencies.
 */
final class LangChainEmbedder implements Embedder {
  private final EmbeddingModel model;

  private LangChainEmbedder(EmbeddingModel model) {
    this.model = model;
  }

  static Embedder load(String className) {
    try {
      return new LangChainEmbedder((EmbeddingModel) Class.forName(className, true,
          LangChainEmbedder.class.getClassLoader()).getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new MemoryException("cannot load the embedding model " + className, e);
    }
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }
}
