package dev.opticalmemory.eval;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.Legibility;
import dev.opticalmemory.ocr.TextMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DeepSeek-OCR as a model calibrated on the paper's Fox table, not a measurement: it never looks at
 * the pixels. For a page that holds N text tokens sent at a tier of V vision tokens (64, 100, 256,
 * 400: DeepSeek-OCR's modes), it returns the page's source text with character edits drawn at the
 * rate 1 - p(N / V), so that the paper's precision (1 - edit distance over the longer text,
 * whitespace removed) of its output is p.
 *
 * <p>p comes from the Fox table (English pages, "Free OCR."), as {@link Legibility#foxPrecision}
 * gives it:
 * <ul>
 *   <li>TINY (64 tokens): the 64-token column, made non-increasing by pooling adjacent violators
 *       (83.8% at 13.2x and 85.9% at 15.1x become 84.85% at both), linear between points.
 *   <li>SMALL (100 tokens): the 100-token column, linear between points.
 *   <li>BASE and LARGE (256, 400 tokens): the paper measured no column; it states about 97% below
 *       10x. We extrapolate: p is the 100-token column at the same ratio, so a page is read as
 *       well as a SMALL page of the same compression. Our BASE and LARGE pages sit at 2-5x, where
 *       that is 98.5%.
 *   <li>Below a column's first point, its first value holds; beyond its last point, the line
 *       through its last two points continues, down to 0 (an extrapolation; the report counts such
 *       pages).
 * </ul>
 *
 * <p>The edits: the paper publishes no mix, so we choose one and say so: at distinct non-space
 * positions, 50% substitutions (a different letter or digit), 30% deletions, 20% insertions (a
 * letter or digit before the position), each independent of the others. Real readers err in
 * bursts (a dropped line, a misread word), which spares more short answers at the same precision;
 * independent edits are the harsher assumption for answer survival.
 */
final class ModelledDeepSeekReader implements PageReader {
  static final String NAME = "deepseek-modelled";

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final long seed;
  /** Pages read, by everything the reading depends on; a run reads a few hundred. */
  private final Map<List<Object>, String> read = new ConcurrentHashMap<>();

  ModelledDeepSeekReader(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME + ": DeepSeek-OCR modelled on the paper's Fox table (a model calibrated on a"
        + " published table, not a measurement; seed " + seed + ")";
  }

  @Override
  public boolean measured() {
    return false;
  }

  @Override
  public Legibility legibility() {
    return Legibility.foxTable();
  }

  /** DeepSeek-OCR's vision tokens for a tier: its mode's 64, 100, 256 or 400. */
  static int visionTokens(Tier tier) {
    return tier.mode().visionTokens();
  }

  @Override
  public String read(Page page) {
    return read.computeIfAbsent(List.of(page.conversation(), page.segmentIndex(), page.tier(),
        page.textTokens(), page.sourceText()), k -> calibrated(page));
  }

  /**
   * Edits at rate 1 - p, then as many more or fewer as make the measured precision p: at high
   * rates edits overlap and the edit distance falls short of their number (40% of edits measure
   * about 38%). Each try starts from the page's own seed, so the result is deterministic.
   */
  private String calibrated(Page page) {
    double target = Legibility.foxPrecision(page.tier(),
        (double) page.textTokens() / visionTokens(page.tier()));
    long pageSeed = Objects.hash(seed, page.conversation(), page.segmentIndex(),
        page.tier().name());
    double rate = 1 - target;
    String out = corrupt(page.sourceText(), rate, new SplittableRandom(pageSeed));
    for (int i = 0; i < 4 && rate > 0 && rate < 1; i++) {
      double measured = 1 - TextMetrics.precision(out, page.sourceText());
      if (measured <= 0 || Math.abs(measured - (1 - target)) < 0.002) {
        break;
      }
      rate = Math.min(1, rate * (1 - target) / measured);
      out = corrupt(page.sourceText(), rate, new SplittableRandom(pageSeed));
    }
    return out;
  }

  /**
   * The text with {@code round(rate * non-space characters)} edits at distinct non-space positions,
   * in the mix the class comment gives.
   */
  static String corrupt(String text, double rate, SplittableRandom random) {
    int[] cps = text.codePoints().toArray();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < cps.length; i++) {
      if (!Character.isWhitespace(cps[i])) {
        positions.add(i);
      }
    }
    int edits = (int) Math.round(Math.max(0, Math.min(1, rate)) * positions.size());
    // A partial Fisher-Yates shuffle picks the positions.
    byte[] kind = new byte[cps.length];
    for (int i = 0; i < edits; i++) {
      int j = i + random.nextInt(positions.size() - i);
      int chosen = positions.get(j);
      positions.set(j, positions.get(i));
      positions.set(i, chosen);
      double r = random.nextDouble();
      kind[chosen] = (byte) (r < 0.5 ? 1 : r < 0.8 ? 2 : 3);
    }
    StringBuilder out = new StringBuilder(text.length() + edits);
    for (int i = 0; i < cps.length; i++) {
      switch (kind[i]) {
        case 1:
          out.appendCodePoint(other(cps[i], random));
          break;
        case 2:
          break;
        case 3:
          out.appendCodePoint(other(-1, random)).appendCodePoint(cps[i]);
          break;
        default:
          out.appendCodePoint(cps[i]);
      }
    }
    return out.toString();
  }

  private static int other(int cp, SplittableRandom random) {
    int c;
    do {
      c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    } while (Character.toLowerCase(c) == Character.toLowerCase(cp));
    return c;
  }
}
