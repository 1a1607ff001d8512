package dev.opticalmemory.renderer;

/**
 * Thrown when the text needs a script that no configured font covers and that must not be replaced
 * by placeholders (CJK: a page of boxes would be silently unreadable). Install {@code fonts-noto-cjk}
 * or add a font file to {@link FontSet}.
 */
public final class MissingFontException extends RenderException {
  private static final long serialVersionUID = 1L;

  private final int codePoint;

  public MissingFontException(String message, int codePoint) {
    super(message);
    this.codePoint = codePoint;
  }

  /** The first code point that no font could draw. */
  public int codePoint() {
    return codePoint;
  }
}
