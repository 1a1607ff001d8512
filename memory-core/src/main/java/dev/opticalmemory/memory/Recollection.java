package dev.opticalmemory.memory;

/**
 * What recall found in one segment.
 *
 * @param segment the segment's id
 * @param index the segment's position in its conversation
 * @param firstTurn the first turn the text comes from
 * @param lastTurn the last turn the text comes from
 * @param tier the tier it was read from
 * @param text the text: verbatim for a TEXT segment, otherwise what the OCR engine read from the
 *     page image (only the matching lines and their neighbours, unless a whole page was asked for)
 * @param fidelity the measured precision of this tier's image for this segment (1 for TEXT), or
 *     {@code NaN} where it was not measured
 * @param score the lexical (BM25) score that ranked it; {@code NaN} when a segment was decoded by id
 * @param wholePage whether the whole page was decoded, not just the matching lines
 * @param time when the first turn of the text was appended (its timestamp), or null if unknown:
 *     LoCoMo-style questions ask "when"
 */
public record Recollection(
    long segment,
    int index,
    int firstTurn,
    int lastTurn,
    Tier tier,
    String text,
    double fidelity,
    double score,
    boolean wholePage,
    java.time.Instant time) {}
