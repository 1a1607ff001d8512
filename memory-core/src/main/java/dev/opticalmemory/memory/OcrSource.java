package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import java.util.Optional;

/**
 * The OCR engine of one memory: the caller's (used by one thread at a time where it is not
 * thread-safe, and never closed here), or a PP-OCR engine loaded on first use (it is slow to load,
 * and most pages are read by the page reader and never need it) and closed with the memory.
 */
final class OcrSource implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OpticalMemory.class.getName());

  private OcrEngine engine;
  /** The engine made here, which {@link #close()} closes; null while none is made. */
  private OcrEngine owned;

  OcrSource(Optional<OcrEngine> given) {
    this.engine = given.map(e -> e.isThreadSafe() ? e : new SerialOcr(e)).orElse(null);
  }

  synchronized OcrEngine get() {
    if (engine == null) {
      owned = PaddleOcr.builder().build();
      engine = owned;
    }
    return engine;
  }

  @Override
  public synchronized void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot close the OCR engine: " + e, e);
      }
      owned = null;
      engine = null;
    }
  }
}
