package dev.opticalmemory.renderer;

/**
 * One rendered line and the source characters it shows.
 *
 * <p>{@code start} and {@code end} are UTF-16 offsets into the text of turn {@code turn}; the lines of
 * a turn cover its text without gaps or overlaps, newlines and the spaces at a wrap included. The
 * {@code text} is what is drawn: the speaker label on the turn's first line ({@code labelLength}
 * characters), tabs expanded to spaces, control characters in {@code cat -v} notation ({@code ^[},
 * {@code M-^E}), unpaired surrogates as U+FFFD, zero-width characters and trailing spaces left out.
 *
 * <p>The box ({@code x, top, width, height}) and {@code baseline} are in the page's logical pixels
 * (the {@link RenderSpec}'s size); scale them to find the line in an image rendered at another size.
 */
public record LineLayout(
    int index,
    int turn,
    int start,
    int end,
    String text,
    int labelLength,
    float x,
    float top,
    float width,
    float height,
    float baseline) {

  /**
   * Number of source characters (UTF-16 units) this line covers.
   *
   * @return the characters
   */
  public int sourceLength() {
    return end - start;
  }
}
