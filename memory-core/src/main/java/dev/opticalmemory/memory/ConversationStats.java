package dev.opticalmemory.memory;

import java.util.Map;

/**
 * A conversation's figures.
 *
 * @param turns turns appended
 * @param segments segments, the open one included
 * @param tiers how many segments are at each tier (every tier present, zeros included)
 * @param textTokens what the whole conversation costs as text tokens
 * @param storedBytes bytes stored for it now: images and kept text
 * @param pendingTransitions segments whose policy tier is lower than their tier (background work
 *     still to do)
 */
public record ConversationStats(
    int turns,
    int segments,
    Map<Tier, Integer> tiers,
    long textTokens,
    long storedBytes,
    int pendingTransitions) {

  /**
   * Copies the tier counts.
   *
   * @param turns turns appended
   * @param segments segments, the open one included
   * @param tiers how many segments are at each tier (every tier present, zeros included)
   * @param textTokens what the whole conversation costs as text tokens
   * @param storedBytes bytes stored for it now: images and kept text
   * @param pendingTransitions segments whose policy tier is lower than their tier (background work
   *     still to do)
   */
  public ConversationStats {
    tiers = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(tiers));
  }
}
