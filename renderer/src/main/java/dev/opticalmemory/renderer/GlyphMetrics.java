package dev.opticalmemory.renderer;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Font choice and advance widths per code point for one font set at one size, cached.
 *
 * <p>Advances are measured with fractional metrics and no transform, so they are in logical pixels and
 * scale linearly to any output size. The BMP caches are plain arrays written racily: every writer
 * stores the same value, and int and float stores are atomic, so readers see either "unknown" or the
 * final value.
 */
final class GlyphMetrics {
  static final int NO_FONT = -1;
  private static final int UNKNOWN = Integer.MIN_VALUE;

  private final FontSet fontSet;
  private final Font[] fonts;
  private final FontRenderContext frc;
  private final float fontSize;
  private final int[] bmpFont = new int[0x10000];
  private final float[][] bmpAdvance;
  private final ConcurrentHashMap<Long, Float> supplementaryAdvance = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Integer> supplementaryFont = new ConcurrentHashMap<>();
  private final float ascent;
  private final float descent;

  GlyphMetrics(FontSet fontSet, float fontSize) {
    this.fontSet = fontSet;
    this.fontSize = fontSize;
    this.fonts = fontSet.fonts().stream().map(f -> f.deriveFont(fontSize)).toArray(Font[]::new);
    this.frc = new FontRenderContext(null, true, true);
    Arrays.fill(bmpFont, UNKNOWN);
    this.bmpAdvance = new float[fonts.length][];
    for (int i = 0; i < fonts.length; i++) {
      bmpAdvance[i] = new float[0x10000];
      Arrays.fill(bmpAdvance[i], Float.NaN);
    }
    LineMetrics metrics = fonts[0].getLineMetrics("Hg", frc);
    this.ascent = metrics.getAscent();
    this.descent = metrics.getDescent();
  }

  java.util.List<String> fontSetSources() {
    return fontSet.sources();
  }

  Font font(int index) {
    return fonts[index];
  }

  float fontSize() {
    return fontSize;
  }

  float ascent() {
    return ascent;
  }

  float descent() {
    return descent;
  }

  /** Index of the font that draws {@code cp}, or {@link #NO_FONT}. */
  int fontFor(int cp) {
    if (cp < 0x10000) {
      int cached = bmpFont[cp];
      if (cached == UNKNOWN) {
        cached = fontSet.fontFor(cp);
        bmpFont[cp] = cached;
      }
      return cached;
    }
    return supplementaryFont.computeIfAbsent(cp, fontSet::fontFor);
  }

  /**
   * Where a glyph of a fallback font (CJK) is drawn when the pen is at {@code x} from the line's
   * start: at the next multiple of a quarter of the font size. CJK text then sits on a grid, as
   * it is set in print, and a glyph at a known phase of the pixel grid is read exactly; the grid
   * is finer than a space, so that a space before such a glyph still moves it.
   */
  float gridPen(float x) {
    float cell = fontSize / 4;
    return (float) Math.ceil(x / cell - 1e-3) * cell;
  }

  /** Width of the placeholder box drawn for a character no font has. */
  float placeholderWidth() {
    return fontSize * 0.6f;
  }

  /** Advance of {@code cp} in the font that draws it, or of the placeholder. */
  float advance(int cp) {
    int font = fontFor(cp);
    return font == NO_FONT ? placeholderWidth() : advance(font, cp);
  }

  float advance(int font, int cp) {
    if (cp < 0x10000) {
      float cached = bmpAdvance[font][cp];
      if (Float.isNaN(cached)) {
        cached = measure(font, cp);
        bmpAdvance[font][cp] = cached;
      }
      return cached;
    }
    return supplementaryAdvance.computeIfAbsent(((long) font << 32) | cp, k -> measure(font, cp));
  }

  /** Sum of the advances of a string's code points. */
  float advance(CharSequence s) {
    float width = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = Character.codePointAt(s, i);
      width += advance(cp);
      i += Character.charCount(cp);
    }
    return width;
  }

  private float measure(int font, int cp) {
    return (float) fonts[font].getStringBounds(new String(Character.toChars(cp)), frc).getWidth();
  }
}
