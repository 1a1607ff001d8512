package dev.opticalmemory.memory;

/**
 * What makes a segment worth keeping sharp, beside its age: signals that need no LLM.
 *
 * @param pinned whether one of its turns is pinned ({@link OpticalMemory#pin})
 * @param salience how much its turns state facts (numbers, dates, names, identifiers, first-person
 *     statements), 0 to 1, the mean over its turns of the memory's {@link Salience}
 * @param rehearsals how often recall returned it, spaced at least
 *     {@link #REHEARSAL_SPACING} text tokens apart (a burst of recalls counts once)
 * @param tokensSinceRehearsed text tokens appended since the last counted rehearsal, or -1 if it
 *     was never rehearsed
 */
public record Importance(boolean pinned, double salience, int rehearsals,
    long tokensSinceRehearsed) {

  /** No signal: a segment nothing marks out. */
  public static final Importance NONE = new Importance(false, 0, 0, -1);

  /**
   * Text tokens appended between two rehearsals of a segment for the second to count, as spaced
   * repetition spaces its reviews: the same page recalled ten times in one exchange is rehearsed
   * once.
   */
  public static final long REHEARSAL_SPACING = 500;

  /**
   * A typical turn's salience under {@link Salience#facts()}: the mean over the turns of LoCoMo's
   * tuning conversation (26), 0.23 (the other two score 0.19 and 0.22). A segment this salient ages
   * at the pace of its {@link AgingPolicy}; small talk faster, facts slower.
   */
  public static final double TYPICAL_SALIENCE = 0.23;

  /** Rehearsals beyond this many add nothing more. */
  public static final int MAX_REHEARSALS = 4;

  /**
   * Checks the ranges.
   *
   * @param pinned whether one of its turns is pinned
   * @param salience 0 to 1
   * @param rehearsals 0 or more
   * @param tokensSinceRehearsed -1 or more
   */
  public Importance {
    if (!(salience >= 0 && salience <= 1)) {
      throw new IllegalArgumentException("salience must be between 0 and 1, but is: " + salience);
    }
    if (rehearsals < 0 || tokensSinceRehearsed < -1) {
      throw new IllegalArgumentException("rehearsals must be 0 or more and tokensSinceRehearsed -1"
          + " or more, but are: " + rehearsals + ", " + tokensSinceRehearsed);
    }
  }

  /**
   * How many times more slowly the segment ages than a typical one: (1 + 2 salience) / (1 + 2
   * {@link #TYPICAL_SALIENCE}), so that importance moves sharpness from small talk (0.68) to facts
   * (up to 2.05) rather than slowing the whole memory, times 2 to the power of its rehearsals (at
   * most {@link #MAX_REHEARSALS}), as spaced repetition doubles the interval after each review. A
   * pinned segment is not slowed by this; it stops at BASE instead
   * ({@link AgingPolicy#withImportance()}).
   *
   * @return the factor, above 0
   */
  public double stability() {
    return (1 + 2 * salience) / (1 + 2 * TYPICAL_SALIENCE)
        * (1L << Math.min(rehearsals, MAX_REHEARSALS));
  }

  /**
   * What the context assembler weighs a page's legibility by: 1 + 2 salience + rehearsals / 2 (at
   * most {@link #MAX_REHEARSALS}), and 4 more if pinned.
   *
   * @return the weight, at least 1
   */
  public double weight() {
    return 1 + 2 * salience + 0.5 * Math.min(rehearsals, MAX_REHEARSALS) + (pinned ? 4 : 0);
  }

  /**
   * A short account for reports: "pinned, salience 0.42, recalled 2x".
   *
   * @return the account, or "no signal"
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (pinned) {
      s.append("pinned, ");
    }
    s.append(String.format(java.util.Locale.ROOT, "salience %.2f", salience));
    if (rehearsals > 0) {
      s.append(", recalled ").append(rehearsals).append('x');
    }
    return s.toString();
  }
}
