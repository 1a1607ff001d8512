package dev.opticalmemory.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What recall found in one segment: the turns that matched, each with its neighbours on the page,
 * and their text read back at the segment's tier.
 *
 * @param segment the segment's id
 * @param index the segment's position in its conversation
 * @param firstTurn the first turn the text comes from
 * @param lastTurn the last turn the text comes from
 * @param tier the tier it was read from
 * @param text the turns' text, one after another: verbatim for a TEXT segment, otherwise what the
 *     page's image at its tier was read as (decoded once in the background, or by OCR of just these
 *     lines if not decoded yet)
 * @param fidelity the measured precision of this tier's image for this segment (1 for TEXT), or
 *     empty where it was not measured
 * @param wordAccuracy the measured word accuracy of this tier's image for this segment (1 for
 *     TEXT), or empty where it was not measured
 * @param score the score that ranked it (BM25, or reciprocal rank fusion in hybrid retrieval);
 *     empty when a segment was decoded by id
 * @param wholePage whether the whole page was read, not just the matching turns and neighbours
 * @param time when the first returned turn was appended (its timestamp), or null if unknown
 * @param turns the returned turns in order, each with its number, timestamp and text; those that
 *     matched the query are marked, the others are their neighbours (the turn before and after, on
 *     the same page)
 * @param missingFonts the fonts the page was drawn with that this process does not have (it was
 *     drawn on another machine): the lines in those fonts were read by the OCR engine, not the page
 *     reader, and {@code fidelity} and {@code wordAccuracy} are then empty, since they were
 *     measured with the font; empty for a page read with its fonts
 */
public record Recollection(
    long segment,
    int index,
    int firstTurn,
    int lastTurn,
    Tier tier,
    String text,
    OptionalDouble fidelity,
    OptionalDouble wordAccuracy,
    OptionalDouble score,
    boolean wholePage,
    Instant time,
    List<RecalledTurn> turns,
    List<String> missingFonts) {

  /**
   * Copies the turns.
   *
   * @param segment the segment's id
   * @param index the segment's position in its conversation
   * @param firstTurn the first turn the text comes from
   * @param lastTurn the last turn the text comes from
   * @param tier the tier it was read from
   * @param text the turns' text, one after another
   * @param fidelity the measured precision of this tier's image, or empty
   * @param wordAccuracy the measured word accuracy of this tier's image, or empty
   * @param score the score that ranked it, or empty
   * @param wholePage whether the whole page was read
   * @param time when the first returned turn was appended, or null if unknown
   * @param turns the returned turns in order
   * @param missingFonts the fonts the page was drawn with that this process does not have
   */
  public Recollection {
    Objects.requireNonNull(fidelity, "fidelity");
    Objects.requireNonNull(wordAccuracy, "wordAccuracy");
    Objects.requireNonNull(score, "score");
    turns = List.copyOf(turns);
    missingFonts = List.copyOf(missingFonts);
  }

  /**
   * A recollection of a page read with the fonts it was drawn with.
   *
   * @param segment the segment's id
   * @param index the segment's position in its conversation
   * @param firstTurn the first turn the text comes from
   * @param lastTurn the last turn the text comes from
   * @param tier the tier it was read from
   * @param text the turns' text, one after another
   * @param fidelity the measured precision of this tier's image, or empty
   * @param wordAccuracy the measured word accuracy of this tier's image, or empty
   * @param score the score that ranked it, or empty
   * @param wholePage whether the whole page was read
   * @param time when the first returned turn was appended, or null if unknown
   * @param turns the returned turns in order
   */
  public Recollection(long segment, int index, int firstTurn, int lastTurn, Tier tier, String text,
      OptionalDouble fidelity, OptionalDouble wordAccuracy, OptionalDouble score,
      boolean wholePage, Instant time, List<RecalledTurn> turns) {
    this(segment, index, firstTurn, lastTurn, tier, text, fidelity, wordAccuracy, score,
        wholePage, time, turns, List.of());
  }
}
