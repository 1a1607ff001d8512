package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Tier;
import java.util.Objects;

/**
 * A turn sent as text.
 *
 * @param segment the segment's id
 * @param segmentIndex the segment's position in its conversation (0 = oldest)
 * @param storedTier the segment's tier in the memory
 * @param tokens what it costs the reader
 * @param turn the turn
 * @param turnNumber the turn's number in the conversation, from 0
 * @param mediaOmitted whether the turn's media (a user's images) were left out to fit, its text
 *     kept ({@link TurnPricing#priceWithoutMedia})
 */
public record TextItem(long segment, int segmentIndex, Tier storedTier, int tokens,
    MemoryTurn turn, int turnNumber, boolean mediaOmitted) implements ContextItem {

  /**
   * Checks the parts.
   *
   * @param segment the segment's id
   * @param segmentIndex the segment's position in its conversation
   * @param storedTier the segment's tier in the memory
   * @param tokens what it costs the reader
   * @param turn the turn
   * @param turnNumber the turn's number in the conversation
   * @param mediaOmitted whether the turn's media were left out
   * @throws NullPointerException if the turn or tier is null
   * @throws IllegalArgumentException if the turn number or tokens are negative
   */
  public TextItem {
    Objects.requireNonNull(storedTier, "storedTier");
    Objects.requireNonNull(turn, "turn");
    if (turnNumber < 0 || tokens < 0) {
      throw new IllegalArgumentException("turnNumber and tokens must not be negative, but are: "
          + turnNumber + ", " + tokens);
    }
  }

  /**
   * Text items are sent as text.
   *
   * @return {@link Tier#TEXT}
   */
  @Override
  public Tier tier() {
    return Tier.TEXT;
  }

  /**
   * Text in the form it is counted and sent: "speaker: text", or the text alone.
   *
   * @return the turn's text
   */
  public String text() {
    return turn.labelledText();
  }
}
