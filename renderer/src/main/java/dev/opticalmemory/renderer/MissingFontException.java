package dev.opticalmemory.renderer;

/**
 * Thrown when the text needs a script that no configured font covers and that must not be replaced
 * by placeholders (CJK: a page of boxes would be silently unreadable). Install {@code fonts-noto-cjk}
 * or add a font file to {@link FontSet}.
 */
public final class MissingFontException extends RenderException {
  private static final long serialVersionUID = 1L;

  /** The first code point that no font could draw. */
  private final int codePoint;

  /**
   * A script no font covers.
   *
   * @param message what is missing and how to install it
   * @param codePoint the first code point no font could draw
   */
  public MissingFontException(String message, int codePoint) {
    super(message);
    this.codePoint = codePoint;
  }

  /**
   * The first code point that no font could draw.
   *
   * @return the code point
   */
  public int codePoint() {
    return codePoint;
  }
}
