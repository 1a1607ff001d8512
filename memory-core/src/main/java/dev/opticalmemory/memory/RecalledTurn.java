package dev.opticalmemory.memory;

import java.time.Instant;

/**
 * One turn that recall returns: a turn that matched the query, or a neighbour of one on the same
 * page, with its number and its timestamp.
 *
 * @param turn the turn's number in the conversation, from 0
 * @param time when it was appended, or null if unknown
 * @param text its text with the speaker's label, verbatim from a TEXT segment, otherwise as read
 *     from the page's image at the segment's tier (empty if nothing of it could be read)
 * @param match whether it matched the query (a query word, or the turn most like the query), rather
 *     than being returned as the neighbour of one
 */
public record RecalledTurn(int turn, Instant time, String text, boolean match) {
  /**
   * Checks the parts.
   *
   * @param turn the turn's number in the conversation, from 0
   * @param time when it was appended, or null if unknown
   * @param text its text with the speaker's label
   * @param match whether it matched the query rather than being a neighbour of one
   */
  public RecalledTurn {
    if (turn < 0) {
      throw new IllegalArgumentException("turn must be at least 0, but is: " + turn);
    }
    if (text == null) {
      throw new NullPointerException("text");
    }
  }
}
