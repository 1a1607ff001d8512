package dev.opticalmemory.memory;

import java.time.Duration;
import java.util.Map;

/**
 * Decides the tier a closed segment should be at, given its age. The memory asks after every append
 * to the segment's conversation (and on {@link MemoryOperations#age(String)}), and moves the segment
 * down one tier at a time until it reaches the answer; a policy never moves a segment back up.
 *
 * <p>Implementations must be pure functions of the age (the memory may ask many times) and
 * thread-safe.
 */
@FunctionalInterface
public interface AgingPolicy {

  /**
   * The tier the segment should be at now. An answer above the current tier is ignored.
   *
   * @param age the segment's age
   * @return the tier it should be at
   */
  Tier tierFor(SegmentAge age);

  /**
   * How old a closed segment is.
   *
   * @param tokensSinceClosed text tokens appended to the conversation since the segment closed
   * @param turnsSinceClosed turns appended since it closed
   * @param timeSinceClosed time since it closed, by the memory's clock
   * @param newerSegments segments after it, the open one included
   * @param fidelity measured precision per image tier, where measured
   * @param importance what marks the segment out: pins, salience, rehearsals
   */
  record SegmentAge(
      long tokensSinceClosed,
      int turnsSinceClosed,
      Duration timeSinceClosed,
      int newerSegments,
      Map<Tier, Double> fidelity,
      Importance importance) {

    /**
     * Copies the fidelity map.
     *
     * @param tokensSinceClosed text tokens appended to the conversation since the segment closed
     * @param turnsSinceClosed turns appended since it closed
     * @param timeSinceClosed time since it closed, by the memory's clock
     * @param newerSegments segments after it, the open one included
     * @param fidelity measured precision per image tier, where measured
     * @param importance what marks the segment out (null: {@link Importance#NONE})
     */
    public SegmentAge {
      fidelity = Map.copyOf(fidelity);
      importance = importance == null ? Importance.NONE : importance;
    }

    /**
     * An age with no importance signal ({@link Importance#NONE}).
     *
     * @param tokensSinceClosed text tokens appended to the conversation since the segment closed
     * @param turnsSinceClosed turns appended since it closed
     * @param timeSinceClosed time since it closed, by the memory's clock
     * @param newerSegments segments after it, the open one included
     * @param fidelity measured precision per image tier, where measured
     */
    public SegmentAge(long tokensSinceClosed, int turnsSinceClosed, Duration timeSinceClosed,
        int newerSegments, Map<Tier, Double> fidelity) {
      this(tokensSinceClosed, turnsSinceClosed, timeSinceClosed, newerSegments, fidelity,
          Importance.NONE);
    }
  }

  /**
   * The default policy: {@link #recency()} {@link #withImportance() with importance}, so that a
   * salient, recalled or pinned segment ages more slowly than small talk.
   *
   * @return the default policy
   */
  static AgingPolicy defaults() {
    return recency().withImportance();
  }

  /**
   * By age alone, in text tokens appended since the segment closed: TEXT below 2,000 (so the last
   * few thousand tokens stay verbatim, the open segment's included), LARGE below 6,000, BASE below
   * 14,000, SMALL below 30,000, TINY below 120,000, then FORGOTTEN. A LoCoMo conversation (15,000 to
   * 25,000 tokens) then ends with segments at TEXT, LARGE, BASE and SMALL. The default until
   * importance was weighed.
   *
   * @return the recency-only policy
   */
  static AgingPolicy recency() {
    return byTokens(2_000, 6_000, 14_000, 30_000, 120_000);
  }

  /**
   * By tokens since the segment closed: a segment leaves TEXT at {@code large} tokens, goes to BASE
   * at {@code base}, and so on; each threshold at least the one before. {@code Long.MAX_VALUE}
   * means never.
   *
   * @param large tokens after which a segment becomes LARGE
   * @param base tokens after which it becomes BASE
   * @param small tokens after which it becomes SMALL
   * @param tiny tokens after which it becomes TINY
   * @param forgotten tokens after which it is forgotten
   * @return the policy
   */
  static AgingPolicy byTokens(long large, long base, long small, long tiny, long forgotten) {
    long[] thresholds = checked("byTokens", large, base, small, tiny, forgotten);
    return age -> byThresholds(age.tokensSinceClosed(), thresholds);
  }

  /**
   * By time since the segment closed, thresholds as for {@link #byTokens}.
   *
   * @param large time after which a segment becomes LARGE
   * @param base time after which it becomes BASE
   * @param small time after which it becomes SMALL
   * @param tiny time after which it becomes TINY
   * @param forgotten time after which it is forgotten
   * @return the policy
   */
  static AgingPolicy byTime(Duration large, Duration base, Duration small, Duration tiny,
      Duration forgotten) {
    for (Duration d : new Duration[] {large, base, small, tiny, forgotten}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("byTime thresholds must be zero or positive, but one is: "
            + d);
      }
    }
    long[] thresholds = checked("byTime", large.toMillis(), base.toMillis(), small.toMillis(),
        tiny.toMillis(), forgotten.toMillis());
    return age -> byThresholds(age.timeSinceClosed().toMillis(), thresholds);
  }

  /**
   * Every closed segment straight to one tier (LARGE to FORGOTTEN), for experiments that compare
   * tiers at equal budgets; TEXT keeps every segment verbatim.
   *
   * @param tier the tier
   * @return the policy
   */
  static AgingPolicy fixed(Tier tier) {
    if (tier == null) {
      throw new NullPointerException("tier");
    }
    return age -> tier;
  }

  /**
   * This policy, but never below the last image tier whose measured fidelity is at least {@code
   * floor}: a segment whose Small image read back at 0.80 with a floor of 0.9 stops at Base.
   * Forgetting is still allowed. Tiers with no measurement do not stop a segment, so this needs
   * {@link OpticalMemoryBuilder#measureFidelity(boolean)}.
   *
   * @param floor the lowest measured precision a tier may have, 0 to 1
   * @return the policy
   */
  default AgingPolicy withFidelityFloor(double floor) {
    if (!(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be between 0 and 1, but is: " + floor);
    }
    AgingPolicy inner = this;
    return age -> {
      Tier wanted = inner.tierFor(age);
      if (wanted == Tier.FORGOTTEN || !wanted.isImage()) {
        return wanted;
      }
      Tier allowed = Tier.TEXT;
      for (Tier t = Tier.LARGE; t != Tier.FORGOTTEN && !wanted.isAbove(t); t = t.next()) {
        Double f = age.fidelity().get(t);
        if (f != null && f < floor) {
          break;
        }
        allowed = t;
      }
      return allowed;
    };
  }

  /** What a rehearsal (the segment returned by recall) does to its aging. */
  enum Rehearsal {
    /**
     * Slows it: each spaced rehearsal doubles the segment's stability (at most
     * {@link Importance#MAX_REHEARSALS} times), as spaced repetition lengthens the interval after
     * each review. The default.
     */
    SLOWS,
    /** Restarts it: the segment's age counts from its last rehearsal instead of its closing. */
    RESTARTS
  }

  /**
   * This policy, with importance weighed against age, rehearsal slowing aging
   * ({@link Rehearsal#SLOWS}): below LARGE, the segment is asked about at its age divided by
   * {@link Importance#stability()} (tokens, turns and time alike), so a salient segment blurs up
   * to twice as slowly as a typical one and small talk about 1.5 times faster, and each spaced
   * rehearsal doubles that; and a pinned segment never goes below BASE nor is forgotten. The step
   * from TEXT to LARGE, which keeps every word, is never delayed by importance (small talk may take
   * it sooner, and loses nothing by it). Why slowing
   * rather than restarting: a page already blurred stays as blurred (a policy never moves a
   * segment up), so a restart only holds it where it is for a while, and the README's "Forgetting
   * that keeps what matters" gives the two measured side by side.
   *
   * @return the importance-weighing policy
   */
  default AgingPolicy withImportance() {
    return withImportance(Rehearsal.SLOWS);
  }

  /**
   * This policy, with importance weighed against age as {@link #withImportance()} does, and
   * rehearsal doing {@code rehearsal}: with {@link Rehearsal#RESTARTS}, a rehearsed segment's age
   * (tokens; turns and time scaled alike) counts from its last counted rehearsal, divided by its
   * salience's stability alone.
   *
   * @param rehearsal what a rehearsal does
   * @return the importance-weighing policy
   */
  default AgingPolicy withImportance(Rehearsal rehearsal) {
    if (rehearsal == null) {
      throw new NullPointerException("rehearsal");
    }
    AgingPolicy inner = this;
    return age -> {
      Importance importance = age.importance();
      boolean restart = rehearsal == Rehearsal.RESTARTS && importance.rehearsals() > 0
          && importance.tokensSinceRehearsed() >= 0;
      double stability = restart
          ? new Importance(false, importance.salience(), 0, -1).stability()
          : importance.stability();
      double since = restart && age.tokensSinceClosed() > 0
          ? Math.min(1, (double) importance.tokensSinceRehearsed() / age.tokensSinceClosed())
          : 1;
      double scale = since / stability;
      Tier byAge = inner.tierFor(age);
      Tier wanted = scale == 1 ? byAge : inner.tierFor(new SegmentAge(
          (long) (age.tokensSinceClosed() * scale),
          (int) (age.turnsSinceClosed() * scale),
          Duration.ofMillis((long) (age.timeSinceClosed().toMillis() * scale)),
          age.newerSegments(), age.fidelity(), importance));
      if (wanted == Tier.TEXT && byAge != Tier.TEXT) {
        wanted = Tier.LARGE; // the first page keeps every word: importance does not delay it
      }
      return importance.pinned() && Tier.BASE.isAbove(wanted) ? Tier.BASE : wanted;
    };
  }

  private static long[] checked(String name, long... thresholds) {
    long previous = 0;
    for (long t : thresholds) {
      if (t < previous) {
        throw new IllegalArgumentException(name + " thresholds must be zero or more and never "
            + "decrease, but are: " + java.util.Arrays.toString(thresholds));
      }
      previous = t;
    }
    return thresholds;
  }

  private static Tier byThresholds(long value, long[] thresholds) {
    Tier tier = Tier.TEXT;
    for (long threshold : thresholds) {
      if (value < threshold) {
        return tier;
      }
      tier = tier.next();
    }
    return tier;
  }
}
