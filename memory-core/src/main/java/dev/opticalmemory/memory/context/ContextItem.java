package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;

/**
 * One item of an assembled context: a turn as text, or a segment's page as an image.
 *
 * @param kind text or image
 * @param segment the segment's id
 * @param segmentIndex the segment's position in its conversation (0 = oldest)
 * @param tier the tier it is sent at: TEXT for text; for an image, the segment's stored tier or a
 *     lower one the assembler chose to fit the budget
 * @param storedTier the segment's tier in the memory
 * @param tokens what it costs the reader
 * @param turn the turn, for text items (null for images)
 * @param turnNumber the turn's number in the conversation, from 0, for text items (-1 for images)
 * @param side the image's side in pixels as sent (0 for text)
 * @param detail the image's detail (null for text)
 * @param mediaOmitted for a text item, whether the turn's media (a user's images) were left out to
 *     fit, its text kept ({@link TurnPricing#priceWithoutMedia})
 */
public record ContextItem(Kind kind, long segment, int segmentIndex, Tier tier, Tier storedTier,
    int tokens, MemoryTurn turn, int turnNumber, int side, Detail detail, boolean mediaOmitted) {

  /**
   * An item whose media, if any, are all sent.
   *
   * @param kind text or image
   * @param segment the segment's id
   * @param segmentIndex the segment's position in its conversation
   * @param tier the tier it is sent at
   * @param storedTier the segment's tier in the memory
   * @param tokens what it costs the reader
   * @param turn the turn, for text items
   * @param turnNumber the turn's number, for text items (-1 for images)
   * @param side the image's side in pixels as sent (0 for text)
   * @param detail the image's detail (null for text)
   */
  public ContextItem(Kind kind, long segment, int segmentIndex, Tier tier, Tier storedTier,
      int tokens, MemoryTurn turn, int turnNumber, int side, Detail detail) {
    this(kind, segment, segmentIndex, tier, storedTier, tokens, turn, turnNumber, side, detail,
        false);
  }

  /** What an item is. */
  public enum Kind {
    /** A turn sent as text. */
    TEXT,
    /** A page sent as an image. */
    IMAGE
  }

  /**
   * Text in the form it is counted and sent: "speaker: text", or the text alone.
   *
   * @return the turn's text, or null for an image
   */
  public String text() {
    if (turn == null) {
      return null;
    }
    return turn.labelledText();
  }
}
