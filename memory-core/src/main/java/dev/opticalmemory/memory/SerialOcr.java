package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.Recognition;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A caller's engine that is not thread-safe ({@link OcrEngine#isThreadSafe()} false), used by one
 * thread at a time: the memory reads pages from its background work and from recalls at once.
 * Closing it is the caller's, so {@link #close()} does nothing.
 */
final class SerialOcr implements OcrEngine {
  private final OcrEngine engine;

  SerialOcr(OcrEngine engine) {
    this.engine = engine;
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public synchronized Recognition read(BufferedImage image) {
    return engine.read(image);
  }

  @Override
  public synchronized Recognition read(BufferedImage image, List<Rectangle> lines) {
    return engine.read(image, lines);
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public void close() {
  }
}
