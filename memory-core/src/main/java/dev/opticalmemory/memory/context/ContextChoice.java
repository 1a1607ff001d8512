package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Importance;
import dev.opticalmemory.memory.Tier;

/**
 * Why a page was sent blurrier than stored, or left out, to fit a budget.
 *
 * @param segment the segment's id
 * @param segmentIndex its position in the conversation (0 = oldest)
 * @param storedTier its tier in the memory (TEXT for a closed text segment sent as its page)
 * @param sentTier the tier it is sent at, or null if it was left out
 * @param importance its importance as the assembler weighed it
 * @param reason why, in words: the rule that chose it and the figures it compared
 */
public record ContextChoice(long segment, int segmentIndex, Tier storedTier, Tier sentTier,
    Importance importance, String reason) {

  /**
   * Whether the page was left out.
   *
   * @return whether it is not in the context
   */
  public boolean leftOut() {
    return sentTier == null;
  }
}
