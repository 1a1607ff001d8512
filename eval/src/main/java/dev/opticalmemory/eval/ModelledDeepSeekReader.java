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
 *
 * <p>The other end of the band, {@link Errors#BURSTS} ({@value #BURSTS_NAME}): the same precision
 * per page, reached by whole words misread (each letter or digit of the word replaced, as a model
 * that writes a plausible word in place of the printed one) and whole lines dropped (read as an
 * empty line), half of the edit distance each. The published evidence (a VLM on dense pages falls
 * back on its language priors and writes other words; a 10,000-token input collapses whole
 * stretches) describes this kind of error; the mix is again our choice.
 */
final class ModelledDeepSeekReader implements AgedPageReader {
  static final String NAME = "deepseek-modelled";
  static final String BURSTS_NAME = "deepseek-bursts";

  /** How the modelled reader's errors fall on a page. */
  enum Errors {
    /** Character edits at independent positions (the harsher assumption for short answers). */
    INDEPENDENT,
    /** Whole words misread and whole lines dropped. */
    BURSTS
  }

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final long seed;
  private final Errors errors;
  /** Pages read, by everything the reading depends on; a run reads a few hundred. */
  private final Map<List<Object>, String> read = new ConcurrentHashMap<>();

  ModelledDeepSeekReader(long seed, Errors errors) {
    this.seed = seed;
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  @Override
  public String name() {
    return errors == Errors.INDEPENDENT ? NAME : BURSTS_NAME;
  }

  @Override
  public String description() {
    return name() + ": DeepSeek-OCR modelled on the paper's Fox table (a model calibrated on a"
        + " published table, not a measurement; errors "
        + (errors == Errors.INDEPENDENT ? "as independent character edits" : "in bursts: whole"
            + " words misread, whole lines dropped") + "; seed " + seed + ")";
  }

  @Override
  public boolean measured() {
    return false;
  }

  @Override
  public Legibility legibility() {
    return Legibility.foxTable();
  }

  @Override
  public Legibility pointing() {
    return Legibility.foxTable(Legibility.WORD_CHARS);
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
    String out = corrupt(page.sourceText(), rate, new SplittableRandom(pageSeed), errors);
    for (int i = 0; i < 4 && rate > 0 && rate < 1; i++) {
      double measured = 1 - TextMetrics.precision(out, page.sourceText());
      if (measured <= 0 || Math.abs(measured - (1 - target)) < 0.002) {
        break;
      }
      rate = Math.min(1, rate * (1 - target) / measured);
      out = corrupt(page.sourceText(), rate, new SplittableRandom(pageSeed), errors);
    }
    return out;
  }

  private static String corrupt(String text, double rate, SplittableRandom random, Errors errors) {
    return errors == Errors.INDEPENDENT ? corrupt(text, rate, random) : bursts(text, rate, random);
  }

  /**
   * The text with about {@code rate * non-space characters} of edit distance in bursts: lines
   * dropped (left empty, so the lines that follow keep their places) until half of it, then whole
   * words misread until the rest; lines and words are picked at random, each once.
   */
  static String bursts(String text, double rate, SplittableRandom random) {
    String[] lines = text.split("\n", -1);
    long nonSpace = text.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    double target = Math.max(0, Math.min(1, rate)) * nonSpace;
    double dropped = 0;
    List<Integer> order = shuffled(lines.length, random);
    boolean[] drop = new boolean[lines.length];
    for (int i : order) {
      if (dropped >= target / 2) {
        break;
      }
      int chars = (int) lines[i].codePoints().filter(c -> !Character.isWhitespace(c)).count();
      if (chars > 0 && dropped + chars <= target / 2 + chars / 2.0) {
        drop[i] = true;
        dropped += chars;
      }
    }
    // Words of the lines kept, each as [line, start, end) in code units.
    List<int[]> words = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (drop[i]) {
        continue;
      }
      String line = lines[i];
      int start = -1;
      for (int j = 0; j <= line.length(); j++) {
        boolean space = j == line.length() || Character.isWhitespace(line.charAt(j));
        if (!space && start < 0) {
          start = j;
        } else if (space && start >= 0) {
          words.add(new int[] {i, start, j});
          start = -1;
        }
      }
    }
    double misread = 0;
    StringBuilder[] out = new StringBuilder[lines.length];
    for (int i = 0; i < lines.length; i++) {
      out[i] = new StringBuilder(drop[i] ? "" : lines[i]);
    }
    for (int w : shuffled(words.size(), random)) {
      if (dropped + misread >= target) {
        break;
      }
      int[] word = words.get(w);
      StringBuilder line = out[word[0]];
      for (int j = word[1]; j < word[2]; j++) {
        char c = line.charAt(j);
        if (Character.isLetterOrDigit(c)) {
          line.setCharAt(j, (char) other(c, random));
          misread++;
        }
      }
    }
    StringBuilder joined = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      joined.append(i == 0 ? "" : "\n").append(out[i]);
    }
    return joined.toString();
  }

  private static List<Integer> shuffled(int n, SplittableRandom random) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return order;
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
