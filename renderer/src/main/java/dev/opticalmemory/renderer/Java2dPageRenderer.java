package dev.opticalmemory.renderer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * The Java2D renderer.
 *
 * <p>Layout is done by {@link LineBreaker} in logical pixels. Drawing sets every rendering hint
 * explicitly (grayscale antialiasing, fractional metrics, pure stroke control) so the output does not
 * depend on platform defaults, scales the graphics so the logical page fills the image, and draws each
 * line as runs of characters that share a font at x positions summed from the same cached advances
 * the layout used. Characters no font has are drawn as box outlines. Images are 8-bit grayscale,
 * black on white.
 */
final class Java2dPageRenderer implements PageRenderer {
  private final RenderSpec spec;
  private final GlyphMetrics metrics;
  private final LineBreaker breaker;

  Java2dPageRenderer(RenderSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec must not be null");
    this.metrics = new GlyphMetrics(spec.fonts(), spec.fontSize());
    this.breaker = new LineBreaker(spec, metrics);
  }

  @Override
  public RenderSpec spec() {
    return spec;
  }

  @Override
  public List<PageLayout> layout(List<Turn> turns) {
    Objects.requireNonNull(turns, "turns must not be null");
    return breaker.layout(turns);
  }

  @Override
  public PageCapacity fit(List<Turn> turns) {
    Objects.requireNonNull(turns, "turns must not be null");
    return breaker.fit(turns);
  }

  @Override
  public RenderedPage render(PageLayout page) {
    checkPage(page);
    return draw(page, page.width(), page.height());
  }

  @Override
  public RenderedPage render(PageLayout page, VisionMode mode) {
    checkPage(page);
    Objects.requireNonNull(mode, "mode must not be null");
    double scale = (double) mode.pixels() / Math.max(page.width(), page.height());
    int width = Math.max(1, (int) Math.round(page.width() * scale));
    int height = Math.max(1, (int) Math.round(page.height() * scale));
    return draw(page, width, height);
  }

  private void checkPage(PageLayout page) {
    Objects.requireNonNull(page, "page must not be null");
    if (page.width() != spec.width() || page.height() != spec.height()) {
      throw new IllegalArgumentException(
          "page " + page.index() + " was laid out at " + page.width() + "x" + page.height()
              + " but this renderer's spec is " + spec.width() + "x" + spec.height());
    }
  }

  private RenderedPage draw(PageLayout page, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    try {
      setHints(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.scale((double) width / page.width(), (double) height / page.height());
      g.setColor(Color.BLACK);
      for (LineLayout line : page.lines()) {
        drawLine(g, line);
      }
    } finally {
      g.dispose();
    }
    return new RenderedPage(page, image);
  }

  /** The box drawn for a character no font has, its pen at {@code x} on baseline {@code y}. */
  static void drawPlaceholder(Graphics2D g, GlyphMetrics metrics, float x, float y) {
    float size = metrics.fontSize();
    float w = metrics.placeholderWidth();
    g.draw(new Rectangle2D.Float(x + w * 0.1f, y - size * 0.7f, w * 0.8f, size * 0.7f));
  }

  /** Every rendering hint set explicitly, as pages are drawn (also the {@link PageReader}'s glyphs). */
  static void setHints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
    g.setRenderingHint(
        RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
  }

  private void drawLine(Graphics2D g, LineLayout line) {
    String text = line.text();
    float x = line.x();
    float y = line.baseline();
    int runStart = 0;
    int runFont = Integer.MIN_VALUE;
    float runX = x;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int font = metrics.fontFor(cp);
      if (font > 0) {
        // A fallback font's glyphs are drawn one by one, each on the grid (GlyphMetrics.gridPen).
        flush(g, text, runStart, i, runFont, runX, y);
        x = line.x() + metrics.gridPen(x - line.x());
        g.setFont(metrics.font(font));
        g.drawString(new String(Character.toChars(cp)), x, y);
        x += metrics.advance(font, cp);
        i += Character.charCount(cp);
        runStart = i;
        runFont = Integer.MIN_VALUE;
        continue;
      }
      if (font != runFont) {
        flush(g, text, runStart, i, runFont, runX, y);
        runStart = i;
        runFont = font;
        runX = x;
      }
      x += font == GlyphMetrics.NO_FONT ? metrics.placeholderWidth() : metrics.advance(font, cp);
      i += Character.charCount(cp);
    }
    flush(g, text, runStart, text.length(), runFont, runX, y);
  }

  private void flush(Graphics2D g, String text, int from, int to, int font, float x, float y) {
    if (from >= to || font == Integer.MIN_VALUE) {
      return;
    }
    if (font == GlyphMetrics.NO_FONT) {
      for (int i = from; i < to; ) {
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        drawPlaceholder(g, metrics, x, y);
        x += metrics.placeholderWidth();
      }
      return;
    }
    g.setFont(metrics.font(font));
    g.drawString(text.substring(from, to), x, y);
  }
}
