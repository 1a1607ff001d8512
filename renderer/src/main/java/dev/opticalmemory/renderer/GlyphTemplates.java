package dev.opticalmemory.renderer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The glyph templates of a {@link FontModelReader}: each character of its set drawn alone at a pen
 * phase and a baseline row, taken down the page's chain of sizes exactly as the page was, made
 * once on first use and shared by every line the reader reads.
 */
final class GlyphTemplates {
  private static final int BANDS = FontModelReader.BANDS;
  private static final int PLACEHOLDER = FontModelReader.PLACEHOLDER;
  private static final int PLACEHOLDER_PARTS = FontModelReader.PLACEHOLDER_PARTS;

  private final RenderSpec spec;
  private final GlyphMetrics metrics;
  private final List<PageReader.Step> chain;
  private final int[] widths;
  private final int[] heights;
  private final double scale0;
  private final int period;
  private final int pad;
  private final int[] chars;
  private final float baselineOffset;
  private final Map<Long, Template> templates = new ConcurrentHashMap<>();

  GlyphTemplates(RenderSpec spec, GlyphMetrics metrics, List<PageReader.Step> chain, int[] widths,
      int[] heights, double scale0, int period, int pad, int[] chars, float baselineOffset) {
    this.spec = spec;
    this.metrics = metrics;
    this.chain = chain;
    this.widths = widths;
    this.heights = heights;
    this.scale0 = scale0;
    this.period = period;
    this.pad = pad;
    this.chars = chars;
    this.baselineOffset = baselineOffset;
  }

  /**
   * One glyph at one phase, taken down the chain to one step: its darkness, and per column the sums
   * of its three bands of rows, each divided by the square root of the band's rows (so that a
   * squared difference of sums divided by the rows is a squared difference of these). Only the
   * columns with ink are kept: stored column {@code c} is column {@code x0 + c} of the glyph's
   * image.
   */
  record Template(float[] pixels, int x0, int width, int height, float[] bands) {}

  /** 1 / sqrt(rows) of each of the three bands that rows {@code inner[0]..inner[1]} make. */
  static float[] bandWeights(int[] inner) {
    int[] rows = new int[BANDS];
    for (int y = inner[0]; y < inner[1]; y++) {
      rows[(y - inner[0]) * BANDS / (inner[1] - inner[0])]++;
    }
    float[] weight = new float[BANDS];
    for (int band = 0; band < BANDS; band++) {
      weight[band] = (float) (1 / Math.sqrt(Math.max(1, rows[band])));
    }
    return weight;
  }

  Template template(int step, int charIndex, int xPhase, int yPhase, int bandHeight) {
    return glyph(step, chars[charIndex], xPhase, yPhase, bandHeight);
  }

  /** As {@link #template}, for any code point a font of the set draws (or the placeholder). */
  Template glyph(int step, int codePoint, int xPhase, int yPhase, int bandHeight) {
    long key = ((long) step << 61) | ((long) codePoint << 40) | ((long) (xPhase & 0xFFF) << 28)
        | ((long) yPhase << 14) | bandHeight;
    // Spread the packed fields over the hash (an odd multiplier keeps keys distinct).
    Long spread = key * 0x9E3779B97F4A7C15L;
    Template t = templates.get(spread);
    if (t == null) {
      t = makeTemplate(step, codePoint, xPhase, yPhase, bandHeight);
      templates.putIfAbsent(spread, t);
    }
    return t;
  }

  private Template makeTemplate(int step, int c, int xPhase, int yPhase, int bandHeight) {
    double shift = 0;
    if (xPhase < 0) {
      // The placeholder: whole-pixel phase and parts of a pixel, packed as -(phase * (parts + 1)
      // + part) - 1.
      int packed = -xPhase - 1;
      xPhase = packed / (PLACEHOLDER_PARTS + 1);
      shift = (packed % (PLACEHOLDER_PARTS + 1)) / (double) PLACEHOLDER_PARTS;
    }
    int fontIndex = c == PLACEHOLDER ? 0 : Math.max(0, metrics.fontFor(c));
    float advance = c == PLACEHOLDER ? metrics.placeholderWidth()
        : metrics.advance(fontIndex, c);
    int width = (int) Math.ceil((advance * scale0 + 2.0 * pad + xPhase) / period)
        * period;
    BufferedImage image = new BufferedImage(width, bandHeight, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = canvas(image, scale0);
    try {
      g.setFont(metrics.font(fontIndex));
      float x = (float) ((pad + xPhase + shift) / scale0);
      float y = (float) (yPhase / scale0);
      if (c == PLACEHOLDER) {
        Java2dPageRenderer.drawPlaceholder(g, metrics, x, y);
      } else {
        g.drawString(new String(Character.toChars(c)), x, y);
      }
    } finally {
      g.dispose();
    }
    BufferedImage current = down(image, step);
    int w = current.getWidth();
    int h = current.getHeight();
    byte[] raw = (byte[]) current.getRaster().getDataElements(0, 0, w, h, null);
    float[] pixels = new float[w * h];
    float[] bands = new float[BANDS * w];
    int[] inner = innerRows(step, yPhase, h);
    float[] weight = bandWeights(inner);
    for (int y = inner[0]; y < inner[1]; y++) {
      int band = (y - inner[0]) * BANDS / (inner[1] - inner[0]);
      for (int x = 0; x < w; x++) {
        float d = (255 - (raw[y * w + x] & 0xFF)) / 255f;
        pixels[y * w + x] = d;
        bands[x * BANDS + band] += d * weight[band];
      }
    }
    // Keep the inked columns only: the image is padded by about a font size on each side.
    int first = 0;
    while (first < w && bands[first * BANDS] + bands[first * BANDS + 1] + bands[first * BANDS + 2]
        == 0) {
      first++;
    }
    int last = w;
    while (last > first && bands[(last - 1) * BANDS] + bands[(last - 1) * BANDS + 1]
        + bands[(last - 1) * BANDS + 2] == 0) {
      last--;
    }
    int kept = last - first;
    float[] keptPixels = new float[kept * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(pixels, y * w + first, keptPixels, y * kept, kept);
    }
    float[] keptBands = Arrays.copyOfRange(bands, first * BANDS, last * BANDS);
    return new Template(keptPixels, first, kept, h, keptBands);
  }

  /**
   * A graphics on {@code image}, cleared to white, drawing black in logical pixels scaled by
   * {@code scale} with the page's rendering hints.
   */
  static Graphics2D canvas(BufferedImage image, double scale) {
    Graphics2D g = image.createGraphics();
    Java2dPageRenderer.setHints(g);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.scale(scale, scale);
    g.setColor(Color.BLACK);
    return g;
  }

  /**
   * Takes an image drawn at the first step, whose sides are whole periods, down the chain to
   * {@code step} as the page was taken: each step above it quantised as stored, the step itself
   * only where it is black and white (gray levels are left as their expected value).
   */
  BufferedImage down(BufferedImage image, int step) {
    BufferedImage current = image;
    if (step > 0) {
      quantise(current, chain.get(0).encoding());
    }
    for (int i = 1; i <= step; i++) {
      int w = (int) ((long) current.getWidth() * widths[i] / widths[i - 1]);
      int h = (int) ((long) current.getHeight() * heights[i] / heights[i - 1]);
      current = PageImages.downscale(current, w, h);
      if (i < step || chain.get(i).encoding() == PageEncoding.BILEVEL_G4
          || chain.get(i).encoding() == PageEncoding.BILEVEL_CONTEXT) {
        quantise(current, chain.get(i).encoding());
      }
    }
    if (step == 0) {
      quantise(current, chain.get(0).encoding() == PageEncoding.BILEVEL_G4
          || chain.get(0).encoding() == PageEncoding.BILEVEL_CONTEXT
          ? chain.get(0).encoding() : PageEncoding.GRAY8_PNG);
    }
    return current;
  }

  /**
   * The rows of a line's own band (its top to its top plus the line height, rounded inwards) in a
   * band of {@code step} whose first-step baseline row is {@code yPhase}: rows above and below
   * hold the neighbouring lines' ink, which no template explains.
   */
  int[] innerRows(int step, int yPhase, int rows) {
    double toStep = (double) heights[step] / heights[0];
    double top0 = yPhase - baselineOffset * scale0;
    int from = Math.max(0, (int) Math.ceil(top0 * toStep - 1e-9));
    int to = Math.min(rows, (int) Math.floor((top0 + spec.lineHeight() * scale0) * toStep + 1e-9));
    return to - from < BANDS ? new int[] {0, rows} : new int[] {from, to};
  }

  /** Quantises a gray image in place as {@link PageImages#encode} and decode would. */
  static void quantise(BufferedImage gray, PageEncoding encoding) {
    if (encoding == PageEncoding.GRAY8_PNG) {
      return;
    }
    byte[] data = ((java.awt.image.DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) PageImages.quantise(data[i] & 0xFF, encoding);
    }
  }
}
