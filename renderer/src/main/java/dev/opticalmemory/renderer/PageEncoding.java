package dev.opticalmemory.renderer;

/**
 * How a page image is stored. Measured on a dense page (about 4,000 characters) rendered at 1280 px
 * and downscaled, read back by PP-OCR (session 2, see the README):
 *
 * <table>
 *   <caption>bytes per page and precision by encoding</caption>
 *   <tr><th>encoding</th><th>large</th><th>base</th><th>small</th><th>tiny</th></tr>
 *   <tr><td>GRAY8_PNG</td><td>126 KB, 1.000</td><td>199 KB, 0.999</td><td>55 KB, 0.999</td>
 *       <td>64 KB, 0.999</td></tr>
 *   <tr><td>GRAY4_PNG</td><td>99 KB, 1.000</td><td>82 KB, 0.999</td><td>38 KB, 0.999</td>
 *       <td>27 KB, 0.986</td></tr>
 *   <tr><td>BILEVEL_G4</td><td>37 KB, 0.999</td><td>32 KB, 0.997</td><td>23 KB, 0.994</td>
 *       <td>19 KB, 0.945</td></tr>
 *   <tr><td>BILEVEL_CONTEXT</td><td></td><td>20 KB, 0.997</td><td></td><td></td></tr>
 * </table>
 *
 * <p>Down the memory's chain (each tier downscaled from the tier above as stored: BASE bilevel, then
 * SMALL, then TINY), two demo pages at TINY read (session 3): 4-level PNG 25 KB, 0.950 and 0.948;
 * 16-level 50 KB, 0.990 and 0.992; 8-bit 65 KB, 0.989 and 0.992. Hence TINY is stored with 16
 * levels. SMALL is too, since issue 13: its levels are TINY's source, and on the memory's 13 pages
 * of LoCoMo conversation 26 (2026-11-30, PP-OCR) TINY kept 0.920 of the words with SMALL at 4
 * levels and 0.948 at 16 (SMALL itself 0.980 and 0.990; 8 levels read as 16 and cost as many
 * bytes), for 63 KB a SMALL page instead of 37 KB. (In session 4, with the decoder of the time,
 * 16 levels had read fewer answers on SMALL pages: 82% against 88%.)
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
