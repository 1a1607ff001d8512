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
  /** Both rankings fused by weighted reciprocal rank (BM25 leads; see the README). */
  HYBRID
}
