package dev.opticalmemory.renderer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The layout of one page: its lines in reading order, each mapped to the turn and source range it
 * shows. Made by {@link PageRenderer#layout(List)} without drawing anything.
 *
 * @param index the page's position in the laid-out sequence, from 0
 * @param width page width in logical pixels
 * @param height page height in logical pixels
 * @param lines the lines, top to bottom
 * @param missingGlyphs characters no font could draw, shown as placeholder boxes
 */
public record PageLayout(int index, int width, int height, List<LineLayout> lines, int missingGlyphs) {

  /**
   * Copies the lines.
   *
   * @param index the page's position in the laid-out sequence, from 0
   * @param width page width in logical pixels
   * @param height page height in logical pixels
   * @param lines the lines, top to bottom
   * @param missingGlyphs characters no font could draw, shown as placeholder boxes
   */
  public PageLayout {
    lines = List.copyOf(lines);
  }

  /**
   * Source characters (UTF-16 units) shown on this page, labels not counted.
   *
   * @return the characters
   */
  public int sourceChars() {
    int total = 0;
    for (LineLayout line : lines) {
      total += line.sourceLength();
    }
    return total;
  }

  /**
   * First turn with a line on this page, or -1 for an empty page.
   *
   * @return the turn's index
   */
  public int firstTurn() {
    return lines.isEmpty() ? -1 : lines.get(0).turn();
  }

  /**
   * Last turn with a line on this page, or -1 for an empty page.
   *
   * @return the turn's index
   */
  public int lastTurn() {
    return lines.isEmpty() ? -1 : lines.get(lines.size() - 1).turn();
  }

  /**
   * The drawn text, one line per line.
   *
   * @return the text
   */
  public String text() {
    return lines.stream().map(LineLayout::text).collect(Collectors.joining("\n"));
  }
}
