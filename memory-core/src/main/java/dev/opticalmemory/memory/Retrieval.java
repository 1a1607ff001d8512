package dev.opticalmemory.memory;

/** How {@link OpticalMemory#recall} ranks segments. */
public enum Retrieval {
  /** BM25 over the words of the turns (the index built when a page is rendered); the default. */
  LEXICAL,
  /**
   * By meaning: cosine similarity of the query's embedding and each turn's, made from the turn's
   * source text when its page was rendered (so a faded page is still found; its words come back
   * at the fidelity of its tier).
   */
  DENSE,
  /** Both rankings fused by reciprocal rank (see the README). */
  HYBRID;

  /**
   * How this mode ranks, in a few words with its constants, for reports.
   *
   * @return the description, for example "reciprocal rank fusion of BM25 and embeddings, k = 10,
   *     dense weight 0.5"
   */
  public String description() {
    return switch (this) {
      case LEXICAL -> "BM25 (k1 = " + Recall.BM25_K1 + ", b = " + Recall.BM25_B + ") by page";
      case DENSE -> "cosine similarity, each page by its turn most like the query, each turn"
          + " embedded after the turn before it";
      case HYBRID -> "reciprocal rank fusion of BM25 and embeddings, k = " + (int) Recall.RRF_K
          + (Recall.DENSE_WEIGHT == 1.0 ? ", equal weights" : ", dense weight "
          + Recall.DENSE_WEIGHT);
    };
  }
}
