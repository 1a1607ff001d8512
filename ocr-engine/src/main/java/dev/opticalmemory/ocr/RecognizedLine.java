package dev.opticalmemory.ocr;

import java.awt.Rectangle;

/**
 * One line of recognised text.
 *
 * @param text the text, possibly empty
 * @param box where the line is, in the input image's pixels (an engine that reports no boxes gives
 *     the whole image)
 * @param confidence the engine's confidence from 0 to 1 (for PP-OCR, the mean probability of the
 *     characters it emitted); {@code NaN} where the engine reports none
 */
public record RecognizedLine(String text, Rectangle box, double confidence) {
  public RecognizedLine {
    box = new Rectangle(box);
  }

  @Override
  public Rectangle box() {
    return new Rectangle(box);
  }
}
