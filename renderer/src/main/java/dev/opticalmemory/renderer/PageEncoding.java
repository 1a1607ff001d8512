package dev.opticalmemory.renderer;

/**
 * How a page image is stored. The memory stores BASE pages bilevel with context coding, the
 * smallest that still reads well at 1024 px, and SMALL and TINY pages with 16 gray levels: four
 * levels lose strokes at small sizes, and SMALL's levels are TINY's source. Bytes and precision per
 * encoding and tier are in docs/benchmarks.md ("Page encodings").
 */
public enum PageEncoding {
  /** Lossless 8-bit gray PNG. Downscaled pages compress badly: area averaging makes many grays. */
  GRAY8_PNG("png"),
  /** Four gray levels (black, dark, light, white) in a 2-bit PNG: keeps the anti-aliased edge. */
  GRAY4_PNG("png"),
  /**
   * Sixteen gray levels in a 4-bit PNG: nearly the 8-bit page's precision at small sizes, where four
   * levels lose strokes, for about half its bytes.
   */
  GRAY16_PNG("png"),
  /**
   * Black and white (threshold 170 of 255), compressed as a TIFF with CCITT Group 4, the fax code
   * made for text pages: the smallest, at some loss below 640 px.
   */
  BILEVEL_G4("tiff"),
  /**
   * The same black and white pixels as {@link #BILEVEL_G4}, coded losslessly with a context model and
   * a range coder (JBIG's method, our own stream: {@code BilevelCodec}): about 1.7 times smaller than
   * G4 on text pages, at the same precision. Not a standard image file; {@link
   * PageImages#decode(byte[])} reads it and {@link PageImages#encodePng} makes a PNG of it.
   */
  BILEVEL_CONTEXT("omb");

  private final String format;

  PageEncoding(String format) {
    this.format = format;
  }

  /**
   * The file format: {@code png}, {@code tiff} or {@code omb} (ours, see {@link #BILEVEL_CONTEXT}).
   *
   * @return the format name
   */
  public String format() {
    return format;
  }
}
