package dev.opticalmemory.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Reads a page image back to text. An engine owns native or remote resources: close it when done.
 * Using an engine after {@link #close()} throws {@link IllegalStateException}.
 *
 * <p>Whether {@link #read(BufferedImage)} may be called from many threads at once is stated by each
 * engine ({@link #isThreadSafe()}); the default PP-OCR engine is thread-safe.
 */
public interface OcrEngine extends AutoCloseable {

  /**
   * A short name for reports: {@code paddle}, {@code tesseract}, {@code deepseek}.
   *
   * @return the engine's name, as reports show it
   */
  String name();

  /**
   * Recognises the text of {@code image}.
   *
   * @param image the page or picture to read
   * @return the text, the lines, the stages' times and warnings
   * @throws IllegalArgumentException if the image is null, empty or larger than the engine accepts
   *     (the message gives the limit)
   * @throws OcrException if the engine fails; the cause is kept
   */
  Recognition read(BufferedImage image);

  /**
   * Recognises the lines of a page whose layout is known, such as a page the memory drew: each box
   * holds one line of text, in the image's pixels (a box may be wider than the text in it). An
   * engine that uses them skips finding the lines (PP-OCR: detection and orientation, for lines of
   * at least 16 px) and returns one line per box, in the order given, with the box given; otherwise
   * it reads the whole image as {@link #read(BufferedImage)} does, which the default does.
   *
   * @param image the page
   * @param lines one box per line of text, inside the image
   * @return the text (the lines joined by newlines, empty ones left out), the lines, the stages'
   *     times and warnings
   * @throws IllegalArgumentException if the image is invalid as for {@link #read(BufferedImage)},
   *     or a box is null, empty or outside the image (the message gives it)
   * @throws OcrException if the engine fails; the cause is kept
   */
  default Recognition read(BufferedImage image, List<Rectangle> lines) {
    if (lines == null) {
      throw new IllegalArgumentException("lines must not be null");
    }
    return read(image);
  }

  /**
   * Whether {@link #read} may be called concurrently.
   *
   * @return whether {@link #read} may be called from many threads at once
   */
  boolean isThreadSafe();

  /** Releases the engine's resources; idempotent. */
  @Override
  void close();
}
