package dev.opticalmemory.memory;

import java.time.Instant;

/**
 * A segment moved down a tier.
 *
 * @param conversation the conversation
 * @param segment the segment's id
 * @param index the segment's position in the conversation
 * @param from the tier it left
 * @param to the tier it is at now
 * @param cause why it moved
 * @param storedBytes bytes of the new tier's image (0 for FORGOTTEN and for TEXT to LARGE, whose
 *     image was made when the segment closed)
 * @param at when the move was committed (the memory's clock)
 */
public record Transition(
    String conversation,
    long segment,
    int index,
    Tier from,
    Tier to,
    Cause cause,
    long storedBytes,
    Instant at) {

  /** Why a segment moved. */
  public enum Cause {
    /** Its aging policy said so. */
    AGED,
    /** A token or storage budget asked for room. */
    BUDGET,
    /** A caller asked for it ({@link MemoryOperations#demote}). */
    EXPLICIT
  }
}
