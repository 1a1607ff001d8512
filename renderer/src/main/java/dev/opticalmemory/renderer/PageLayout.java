package dev.opticalmemory.renderer;

import java.awt.Rectangle;
import java.util.ArrayList;
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
   * Each line's band as a box across an image of this page drawn or downscaled to
   * {@code imageWidth x imageHeight} pixels (for an OCR engine that reads known lines); lines too
   * thin to cover a pixel row are left out.
   *
   * @param imageWidth the image's width in pixels
   * @param imageHeight its height in pixels
   * @return the boxes, top to bottom
   */
  public List<Rectangle> lineBoxes(int imageWidth, int imageHeight) {
    double scale = (double) imageHeight / height;
    List<Rectangle> boxes = new ArrayList<>();
    for (LineLayout line : lines) {
      int top = Math.max(0, (int) Math.floor(line.top() * scale));
      int bottom = Math.min(imageHeight, (int) Math.ceil((line.top() + line.height()) * scale));
      if (bottom > top) {
        boxes.add(new Rectangle(0, top, imageWidth, bottom - top));
      }
    }
    return boxes;
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
