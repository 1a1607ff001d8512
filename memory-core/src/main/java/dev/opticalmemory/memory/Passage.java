package dev.opticalmemory.memory;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Turns of one page read back by {@link OpticalMemory#read}: their source text where the memory
 * still keeps it, else what the page's image at its tier decodes to, flagged as decoded.
 *
 * @param segment the segment's id
 * @param page the page's number in its conversation ({@link Segment#index()}), as contexts, stats
 *     and page images number it
 * @param tier the segment's tier when it was read
 * @param fromTurn the first turn read, inclusive
 * @param toTurn the last turn read, inclusive
 * @param turns the turns, in order, each with its number, time and text ("speaker: text")
 * @param decoded whether the text was decoded from the page's image rather than kept as written
 * @param wordAccuracy for decoded text, the measured word accuracy of this page at its tier, when
 *     it was measured; empty otherwise (text as written is exact)
 * @param missingFonts for decoded text, the fonts the page was drawn with that this process does
 *     not have: the lines in them were read by the OCR engine, and {@code wordAccuracy} is then
 *     empty; empty otherwise
 */
public record Passage(long segment, int page, Tier tier, int fromTurn, int toTurn,
    List<RecalledTurn> turns, boolean decoded, OptionalDouble wordAccuracy,
    List<String> missingFonts) {

  /**
   * Checks and copies the parts.
   *
   * @param segment the segment's id
   * @param page the page's number
   * @param tier the segment's tier
   * @param fromTurn the first turn read
   * @param toTurn the last turn read
   * @param turns the turns
   * @param decoded whether the text was decoded
   * @param wordAccuracy the measured word accuracy of decoded text, or empty
   * @param missingFonts the fonts the page was drawn with that this process does not have
   */
  public Passage {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(wordAccuracy, "wordAccuracy");
    if (fromTurn > toTurn) {
      throw new IllegalArgumentException("fromTurn must not be after toTurn, but they are "
          + fromTurn + " and " + toTurn);
    }
    turns = List.copyOf(turns);
    missingFonts = List.copyOf(missingFonts);
  }

  /**
   * A passage read with the fonts its page was drawn with, or kept as written.
   *
   * @param segment the segment's id
   * @param page the page's number
   * @param tier the segment's tier
   * @param fromTurn the first turn read
   * @param toTurn the last turn read
   * @param turns the turns
   * @param decoded whether the text was decoded
   * @param wordAccuracy the measured word accuracy of decoded text, or empty
   */
  public Passage(long segment, int page, Tier tier, int fromTurn, int toTurn,
      List<RecalledTurn> turns, boolean decoded, OptionalDouble wordAccuracy) {
    this(segment, page, tier, fromTurn, toTurn, turns, decoded, wordAccuracy, List.of());
  }

  /**
   * The turns as lines, "turn N: speaker: text", one per turn.
   *
   * @return the text
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (RecalledTurn t : turns) {
      out.append("turn ").append(t.turn()).append(": ").append(t.text().strip()).append('\n');
    }
    return out.toString();
  }
}
