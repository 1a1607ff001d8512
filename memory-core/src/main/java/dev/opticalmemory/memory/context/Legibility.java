package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Tier;

/**
 * How much of what a page holds a reader can still read when the page is sent at a tier: the share
 * of short answers (a name, a date, a number, about fifteen characters) that come through whole. The
 * {@link ContextAssembler} spends a tight budget with it: a blurrier page that its reader cannot
 * read any more is worth less than the tokens it costs, and a sharper page elsewhere is worth more.
 *
 * <p>Two are given: {@link #foxTable()}, DeepSeek-OCR's precision as its paper publishes it
 * (the Fox table), and {@link #uniform()}, a reader that reads every tier alike (the README gives
 * how PP-OCR reads our pages at each tier). Implementations must be thread-safe and
 * pure.
 */
@FunctionalInterface
public interface Legibility {

  /** Characters in a typical answer: the median of the
   * answers found verbatim in their evidence turns of LoCoMo's tuning conversation (26).
   */
  int ANSWER_CHARS = 15;

  /**
   * Characters in a typical English word: what an agent that reads regions back (a read tool)
   * must see whole on a page to find the region, where one without must see the whole answer.
   */
  int WORD_CHARS = 5;

  /**
   * The share of a page's short answers its reader reads whole, 0 to 1.
   *
   * @param tier an image tier
   * @param textTokens the text tokens the page holds
   * @return the share, 0 to 1
   */
  double of(Tier tier, int textTokens);

  /**
   * Every image tier read alike (1.0): the assembler then blurs every page as far as it must before
   * it leaves any out, least important first.
   *
   * @return the uniform legibility
   */
  static Legibility uniform() {
    return (tier, textTokens) -> 1.0;
  }

  /**
   * DeepSeek-OCR as its paper's Fox table gives it: p^{@value #ANSWER_CHARS}, where p is
   * {@link #foxPrecision(Tier, double)} at the page's compression (text tokens over the mode's 64,
   * 100, 256 or 400 vision tokens): an answer survives if none of its characters is misread.
   *
   * @return the Fox-table legibility
   */
  static Legibility foxTable() {
    return foxTable(ANSWER_CHARS);
  }

  /**
   * DeepSeek-OCR as its paper's Fox table gives it, for what must come through whole: p^characters.
   * {@link #foxTable()} is this for an answer ({@value #ANSWER_CHARS} characters); with
   * {@value #WORD_CHARS}, a word, it values pages for an agent that points at a region and reads
   * it back exactly, so blurrier pages that still show where things are keep their worth.
   *
   * @param characters how many characters must be read whole, 1 to 1,000
   * @return the Fox-table legibility for that many characters
   * @throws IllegalArgumentException if {@code characters} is out of range
   */
  static Legibility foxTable(int characters) {
    if (characters < 1 || characters > 1_000) {
      throw new IllegalArgumentException("characters must be between 1 and 1000, but is: "
          + characters);
    }
    return (tier, textTokens) -> Math.pow(foxPrecision(tier,
        Math.max(0, textTokens) / (double) tier.mode().visionTokens()), characters);
  }

  /**
   * DeepSeek-OCR's precision on the Fox benchmark (English pages, "Free OCR.") at a compression
   * ratio, from the paper's table: TINY from the 64-token column made non-increasing (83.8% at
   * 13.2x and 85.9% at 15.1x pooled to 84.85%), SMALL from the 100-token column; BASE and LARGE
   * have no column (the paper says about 97% below 10x), so the 100-token column at the same ratio
   * stands in. Linear between points; below a column's first point its first value; beyond its
   * last point the line through its last two points continues, down to 0.
   *
   * @param tier an image tier
   * @param ratio text tokens over the tier's vision tokens, at least 0
   * @return the precision, 0 to 1
   * @throws IllegalArgumentException if the tier is not an image tier or the ratio is not finite
   */
  static double foxPrecision(Tier tier, double ratio) {
    if (tier == null || !tier.isImage()) {
      throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
    }
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be a finite number at least 0, but is: "
          + ratio);
    }
    return FoxTable.interpolate(tier == Tier.TINY ? FoxTable.TINY : FoxTable.SMALL, ratio);
  }

  /**
   * Whether {@code ratio} lies beyond the last point of the column {@link #foxPrecision} uses for
   * {@code tier}, where it extrapolates.
   *
   * @param tier an image tier
   * @param ratio the compression ratio
   * @return whether the precision there is extrapolated
   */
  static boolean foxExtrapolated(Tier tier, double ratio) {
    double[][] curve = tier == Tier.TINY ? FoxTable.TINY : FoxTable.SMALL;
    return ratio > curve[curve.length - 1][0];
  }
}
