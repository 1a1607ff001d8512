package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.util.Objects;

/**
 * A segment's page sent as an image.
 *
 * @param segment the segment's id
 * @param segmentIndex the segment's position in its conversation (0 = oldest)
 * @param tier the tier it is sent at: the segment's stored tier, or a lower one the assembler chose
 *     to fit the budget
 * @param storedTier the segment's tier in the memory (TEXT for a page rendered but not aged yet)
 * @param tokens what it costs the reader: its image, and its label where the {@link TurnPricing}
 *     prices one
 * @param side the image's side in pixels as sent
 * @param detail the image's detail as the reader is asked for it
 */
public record PageItem(long segment, int segmentIndex, Tier tier, Tier storedTier, int tokens,
    int side, Detail detail) implements ContextItem {

  /**
   * Checks the parts.
   *
   * @param segment the segment's id
   * @param segmentIndex the segment's position in its conversation
   * @param tier the tier it is sent at
   * @param storedTier the segment's tier in the memory
   * @param tokens what it costs the reader
   * @param side the image's side in pixels as sent
   * @param detail the image's detail
   * @throws NullPointerException if a tier or the detail is null
   * @throws IllegalArgumentException if the tier is not an image tier or the side is not positive
   */
  public PageItem {
    Objects.requireNonNull(storedTier, "storedTier");
    Objects.requireNonNull(detail, "detail");
    if (tier == null || !tier.isImage()) {
      throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
    }
    if (side <= 0) {
      throw new IllegalArgumentException("side must be positive, but is: " + side);
    }
  }
}
