package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Tier;

/**
 * One item of an assembled context: a turn as text ({@link TextItem}) or a segment's page as an
 * image ({@link PageItem}). A switch over the two is exhaustive.
 */
public sealed interface ContextItem permits TextItem, PageItem {
  /**
   * The segment the item comes from.
   *
   * @return the segment's id
   */
  long segment();

  /**
   * The segment's position in its conversation.
   *
   * @return 0 for the oldest
   */
  int segmentIndex();

  /**
   * The tier the item is sent at.
   *
   * @return TEXT for text; for a page, its stored tier or a lower one chosen to fit the budget
   */
  Tier tier();

  /**
   * The segment's tier in the memory.
   *
   * @return the stored tier
   */
  Tier storedTier();

  /**
   * What the item costs the reader.
   *
   * @return tokens
   */
  int tokens();
}
