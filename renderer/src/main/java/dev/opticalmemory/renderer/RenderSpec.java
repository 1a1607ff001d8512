package dev.opticalmemory.renderer;

import java.util.Objects;

/**
 * How text is laid out on a page: the page size in logical pixels, margins, font size, line spacing,
 * tab size and fonts. Immutable; build with {@link #builder()} or {@link #forMode(VisionMode)}.
 *
 * <p>A layout made at one spec can be rasterised at any pixel size (see {@link
 * PageRenderer#render(PageLayout, VisionMode)}): fonts are drawn with fractional metrics, so the
 * line breaks do not depend on the output size.
 */
public final class RenderSpec {
  /** Smallest page side accepted, in pixels. */
  public static final int MIN_SIDE = 64;
  /** Largest page side accepted, in pixels. */
  public static final int MAX_SIDE = 8192;

  private final int width;
  private final int height;
  private final int margin;
  private final float fontSize;
  private final float lineSpacing;
  private final int tabSize;
  private final FontSet fonts;

  private RenderSpec(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.margin = b.margin;
    this.fontSize = b.fontSize;
    this.lineSpacing = b.lineSpacing;
    this.tabSize = b.tabSize;
    this.fonts = b.fonts;
  }

  /**
   * A square page of the mode's size with the default density: a font of {@code pixels / 64} (16 px at
   * BASE) and margins of the same size, about 5,500 Latin characters per page.
   *
   * @param mode the mode
   * @return the spec
   */
  public static RenderSpec forMode(VisionMode mode) {
    return builder().mode(mode).build();
  }

  /**
   * A builder of a 1024 px square page (BASE) with the default density and fonts.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this spec's values, to change some of them.
   *
   * @return a builder with this spec's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.width = width;
    b.height = height;
    b.margin = margin;
    b.fontSize = fontSize;
    b.lineSpacing = lineSpacing;
    b.tabSize = tabSize;
    b.fonts = fonts;
    b.fontSizeSet = true;
    b.marginSet = true;
    return b;
  }

  /**
   * Page width in pixels.
   *
   * @return the width
   */
  public int width() {
    return width;
  }

  /**
   * Page height in pixels.
   *
   * @return the height
   */
  public int height() {
    return height;
  }

  /**
   * Margin on every side, in pixels.
   *
   * @return the margin
   */
  public int margin() {
    return margin;
  }

  /**
   * Font size in pixels (the em size).
   *
   * @return the font size
   */
  public float fontSize() {
    return fontSize;
  }

  /**
   * Line height as a multiple of the font size.
   *
   * @return the line spacing
   */
  public float lineSpacing() {
    return lineSpacing;
  }

  /**
   * Tab stops, in space widths.
   *
   * @return the tab size
   */
  public int tabSize() {
    return tabSize;
  }

  /**
   * The fonts, in the order they are tried for each character.
   *
   * @return the fonts
   */
  public FontSet fonts() {
    return fonts;
  }

  /**
   * Height of one line: font size times line spacing.
   *
   * @return the line height in pixels
   */
  public float lineHeight() {
    return fontSize * lineSpacing;
  }

  /**
   * Lines that fit between the top and bottom margins.
   *
   * @return the number of lines
   */
  public int linesPerPage() {
    return (int) Math.floor((height - 2f * margin) / lineHeight());
  }

  /**
   * Width available to text between the left and right margins.
   *
   * @return the width in pixels
   */
  public float textWidth() {
    return width - 2f * margin;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RenderSpec)) {
      return false;
    }
    RenderSpec other = (RenderSpec) o;
    return width == other.width
        && height == other.height
        && margin == other.margin
        && Float.compare(fontSize, other.fontSize) == 0
        && Float.compare(lineSpacing, other.lineSpacing) == 0
        && tabSize == other.tabSize
        && fonts.sources().equals(other.fonts.sources());
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, margin, fontSize, lineSpacing, tabSize, fonts.sources());
  }

  @Override
  public String toString() {
    return "RenderSpec{" + width + "x" + height + ", margin=" + margin + ", fontSize=" + fontSize
        + ", lineSpacing=" + lineSpacing + ", tabSize=" + tabSize + ", fonts=" + fonts.sources() + "}";
  }

  /**
   * Builds a {@link RenderSpec}. Unset values default to a 1024x1024 page ({@link VisionMode#BASE});
   * font size and margin default to {@code min(width, height) / 64}. {@link #build()} checks every
   * value and that at least one line fits.
   */
  public static final class Builder {
    private int width = VisionMode.BASE.pixels();
    private int height = VisionMode.BASE.pixels();
    private int margin;
    private float fontSize;
    private float lineSpacing = 1.2f;
    private int tabSize = 4;
    private FontSet fonts;
    private boolean fontSizeSet;
    private boolean marginSet;

    private Builder() {}

    /**
     * A square page of the mode's side.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(VisionMode mode) {
      Objects.requireNonNull(mode, "mode must not be null");
      return pageSize(mode.pixels(), mode.pixels());
    }

    /**
     * The page's size in pixels, each side {@value #MIN_SIDE} to {@value #MAX_SIDE}; default 1024 x 1024.
     *
     * @param width the width
     * @param height the height
     * @return this builder
     */
    public Builder pageSize(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * The margin on every side, in pixels; default the short side / 64.
     *
     * @param margin the margin
     * @return this builder
     */
    public Builder margin(int margin) {
      this.margin = margin;
      this.marginSet = true;
      return this;
    }

    /**
     * Font size in pixels of the page (the em size).
     *
     * @param fontSize the font size; default the short side / 64
     * @return this builder
     */
    public Builder fontSize(float fontSize) {
      this.fontSize = fontSize;
      this.fontSizeSet = true;
      return this;
    }

    /**
     * Line height as a multiple of the font size, 1.0 to 4.0; 1.2 by default.
     *
     * @param lineSpacing the line spacing
     * @return this builder
     */
    public Builder lineSpacing(float lineSpacing) {
      this.lineSpacing = lineSpacing;
      return this;
    }

    /**
     * Tab stops every {@code tabSize} space widths, 1 to 16; 4 by default.
     *
     * @param tabSize the tab size
     * @return this builder
     */
    public Builder tabSize(int tabSize) {
      this.tabSize = tabSize;
      return this;
    }

    /**
     * The fonts; default {@link FontSet#defaults()}.
     *
     * @param fonts the fonts
     * @return this builder
     */
    public Builder fonts(FontSet fonts) {
      this.fonts = Objects.requireNonNull(fonts, "fonts must not be null");
      return this;
    }

    /**
     * The spec.
     *
     * @return the spec
     * @throws IllegalArgumentException naming the value out of range
     */
    public RenderSpec build() {
      requireRange("width", width, MIN_SIDE, MAX_SIDE);
      requireRange("height", height, MIN_SIDE, MAX_SIDE);
      int side = Math.min(width, height);
      if (!fontSizeSet) {
        fontSize = side / 64f;
      }
      if (!marginSet) {
        margin = Math.round(side / 64f);
      }
      if (!(fontSize >= 4f && fontSize <= 512f)) {
        throw new IllegalArgumentException(
            "fontSize must be between 4 and 512 pixels, but is: " + fontSize);
      }
      if (!(lineSpacing >= 1f && lineSpacing <= 4f)) {
        throw new IllegalArgumentException(
            "lineSpacing must be between 1.0 and 4.0, but is: " + lineSpacing);
      }
      requireRange("tabSize", tabSize, 1, 16);
      if (margin < 0 || 2 * margin >= side) {
        throw new IllegalArgumentException(
            "margin must be at least 0 and less than half the page side (" + side / 2
                + "), but is: " + margin);
      }
      if (fonts == null) {
        fonts = FontSet.defaults();
      }
      RenderSpec spec = new RenderSpec(this);
      if (spec.linesPerPage() < 1 || spec.textWidth() < 2 * fontSize) {
        throw new IllegalArgumentException(
            "no line fits: a " + width + "x" + height + " page with margin " + margin
                + " cannot hold text of fontSize " + fontSize + " and lineSpacing " + lineSpacing);
      }
      return spec;
    }

    private static void requireRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", but is: " + value);
      }
    }
  }
}
