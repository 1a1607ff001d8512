package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Test helpers over layouts. */
final class Layouts {
  private Layouts() {}

  static List<LineLayout> lines(List<PageLayout> pages) {
    List<LineLayout> lines = new ArrayList<>();
    pages.forEach(p -> lines.addAll(p.lines()));
    return lines;
  }

  /** Every turn's lines cover its text in order, without gaps or overlaps. */
  static void assertCoversEveryCharacterOnce(List<Turn> turns, List<PageLayout> pages) {
    List<LineLayout> lines = lines(pages);
    int next = 0;
    int turn = -1;
    for (LineLayout line : lines) {
      if (line.turn() != turn) {
        if (turn >= 0) {
          assertThat(next).as("end of turn %d", turn).isEqualTo(turns.get(turn).text().length());
        }
        assertThat(line.turn()).as("turns appear in order").isGreaterThan(turn);
        turn = line.turn();
        next = 0;
      }
      assertThat(line.start()).as("line %d of turn %d starts where the last ended", line.index(), turn)
          .isEqualTo(next);
      assertThat(line.end()).isGreaterThanOrEqualTo(line.start());
      next = line.end();
    }
    if (turn >= 0) {
      assertThat(next).isEqualTo(turns.get(turn).text().length());
    }
  }

  /** Dark pixels (value below 128) in an 8-bit gray image. */
  static int inkPixels(java.awt.image.BufferedImage image) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRaster().getSample(x, y, 0) < 128) {
          count++;
        }
      }
    }
    return count;
  }
}
