package dev.opticalmemory.memory.context;

/** How the {@link ContextAssembler} makes pages cheaper when they do not fit a budget. */
public enum Spending {
  /**
   * Oldest first: the oldest page goes down the tiers as far as it can, then the next older one;
   * only when no page can get cheaper are pages left out, oldest first. Importance is not looked
   * at. The default before importance was weighed.
   */
  RECENCY,
  /**
   * By value per token: each step takes the change (a page one or more tiers lower, or left out)
   * that loses the least value per token saved, where a page's value is its
   * {@link dev.opticalmemory.memory.Importance#weight() importance weight} times its reader's
   * {@link Legibility} at the tier; ties go to the less important page, then the older one. A
   * pinned page goes below BASE or out only when nothing else is left. For a reader that reads
   * every tier alike this blurs the least important pages first and leaves them out last; for
   * DeepSeek-OCR, whose TINY pages keep few answers, it leaves the least important pages out
   * rather than blur many to TINY.
   */
  IMPORTANCE
}
