package dev.opticalmemory.ocr;

import java.awt.Rectangle;

/**
 * One line of recognised text.
 *
 * @param text the line's text
 * @param box where the line is, in the pixels of the image that was read; {@code null} when the
 *     engine does not say (DeepSeek-OCR's plain-text prompt)
 * @param confidence the engine's confidence, 0 to 1 (PP-OCR: mean of the best class probability
 *     over the decoded characters; Tesseract: mean word confidence); {@code NaN} when the engine
 *     does not give one
 */
public record RecognizedLine(String text, Rectangle box, double confidence) {
  /**
   * Copies the box.
   *
   * @param text the line's text
   * @param box where the line is, in the pixels of the image that was read; {@code null} when the
   *     engine does not say (DeepSeek-OCR's plain-text prompt)
   * @param confidence the engine's confidence, 0 to 1 (PP-OCR: mean of the best class probability
   *     over the decoded characters; Tesseract: mean word confidence); {@code NaN} when the engine
   *     does not give one
   */
  public RecognizedLine {
    box = box == null ? null : new Rectangle(box);
  }

  /**
   * Where the line is, as a copy.
   *
   * @return the box, or null when the engine does not say
   */
  @Override
  public Rectangle box() {
    return box == null ? null : new Rectangle(box);
  }
}
