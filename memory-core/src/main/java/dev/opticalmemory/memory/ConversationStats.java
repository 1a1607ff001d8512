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

  /** The figures of a conversation's segments, with the count of those with work left. */
  static ConversationStats of(MemoryStore.Totals totals, java.util.List<Segment> segments,
      int pending) {
    Map<Tier, Integer> tiers = new java.util.EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      tiers.put(t, 0);
    }
    long bytes = 0;
    for (Segment s : segments) {
      tiers.merge(s.tier(), 1, Integer::sum);
      bytes += s.storedBytes();
    }
    return new ConversationStats(totals.turns(), segments.size(), tiers, totals.textTokens(),
        bytes, pending);
  }
}
