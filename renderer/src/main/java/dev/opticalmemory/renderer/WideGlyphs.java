package dev.opticalmemory.renderer;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The characters a {@link FontModelReader} knows besides its Latin set: the CJK punctuation,
 * kana, ideographs, Hangul and full-width forms that a fallback font of the page draws (some
 * 42,600 with Noto Sans CJK). Too many to try each at every pen position, so each has a picture:
 * its ink averaged over a {@value #GRID} by {@value #GRID} grid of its cell (its advance wide, the
 * line's height tall), drawn at the line's phase of the pixels and taken down the page's chain. A
 * cell of a line is pictured the same way from the step's pixels, and the few characters whose
 * pictures are nearest are then compared exactly, glyph template against pixels, by the reader.
 *
 * <p>Pictures are compared coarse to fine: the first 16 numbers are the means of 2 by 2 blocks,
 * four times whose squared distance bounds the distance over the 64 fine ones, so most characters
 * are passed over after 16 differences. Pictures are made per step and phase on the first line
 * that needs them, so that pages without such characters never pay for them.
 */
final class WideGlyphs {
  static final int GRID = 8;
  private static final int COARSE = (GRID / 2) * (GRID / 2);
  static final int SIZE = COARSE + GRID * GRID;
  /**
   * Where the characters are looked for: the Basic Multilingual Plane from Latin-1 on, and the
   * Supplementary Ideographic Planes. Surrogates and private use are left out.
   */
  private static final int[][] RANGES = {{0x00A0, 0xD7FF}, {0xF900, 0xFFFD}, {0x20000, 0x3134F}};

  /**
   * Whether {@code cp} is a compatibility variant of another character that a fallback font draws
   * (a Kangxi radical of its ideograph, a half-width form of its full-width one): the two are
   * drawn alike, and the character people write is the other one.
   */
  private static boolean isVariant(GlyphMetrics metrics, int cp) {
    String form = java.text.Normalizer.normalize(new String(Character.toChars(cp)),
        java.text.Normalizer.Form.NFKC);
    return form.codePointCount(0, form.length()) == 1 && form.codePointAt(0) != cp
        && metrics.fontFor(form.codePointAt(0)) > 0;
  }

  /**
   * Whether {@code cp} is of the blocks that text is written in: CJK punctuation, kana, the unified
   * ideographs, Hangul syllables, full-width forms. Others (radicals, extension ideographs,
   * symbols) come after them, so that where two are drawn alike the common one is read.
   */
  static boolean isCommon(int cp) {
    return cp >= 0x3000 && cp <= 0x30FF || cp >= 0x4E00 && cp <= 0x9FFF
        || cp >= 0xAC00 && cp <= 0xD7A3 || cp >= 0xFF01 && cp <= 0xFF60;
  }

  /** One advance shared by some characters: they are compared with a cell of that width. */
  record Group(float advance, int from, int to) {}

  /** Glyphs drawn side by side in one image, taken down the chain together. */
  private static final int PER_STRIP = 256;

  private final GlyphMetrics metrics;
  private final GlyphTemplates glyphs;
  private final double scale0;
  private final int period;
  private final int[] widths;
  private final int[] heights;
  private final float boxTop;
  private final float boxBottom;
  private final int[] codePoints;
  private final List<Group> groups;
  /**
   * Per step and pen phase (across and down), the pictures of every character as that step shows
   * it at that phase, made on first use: one byte per number, 0 for white to 255 for black.
   */
  private final Pictures[] pictures;

  /**
   * The pictures of every character at one step and phase, and their indexes sorted into buckets by
   * the mean darkness of each quarter of the cell ({@link #quarters}), {@code BUCKETS ^ 4} buckets
   * per group from {@code start[group * BUCKETS ^ 4]}: a picture whose quarter means differ by
   * {@code D1..D4} from another's is at least {@code 16 * (D1^2 + ... + D4^2)} from it, so a search
   * looks only in the buckets near the quarters it looks for.
   */
  private record Pictures(byte[] numbers, int[] sorted, int[] start) {}

  /** Buckets per quarter's mean: 8 of 32 levels each. */
  private static final int BUCKETS = 8;
  private static final int BUCKET_LEVELS = 256 / BUCKETS;
  /**
   * Distance beyond which a picture is no candidate: a glyph at its own place and phase is far
   * nearer its picture, a wrong place far farther (the figures are in docs/ocr.md).
   */
  static final long FAR = 1 << 15;

  private WideGlyphs(GlyphMetrics metrics, GlyphTemplates glyphs, double scale0, int period,
      int[] widths, int[] heights, float boxTop, float boxBottom, int[] codePoints,
      List<Group> groups) {
    this.metrics = metrics;
    this.glyphs = glyphs;
    this.scale0 = scale0;
    this.period = period;
    this.widths = widths;
    this.heights = heights;
    this.boxTop = boxTop;
    this.boxBottom = boxBottom;
    this.codePoints = codePoints;
    this.groups = groups;
    this.pictures = new Pictures[widths.length * period * period];
  }

  /**
   * The characters of the blocks that a font other than the first draws, grouped by advance; each
   * pictured between {@code boxTop} and {@code boxBottom} of its baseline (logical pixels).
   */
  static WideGlyphs of(GlyphMetrics metrics, GlyphTemplates glyphs, double scale0, int period,
      int[] widths, int[] heights, float boxTop, float boxBottom) {
    Map<Integer, List<Integer>> byAdvance = new LinkedHashMap<>();
    for (int[] range : RANGES) {
      for (int cp = range[0]; cp <= range[1]; cp++) {
        if (!Character.isDefined(cp) || Character.isISOControl(cp) || Character.isWhitespace(cp)
            || metrics.fontFor(cp) <= 0 || isVariant(metrics, cp)) {
          continue;
        }
        float advance = metrics.advance(metrics.fontFor(cp), cp);
        if (advance > 0) {
          byAdvance.computeIfAbsent(Math.round(advance * 64), k -> new ArrayList<>()).add(cp);
        }
      }
    }
    // Common characters first: the search keeps the first of equally near pictures.
    byAdvance.values().forEach(list -> list.sort(
        java.util.Comparator.comparing((Integer cp) -> !isCommon(cp))));
    int total = byAdvance.values().stream().mapToInt(List::size).sum();
    int[] codePoints = new int[total];
    List<Group> groups = new ArrayList<>();
    int n = 0;
    for (Map.Entry<Integer, List<Integer>> e : byAdvance.entrySet()) {
      int from = n;
      for (int cp : e.getValue()) {
        codePoints[n++] = cp;
      }
      groups.add(new Group(e.getKey() / 64f, from, n));
    }
    return new WideGlyphs(metrics, glyphs, scale0, period, widths, heights, boxTop,
        boxBottom, codePoints, List.copyOf(groups));
  }

  /** The pictures at {@code step} and pen phases, made on first use. */
  private synchronized Pictures pictures(int step, int xPhase, int yPhase) {
    int key = (step * period + xPhase) * period + yPhase;
    if (pictures[key] == null) {
      byte[] all = new byte[codePoints.length * SIZE];
      List<int[]> strips = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        for (int from = groups.get(g).from(); from < groups.get(g).to(); from += PER_STRIP) {
          strips.add(new int[] {g, from, Math.min(groups.get(g).to(), from + PER_STRIP)});
        }
      }
      // Each strip writes its own characters' pictures, on a pool of this drawing's own: the
      // common pool is the application's, and seconds of drawing there would stall its tasks.
      java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(
          Runtime.getRuntime().availableProcessors());
      try {
        pool.submit(() -> strips.parallelStream().forEach(t -> strip(step, xPhase, yPhase,
            groups.get(t[0]).advance(), t[1], t[2], all))).join();
      } finally {
        pool.shutdown();
      }
      int perGroup = BUCKETS * BUCKETS * BUCKETS * BUCKETS;
      int[] start = new int[groups.size() * perGroup + 1];
      int[] bucket = new int[codePoints.length];
      int[] quarter = new int[4];
      for (int g = 0; g < groups.size(); g++) {
        for (int c = groups.get(g).from(); c < groups.get(g).to(); c++) {
          quarters(all, c * SIZE, quarter);
          bucket[c] = g * perGroup + bucketOf(quarter);
          start[bucket[c] + 1]++;
        }
      }
      for (int b = 0; b < start.length - 1; b++) {
        start[b + 1] += start[b];
      }
      int[] sorted = new int[codePoints.length];
      int[] fill = Arrays.copyOf(start, start.length);
      for (int c = 0; c < codePoints.length; c++) {
        sorted[fill[bucket[c]]++] = c; // in index order within a bucket: common characters first
      }
      pictures[key] = new Pictures(all, sorted, start);
    }
    return pictures[key];
  }

  /** Draws characters {@code [from, to)} side by side, takes them down, and pictures each. */
  private void strip(int step, int xPhase, int yPhase, float advance, int from, int to,
      byte[] out) {
    // A period of blank each side keeps neighbours' ink apart down the chain: wide glyphs keep
    // within their advance.
    int cell = (int) Math.ceil((advance * scale0 + 3.0 * period) / period) * period;
    int baseline = (int) Math.ceil((period - boxTop * scale0) / period) * period + yPhase;
    int height = (int) Math.ceil((baseline + boxBottom * scale0 + period) / period) * period;
    int width = cell * (to - from);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = GlyphTemplates.canvas(image, scale0);
    try {
      for (int i = from; i < to; i++) {
        int cp = codePoints[i];
        g.setFont(metrics.font(metrics.fontFor(cp)));
        g.drawString(new String(Character.toChars(cp)), (float) (((i - from) * cell + period
            + xPhase) / scale0), (float) (baseline / scale0));
      }
    } finally {
      g.dispose();
    }
    BufferedImage down = glyphs.down(image, step);
    int w = down.getWidth();
    byte[] raw = (byte[]) down.getRaster().getDataElements(0, 0, w, down.getHeight(), null);
    float[] dark = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      dark[i] = (255 - (raw[i] & 0xFF)) / 255f;
    }
    double toStep = (double) widths[step] / widths[0];
    double toStepY = (double) heights[step] / heights[0];
    double y0 = (baseline + boxTop * scale0) * toStepY;
    double y1 = (baseline + boxBottom * scale0) * toStepY;
    int[] picture = new int[SIZE];
    for (int i = from; i < to; i++) {
      double x0 = ((i - from) * cell + period + xPhase) * toStep;
      picture(dark, w, x0, x0 + advance * scale0 * toStep, y0, y1, picture);
      for (int j = 0; j < SIZE; j++) {
        out[i * SIZE + j] = (byte) picture[j];
      }
    }
  }

  List<Group> groups() {
    return groups;
  }

  int codePoint(int index) {
    return codePoints[index];
  }

  /**
   * Pictures the box {@code [x0, x1) x [y0, y1)} (in pixels, fractions allowed) of an image of
   * darkness {@code width} wide into {@code out}: each grid cell the mean of the pixels it covers,
   * weighted by coverage, from 0 to 255; the means of 2 by 2 blocks of them in front.
   */
  static void picture(float[] dark, int width, double x0, double x1, double y0, double y1,
      int[] out) {
    int height = dark.length / width;
    double cw = (x1 - x0) / GRID;
    double ch = (y1 - y0) / GRID;
    int[] blocks = new int[COARSE];
    for (int gy = 0; gy < GRID; gy++) {
      double top = y0 + gy * ch;
      double bottom = top + ch;
      for (int gx = 0; gx < GRID; gx++) {
        double left = x0 + gx * cw;
        double right = left + cw;
        double sum = 0;
        for (int y = Math.max(0, (int) Math.floor(top)); y < Math.min(height, Math.ceil(bottom));
            y++) {
          double wy = Math.min(bottom, y + 1) - Math.max(top, y);
          for (int x = Math.max(0, (int) Math.floor(left)); x < Math.min(width, Math.ceil(right));
              x++) {
            double wx = Math.min(right, x + 1) - Math.max(left, x);
            if (wx > 0 && wy > 0) {
              sum += wx * wy * dark[y * width + x];
            }
          }
        }
        int v = (int) Math.min(255, Math.round(255 * sum / (cw * ch)));
        out[COARSE + gy * GRID + gx] = v;
        blocks[(gy / 2) * (GRID / 2) + gx / 2] += v;
      }
    }
    for (int b = 0; b < COARSE; b++) {
      out[b] = (blocks[b] + 2) / 4;
    }
  }

  /** The mean of each quarter of a picture (from its block means), 0 to 255. */
  private static void quarters(byte[] numbers, int offset, int[] out) {
    int half = GRID / 4;
    for (int q = 0; q < 4; q++) {
      int sum = 0;
      for (int by = 0; by < half; by++) {
        for (int bx = 0; bx < half; bx++) {
          sum += numbers[offset + ((q / 2) * half + by) * (GRID / 2) + (q % 2) * half + bx] & 0xFF;
        }
      }
      out[q] = sum / (half * half);
    }
  }

  private static int bucketOf(int[] quarter) {
    int b = 0;
    for (int q = 0; q < 4; q++) {
      b = b * BUCKETS + Math.min(BUCKETS - 1, quarter[q] / BUCKET_LEVELS);
    }
    return b;
  }

  /**
   * The indexes of the {@code k} characters of group {@code g} whose pictures at {@code step} and
   * the pen phases are nearest to {@code picture}, nearest first.
   */
  int[] nearest(int step, int xPhase, int yPhase, int g, int[] picture, int k) {
    Pictures set = pictures(step, xPhase, yPhase);
    byte[] pictures = set.numbers();
    int[] best = new int[k];
    long[] distance = new long[k];
    Arrays.fill(best, Integer.MAX_VALUE);
    Arrays.fill(distance, FAR);
    byte[] mine = new byte[COARSE];
    for (int i = 0; i < COARSE; i++) {
      mine[i] = (byte) picture[i];
    }
    int[] quarter = new int[4];
    quarters(mine, 0, quarter);
    // Buckets whose quarter means are within sqrt(FAR / 16) of the picture's, on each quarter.
    int reach = (int) Math.ceil(Math.sqrt(FAR / 16.0));
    int[] lo = new int[4];
    int[] hi = new int[4];
    for (int q = 0; q < 4; q++) {
      lo[q] = Math.max(0, (quarter[q] - reach) / BUCKET_LEVELS);
      hi[q] = Math.min(BUCKETS - 1, (quarter[q] + reach) / BUCKET_LEVELS);
    }
    int base0 = g * BUCKETS * BUCKETS * BUCKETS * BUCKETS;
    // The picture's own bucket first: once a near picture is found, far buckets are passed over.
    int own = bucketOf(quarter);
    for (int j = set.start()[base0 + own]; j < set.start()[base0 + own + 1]; j++) {
      consider(set.sorted()[j], pictures, picture, best, distance);
    }
    for (int b0 = lo[0]; b0 <= hi[0]; b0++) {
      long d0 = gap(quarter[0], b0);
      for (int b1 = lo[1]; b1 <= hi[1]; b1++) {
        long d1 = d0 + gap(quarter[1], b1);
        for (int b2 = lo[2]; b2 <= hi[2]; b2++) {
          long d2 = d1 + gap(quarter[2], b2);
          for (int b3 = lo[3]; b3 <= hi[3]; b3++) {
            int b = ((b0 * BUCKETS + b1) * BUCKETS + b2) * BUCKETS + b3;
            if (b == own || 16 * (d2 + gap(quarter[3], b3)) > bound(distance)) {
              continue;
            }
            for (int j = set.start()[base0 + b]; j < set.start()[base0 + b + 1]; j++) {
              consider(set.sorted()[j], pictures, picture, best, distance);
            }
          }
        }
      }
    }
    int found = 0;
    while (found < best.length && best[found] != Integer.MAX_VALUE) {
      found++;
    }
    return Arrays.copyOf(best, found);
  }

  /** The squared distance from a quarter's mean to the levels of a bucket (0 inside it). */
  private static long gap(int mean, int bucket) {
    int low = bucket * BUCKET_LEVELS;
    int high = low + BUCKET_LEVELS - 1;
    long d = mean < low ? low - mean : mean > high ? mean - high : 0;
    return d * d;
  }

  /**
   * The farthest a picture may be to be kept: no farther than the last kept, nor than four times
   * the nearest and some quantisation, which no exact comparison would then prefer.
   */
  private static long bound(long[] distance) {
    return Math.min(distance[distance.length - 1], 4 * distance[0] + 4096);
  }

  /** Puts character {@code c} among the nearest found so far if it is nearer than the bound. */
  private static void consider(int c, byte[] pictures, int[] picture, int[] best,
      long[] distance) {
    int k = best.length;
    int base = c * SIZE;
    long worst = bound(distance);
    long d = 0;
    // Four times the squared distance of block means bounds the fine distance from below.
    for (int i = 0; i < COARSE && 4 * d <= worst; i++) {
      int diff = picture[i] - (pictures[base + i] & 0xFF);
      d += diff * diff;
    }
    if (4 * d > worst) {
      return;
    }
    d = 0;
    for (int i = COARSE; i < SIZE && d <= worst; i++) {
      int diff = picture[i] - (pictures[base + i] & 0xFF);
      d += diff * diff;
    }
    if (d > worst || d == worst && c > best[k - 1]) {
      return;
    }
    // Equally near pictures: the lower index (the common character) first.
    int at = k - 1;
    while (at > 0 && (distance[at - 1] > d || distance[at - 1] == d && best[at - 1] > c)) {
      distance[at] = distance[at - 1];
      best[at] = best[at - 1];
      at--;
    }
    distance[at] = d;
    best[at] = c;
  }
}
