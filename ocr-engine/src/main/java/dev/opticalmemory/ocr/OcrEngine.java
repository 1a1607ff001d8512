package dev.opticalmemory.ocr;

import java.awt.image.BufferedImage;

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
   * Whether {@link #read} may be called concurrently.
   *
   * @return whether {@link #read} may be called from many threads at once
   */
  boolean isThreadSafe();

  /** Releases the engine's resources; idempotent. */
  @Override
  void close();
}
