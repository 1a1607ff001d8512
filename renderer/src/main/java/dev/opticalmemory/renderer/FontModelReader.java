package dev.opticalmemory.renderer;

import dev.opticalmemory.renderer.GlyphTemplates.Template;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link PageReader} by analysis by synthesis.
 *
 * <p>A line is read with the Latin characters first. Only a line they cannot explain is read
 * again with the fallback fonts' glyphs as well ({@link WideGlyphs}): at each grid point that a
 * pen reaches, the few glyphs whose pictures are nearest to the cell are tried like any character,
 * so that Latin pages cost what they did.
 *
 * <p>Java2D draws each glyph of an anti-aliased line at its pen position rounded to a whole pixel of
 * the rendered page, so a glyph's pixels at the first step depend only on the glyph and that whole
 * position; each later step is an area average of the step before (and a quantisation), whose
 * weights repeat every {@code period} pixels of the first step (10 for 1280, 1024, 640 and 512 px).
 * A glyph's look at any step is therefore one of {@code period} templates per character and per
 * line (the line fixes the vertical phase), each made once by drawing the glyph alone and taking it
 * down the chain exactly as the page was taken.
 *
 * <p>A line is read by a dynamic program over pen positions (in 1/64 logical pixel): from each
 * position it tries every character and the space, compares the columns between the pen and the next
 * pen with the character's template plus what the previous glyph spills over, and keeps the
 * cheapest way to each position (sum of squared differences of darkness). A bound from column sums
 * in three row bands rejects most characters before their pixels are compared, and positions whose
 * cost is far above the best seen at their column are not expanded. The line ends where the rest of
 * it is cheapest left blank.
 *
 * <p>Glyphs drawn in isolation differ from the page only where two glyphs' edges share a pixel and
 * a step quantises (the black-and-white threshold), which costs little. A glyph the reader does not
 * know costs a lot: a line whose worst cell's cost per pixel is above {@link #MAX_CELL_COST} is
 * given back unread.
 */
final class FontModelReader implements PageReader {
  /** Worst cost per pixel of one character's cell for a line to count as read. */
  static final double MAX_CELL_COST = 0.02;
  /** Positions costlier than the best at their column by more than this (per pixel row) are dropped. */
  private static final double PRUNE_PER_ROW = 0.03;
  static final int BANDS = 3;
  /** What the box drawn for a character no font has is read as. */
  static final int PLACEHOLDER = 0xFFFD;
  /** The placeholder box is drawn at the exact pen: its templates go by 1/32 pixel. */
  static final int PLACEHOLDER_PARTS = 32;
  /** Extra cost per pixel of a cell read as a character outside ASCII. */
  private static final double NON_ASCII_COST = 0.002;
  private static final int BINS = 64;
  /**
   * Cost of each character read, beyond its pixels: where two readings explain the pixels alike
   * (a space before a glyph that goes to the grid anyway), the one with fewer characters wins.
   */
  private static final double CHAR_BIAS = 0.01;
  /** Wide glyphs compared exactly per cell, of those whose pictures are nearest. */
  private static final int WIDE_SHORTLIST = 3;
  /** Typographic punctuation read besides ASCII and Latin-1: quotes, dashes, ellipsis, bullet, euro. */
  private static final String EXTRA_CHARS = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u20ac";

  private final RenderSpec spec;
  private final BarLetters barLetters;
  private final GlyphMetrics metrics;
  private final Font font;
  private final List<Step> chain;
  private final int[] widths;
  private final int[] heights;
  private final double scale0;
  private final int period;
  private final int pad;
  private final int[] chars;
  private final float[] advances;
  private final float spaceAdvance;
  private final float maxAdvance;
  private final float baselineOffset;
  private final GlyphTemplates glyphs;
  /** Whether a font after the first draws some characters: then lines may hold wide glyphs. */
  private final boolean hasFallback;
  private volatile WideGlyphs wide;

  FontModelReader(RenderSpec spec, List<Step> chain,
      java.util.function.Predicate<String> knownWords) {
    this.spec = Objects.requireNonNull(spec, "spec must not be null");
    this.barLetters = new BarLetters(
        Objects.requireNonNull(knownWords, "knownWords must not be null"));
    Objects.requireNonNull(chain, "chain must not be null");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must have at least one step, but is empty");
    }
    this.chain = List.copyOf(chain);
    this.metrics = new GlyphMetrics(spec.fonts(), spec.fontSize());
    this.font = metrics.font(0);
    int n = chain.size();
    widths = new int[n];
    heights = new int[n];
    int longSide = Math.max(spec.width(), spec.height());
    scale0 = (double) chain.get(0).pixels() / longSide;
    widths[0] = Math.max(1, (int) Math.round(spec.width() * scale0));
    heights[0] = Math.max(1, (int) Math.round(spec.height() * scale0));
    for (int i = 1; i < n; i++) {
      int previous = Math.max(widths[i - 1], heights[i - 1]);
      if (chain.get(i).pixels() >= previous) {
        throw new IllegalArgumentException("chain must get smaller step by step, but step " + i
            + " is " + chain.get(i).pixels() + " px after " + previous + " px");
      }
      double scale = (double) chain.get(i).pixels() / previous;
      widths[i] = Math.max(1, (int) Math.round(widths[i - 1] * scale));
      heights[i] = Math.max(1, (int) Math.round(heights[i - 1] * scale));
    }
    this.period = period(widths, heights);
    int fontPixels = (int) Math.ceil(spec.fontSize() * scale0);
    this.pad = period == 0 ? 0 : (fontPixels / period + 1) * period;
    List<Integer> list = new ArrayList<>();
    for (int c = 33; c < 127; c++) {
      list.add(c);
    }
    for (int c = 0xA1; c <= 0xFF; c++) {
      if (c != 0xAD) {
        list.add(c); // Latin-1: letters with accents, signs; not the soft hyphen (drawn as nothing)
      }
    }
    EXTRA_CHARS.codePoints().forEach(list::add);
    list.removeIf(c -> metrics.fontFor(c) != 0);
    list.add(PLACEHOLDER);
    this.chars = list.stream().mapToInt(Integer::intValue).toArray();
    this.advances = new float[chars.length];
    for (int i = 0; i < chars.length; i++) {
      advances[i] = chars[i] == PLACEHOLDER ? metrics.placeholderWidth()
          : metrics.advance(0, chars[i]);
    }
    this.spaceAdvance = metrics.advance(0, ' ');
    float widest = spaceAdvance;
    for (float advance : advances) {
      widest = Math.max(widest, advance);
    }
    this.maxAdvance = widest;
    this.baselineOffset = LineBreaker.baselineOffset(spec, metrics);
    this.glyphs = new GlyphTemplates(spec, metrics, chain, widths, heights, scale0, period, pad,
        chars, baselineOffset);
    this.hasFallback = spec.fonts().fonts().size() > 1;
  }

  /** The wide glyphs, pictured on first use. */
  private WideGlyphs wide() {
    WideGlyphs w = wide;
    if (w == null) {
      synchronized (this) {
        w = wide;
        if (w == null) {
          w = WideGlyphs.of(metrics, glyphs, scale0, period, widths, heights,
              -baselineOffset, spec.lineHeight() - baselineOffset);
          wide = w;
        }
      }
    }
    return w;
  }

  /** Smallest whole number of first-step pixels over which every step's grid repeats, or 0. */
  private static int period(int[] widths, int[] heights) {
    for (int p = 1; p <= 64; p++) {
      boolean whole = true;
      for (int i = 1; i < widths.length && whole; i++) {
        whole = (long) p * widths[i] % widths[0] == 0 && (long) p * heights[i] % heights[0] == 0;
      }
      if (whole) {
        return p;
      }
    }
    return 0;
  }

  @Override
  public List<Optional<String>> read(BufferedImage image, List<Float> lineTops) {
    Objects.requireNonNull(image, "image must not be null");
    Objects.requireNonNull(lineTops, "lineTops must not be null");
    List<Optional<String>> result = new ArrayList<>(lineTops.size());
    int step = -1;
    for (int i = 0; i < widths.length; i++) {
      if (image.getWidth() == widths[i] && image.getHeight() == heights[i]) {
        step = i;
      }
    }
    if (step < 0 || period == 0) {
      lineTops.forEach(t -> result.add(Optional.empty()));
      return result;
    }
    BufferedImage gray = PageImages.toGray(image);
    for (Float top : lineTops) {
      Objects.requireNonNull(top, "lineTops must not hold null");
      String text = new Line(gray, step, top, null).read();
      if (text == null && hasFallback) {
        // Read again with the fallback fonts' glyphs: only lines the Latin set cannot explain pay.
        text = new Line(gray, step, top, wide()).read();
      }
      result.add(Optional.ofNullable(text));
    }
    return result;
  }






  /** One line being read. */
  private final class Line {
    private final int step;
    private final int width;
    private final int height;
    private final int yPhase;
    private final int bandHeight0;
    private final double sx;
    private final double toStep;
    private final float[] dark;
    private final float[] columnSquares;
    private final float[] bands;
    /** The line's band sums less what the previous glyph spills, for the position in hand. */
    private final float[] residual;
    private final float[] suffix;
    private final int rowFrom;
    private final int rowTo;
    private final double[] bound = new double[chars.length + 1];
    private final Template[] lineTemplates = new Template[chars.length * period];
    /** The wide glyphs to try besides the Latin set, or null. */
    private final WideGlyphs wideGlyphs;
    private final double toStepY;
    private final Map<Long, int[]> shortlists = new HashMap<>();
    private final int[] picture = new int[WideGlyphs.SIZE];
    private TreeMap<Integer, double[]> open;
    private float[] bestAtColumn;
    private double prune;

    Line(BufferedImage gray, int step, float top, WideGlyphs wideGlyphs) {
      this.step = step;
      this.wideGlyphs = wideGlyphs;
      this.width = widths[step];
      this.toStep = (double) widths[step] / widths[0];
      this.sx = scale0 * toStep;
      double scaleY = scale0;
      int bandTop0 = (int) Math.floor(top * scaleY / period) * period;
      int bandBottom0 = (int) Math.ceil((top + spec.lineHeight()) * scaleY / period) * period;
      this.bandHeight0 = bandBottom0 - bandTop0;
      this.yPhase = (int) Math.round((top + baselineOffset) * scaleY) - bandTop0;
      this.toStepY = (double) heights[step] / heights[0];
      int rowTop = (int) Math.round(bandTop0 * toStepY);
      this.height = (int) Math.round(bandHeight0 * toStepY);
      this.dark = new float[width * height];
      this.columnSquares = new float[width];
      this.bands = new float[BANDS * width];
      this.residual = new float[BANDS * width];
      int rows = Math.max(0, Math.min(height, gray.getHeight() - rowTop));
      byte[] raw = rows == 0 || rowTop < 0 ? new byte[0]
          : (byte[]) gray.getRaster().getDataElements(0, rowTop, width, rows, null);
      int[] inner = glyphs.innerRows(step, yPhase, height);
      this.rowFrom = inner[0];
      this.rowTo = inner[1];
      float[] weight = GlyphTemplates.bandWeights(inner);
      for (int y = rowFrom; y < rowTo; y++) {
        int band = (y - rowFrom) * BANDS / (rowTo - rowFrom);
        for (int x = 0; x < width; x++) {
          float d = y < rows && raw.length > 0 ? (255 - (raw[y * width + x] & 0xFF)) / 255f : 0;
          dark[y * width + x] = d;
          columnSquares[x] += d * d;
          if (y >= rowFrom && y < rowTo) {
            bands[x * BANDS + (y - rowFrom) * BANDS / (rowTo - rowFrom)] += d * weight[band];
          }
        }
      }
      suffix = new float[width + 1];
      for (int x = width - 1; x >= 0; x--) {
        suffix[x] = suffix[x + 1] + columnSquares[x];
      }
    }

    private int column(double pen) {
      return (int) Math.round(pen * sx);
    }

    /** First-step pixel where a glyph at {@code pen} is drawn. */
    private int pixel0(double pen) {
      return (int) Math.round(pen * scale0);
    }

    private Template templateAt(int charIndex, double pen) {
      if (charIndex >= chars.length) {
        return glyphs.glyph(step, charIndex - chars.length, Math.floorMod(pixel0(pen), period),
            yPhase, bandHeight0);
      }
      if (chars[charIndex] == PLACEHOLDER) {
        return placeholder(pen);
      }
      return templateAt(charIndex, Math.floorMod(pixel0(pen), period));
    }

    /**
     * The box for a character no font has: drawn as a shape at the exact pen, not a glyph at a
     * whole pixel, so its template also depends on the pen's fraction of a pixel.
     */
    private Template placeholder(double pen) {
      double x = pen * scale0;
      int whole = (int) Math.floor(x);
      int part = (int) Math.round((x - whole) * PLACEHOLDER_PARTS);
      int phase = Math.floorMod(whole, period);
      return glyphs.template(step, chars.length - 1, -(phase * (PLACEHOLDER_PARTS + 1) + part) - 1,
          yPhase, bandHeight0);
    }

    /** Column of this step where the template of character {@code charIndex} at {@code pen} starts. */
    private int origin(int charIndex, double pen) {
      if (charIndex < 0 || charIndex >= chars.length || chars[charIndex] != PLACEHOLDER) {
        return origin(pen);
      }
      int whole = (int) Math.floor(pen * scale0);
      return (int) Math.round((whole - Math.floorMod(whole, period) - pad) * toStep);
    }

    private Template templateAt(int charIndex, int phase) {
      Template t = lineTemplates[charIndex * period + phase];
      if (t == null) {
        t = glyphs.template(step, charIndex, phase, yPhase, bandHeight0);
        lineTemplates[charIndex * period + phase] = t;
      }
      return t;
    }

    /** Column of this step where a glyph's template at {@code pen} starts. */
    private int origin(double pen) {
      int x0 = pixel0(pen);
      return (int) Math.round((x0 - Math.floorMod(x0, period) - pad) * toStep);
    }

    /** Sets {@link #residual} over columns [a, end) for a previous glyph {@code p} at {@code po}. */
    private void spill(int a, int end, Template p, int po) {
      po += p == null ? 0 : p.x0();
      for (int x = a; x < end; x++) {
        int k = x - po;
        boolean inP = p != null && k >= 0 && k < p.width();
        for (int band = 0; band < BANDS; band++) {
          residual[x * BANDS + band] = bands[x * BANDS + band]
              - (inP ? p.bands()[k * BANDS + band] : 0);
        }
      }
    }

    /** A lower bound of {@link #cost}, from the sums of three bands of rows ({@link #spill} first). */
    private double bound(int a, int b, Template t, int to) {
      to += t == null ? 0 : t.x0();
      double bound = 0;
      int x = a;
      if (t != null) {
        // The template's inked columns within [a, b): none where its ink lies wholly outside.
        int first = Math.min(Math.max(a, to), b);
        int end = Math.max(first, Math.min(b, to + t.width()));
        for (; x < first; x++) {
          bound += square(x);
        }
        float[] tb = t.bands();
        for (; x < end; x++) {
          int i = x * BANDS;
          int j = (x - to) * BANDS;
          float d0 = residual[i] - tb[j];
          float d1 = residual[i + 1] - tb[j + 1];
          float d2 = residual[i + 2] - tb[j + 2];
          bound += d0 * d0 + d1 * d1 + d2 * d2;
        }
      }
      for (; x < b; x++) {
        bound += square(x);
      }
      return bound;
    }

    private double square(int x) {
      int i = x * BANDS;
      return residual[i] * residual[i] + residual[i + 1] * residual[i + 1]
          + residual[i + 2] * residual[i + 2];
    }

    /**
     * Cost of columns [a, b): a character's template {@code t} (null for the space) plus what the
     * previous one, {@code p}, spills; {@code Double.MAX_VALUE} as soon as it passes {@code limit}.
     */
    private double cost(int a, int b, Template t, int to, Template p, int po, double limit) {
      to += t == null ? 0 : t.x0();
      po += p == null ? 0 : p.x0();
      double cost = 0;
      for (int x = a; x < b; x++) {
        int j = x - to;
        int k = x - po;
        boolean inT = t != null && j >= 0 && j < t.width();
        boolean inP = p != null && k >= 0 && k < p.width();
        if (!inT && !inP) {
          cost += columnSquares[x];
          if (cost > limit) {
            return Double.MAX_VALUE;
          }
          continue;
        }
        for (int y = rowFrom; y < rowTo; y++) {
          float v = 0;
          if (inT && y < t.height()) {
            v += t.pixels()[y * t.width() + j];
          }
          if (inP && y < p.height()) {
            v += p.pixels()[y * p.width() + k];
          }
          if (v > 1) {
            v = 1;
          }
          float d = dark[y * width + x] - v;
          cost += d * d;
        }
        if (cost > limit) {
          return Double.MAX_VALUE;
        }
      }
      return cost;
    }

    /**
     * The lowest cost of a position at any column from {@code a} to {@code a + reach}: a path that
     * explained at least as many columns for less.
     */
    private double bestFrom(float[] bestAtColumn, int a, int reach) {
      double best = Double.MAX_VALUE;
      for (int c = a, end = Math.min(bestAtColumn.length - 1, a + reach); c <= end; c++) {
        best = Math.min(best, bestAtColumn[c]);
      }
      return best;
    }

    /**
     * Offers the step from {@code state} (at position {@code key}) by character {@code ci}, drawn
     * at {@code at}, to pen {@code next}: its cell's cost, or {@code Double.MAX_VALUE} where it
     * cannot beat what is known ({@code lower} bounds its cost).
     */
    private double offer(int key, double[] state, int ci, double at, double next, double lower,
        Template p, int po, double bestCell) {
      double pen = state[3];
      int a = column(pen);
      int b = column(next);
      int nextBin = (int) Math.round(next * BINS);
      double[] there = open.get(nextBin);
      double limit = Math.min(Math.min(bestAtColumn[b], bestCell + state[0]) + prune,
          there == null ? Double.MAX_VALUE : there[0]) - state[0];
      if (limit <= 0 || lower > limit) {
        return Double.MAX_VALUE;
      }
      double cell = cost(a, b, ci < 0 ? null : templateAt(ci, at), origin(ci, at), p, po,
          limit);
      if (cell == Double.MAX_VALUE) {
        return cell;
      }
      if (ci >= chars.length ? !WideGlyphs.isCommon(ci - chars.length)
          : ci >= 0 && chars[ci] > 126) {
        // Where an ASCII reading explains the pixels as well ("..." and the ellipsis), it wins,
        // and a common wide character wins over a rare one drawn alike. Counted over the glyph's
        // own advance, not the way to the grid before it.
        cell += NON_ASCII_COST * (rowTo - rowFrom) * Math.max(1, b - column(at));
      }
      double total = state[0] + cell + CHAR_BIAS;
      if (there != null && total >= there[0]) {
        return cell; // a cheaper way to the same position is kept
      }
      // A space's cell is judged with the glyph after it: a glyph that reaches back over its
      // pen (the hook of a J) leaves ink there that only the pair explains.
      double pendingCost = state[6] + cell;
      double pendingWidth = state[7] + Math.max(1, b - a);
      double[] nextState = ci < 0
          ? new double[] {total, key, ci, next, at, state[5], pendingCost, pendingWidth}
          : new double[] {total, key, ci, next, at, Math.max(state[5],
              pendingCost / ((rowTo - rowFrom) * pendingWidth)), 0, 0};
      open.put(nextBin, nextState);
      if (total < bestAtColumn[b]) {
        bestAtColumn[b] = (float) total;
      }
      return cell;
    }

    /**
     * The wide glyphs of {@code group} whose pictures are nearest to the cell at {@code pen}: the
     * few worth comparing exactly.
     */
    private int[] shortlist(int g, WideGlyphs.Group group, double pen) {
      return shortlists.computeIfAbsent((Math.round(pen * BINS) << 8) | g, k -> {
        double x0 = pixel0(pen) * toStep;
        double x1 = x0 + group.advance() * scale0 * toStep;
        double y0 = (yPhase - baselineOffset * scale0) * toStepY;
        double y1 = (yPhase + (spec.lineHeight() - baselineOffset) * scale0) * toStepY;
        WideGlyphs.picture(dark, width, x0, x1, y0, y1, picture);
        return wideGlyphs.nearest(step, Math.floorMod(pixel0(pen), period),
            Math.floorMod(yPhase, period), g, picture, WIDE_SHORTLIST);
      });
    }

    /** The line's text, or null if some cell is explained too poorly. */
    String read() {
      int last = width - 1;
      while (last >= 0 && columnSquares[last] < 1e-6) {
        last--;
      }
      if (last < 0) {
        return "";
      }
      double start = spec.margin();
      prune = PRUNE_PER_ROW * height;
      // state: cost, previous bin, char index that led here (-1 space), pen, that char's pen, worst
      // cost per pixel of a cell, and the cost and width of the spaces since the last glyph
      open = new TreeMap<>();
      Map<Integer, double[]> closed = new HashMap<>();
      int startBin = (int) Math.round(start * BINS);
      open.put(startBin, new double[] {0, Integer.MIN_VALUE, -1, start, start, 0, 0, 0});
      bestAtColumn = new float[width + 1];
      Arrays.fill(bestAtColumn, Float.MAX_VALUE);
      double bestEnd = Double.MAX_VALUE;
      int bestEndBin = startBin;
      int reach = (int) Math.ceil(maxAdvance * sx) + 1;
      while (!open.isEmpty()) {
        Map.Entry<Integer, double[]> entry = open.pollFirstEntry();
        double[] state = entry.getValue();
        double pen = state[3];
        int a = column(pen);
        if (a > width || state[0] > bestFrom(bestAtColumn, a, reach) + prune) {
          continue;
        }
        closed.put(entry.getKey(), state);
        double end = state[0] + suffix[Math.min(a, width)];
        if (end < bestEnd) {
          bestEnd = end;
          bestEndBin = entry.getKey();
        }
        if (a > last) {
          continue;
        }
        int previous = (int) state[2];
        Template p = previous < 0 ? null : templateAt(previous, state[4]);
        int po = previous < 0 ? 0 : origin(previous, state[4]);
        // Every character's bound first, then full costs for those whose bound is within the
        // margin of the best full cost found (the margin grows with it, so repeat until no more).
        int to = origin(pen);
        int phase = Math.floorMod(pixel0(pen), period);
        double minBound = Double.MAX_VALUE;
        spill(a, Math.min(width, a + reach), p, po);
        for (int ci = -1; ci < chars.length; ci++) {
          int b = column(pen + (ci < 0 ? spaceAdvance : advances[ci]));
          bound[ci + 1] = b > width ? Double.MAX_VALUE
              : ci >= 0 && chars[ci] == PLACEHOLDER
                  ? bound(a, b, placeholder(pen), origin(ci, pen))
                  : bound(a, b, ci < 0 ? null : templateAt(ci, phase), to);
          minBound = Math.min(minBound, bound[ci + 1]);
        }
        double bestCell = Double.MAX_VALUE;
        double done = -1;
        double threshold = minBound + prune;
        while (threshold > done) {
          for (int ci = -1; ci < chars.length; ci++) {
            double lower = bound[ci + 1];
            if (lower <= done || lower > threshold) {
              continue;
            }
            double next = pen + (ci < 0 ? spaceAdvance : advances[ci]);
            bestCell = Math.min(bestCell,
                offer(entry.getKey(), state, ci, pen, next, lower, p, po, bestCell));
          }
          done = threshold;
          threshold = bestCell == Double.MAX_VALUE ? done : bestCell + prune;
        }
        if (wideGlyphs != null) {
          double at = spec.margin() + metrics.gridPen((float) (pen - spec.margin()));
          for (int g = 0; g < wideGlyphs.groups().size(); g++) {
            WideGlyphs.Group group = wideGlyphs.groups().get(g);
            double next = at + group.advance();
            if (column(next) > width) {
              continue;
            }
            for (int index : shortlist(g, group, at)) {
              bestCell = Math.min(bestCell, offer(entry.getKey(), state,
                  chars.length + wideGlyphs.codePoint(index), at, next, 0, p, po, bestCell));
            }
          }
        }
      }
      StringBuilder text = new StringBuilder();
      double[] state = closed.get(bestEndBin);
      double worst = state[7] == 0 ? state[5]
          : Math.max(state[5], state[6] / ((rowTo - rowFrom) * state[7]));
      int endColumn = Math.min(column(state[3]), width);
      if (endColumn <= last) {
        // Ink left unexplained after the last character counts as a cell too.
        worst = Math.max(worst, suffix[endColumn]
            / ((double) (rowTo - rowFrom) * Math.max(1, last + 1 - endColumn)));
      }
      while (state != null && state[1] != Integer.MIN_VALUE) {
        int ci = (int) state[2];
        text.appendCodePoint(ci < 0 ? ' ' : ci >= chars.length ? ci - chars.length : chars[ci]);
        state = closed.get((int) state[1]);
      }
      if (worst > MAX_CELL_COST) {
        return null;
      }
      return barLetters.words(text.reverse().toString().stripTrailing());
    }
  }
}
