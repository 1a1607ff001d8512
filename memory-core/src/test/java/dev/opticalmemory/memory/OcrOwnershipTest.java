package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.Recognition;
import dev.opticalmemory.renderer.FontSet;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller's engine that is not thread-safe is used by one thread at a time. */
class OcrOwnershipTest {
  @TempDir Path tmp;

  @Test
  void a_callers_engine_that_is_not_thread_safe_reads_one_page_at_a_time_and_stays_open()
      throws Exception {
    try (OcrEngine paddle = PaddleOcr.builder().build()) {
      SingleThreaded engine = new SingleThreaded(paddle);
      try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("m"))
          .fonts(FontSet.latinOnly()).readOwnPages(false).decodeInBackground(false).ocr(engine)
          .executor(Runnable::run)
          .agingPolicy(AgingPolicy.byTokens(200, 400, 600, 800, Long.MAX_VALUE)).build()) {
        for (MemoryTurn turn : Conversations.harbour(160, 5)) {
          memory.append("c", turn);
        }
        List<Segment> pages = memory.segments("c").stream().filter(s -> s.tier().isImage())
            .toList();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
          List<Future<Recollection>> reads = new ArrayList<>();
          for (Segment page : pages.subList(0, 3)) {
            reads.add(readers.submit(() -> memory.decode("c", page.id())));
          }
          for (Future<Recollection> read : reads) {
            assertThat(read.get().text()).isNotBlank();
          }
        } finally {
          readers.shutdownNow();
        }
        assertThat(engine.calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(engine.overlapping.get()).as("calls that overlapped another").isZero();
      }
      assertThat(paddle.read(new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY))).isNotNull();
    }
  }

  /** A real engine that says it is not thread-safe and counts calls that overlap. */
  private static final class SingleThreaded implements OcrEngine {
    final OcrEngine engine;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger overlapping = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    SingleThreaded(OcrEngine engine) {
      this.engine = engine;
    }

    @Override
    public String name() {
      return "single-threaded " + engine.name();
    }

    @Override
    public Recognition read(BufferedImage image) {
      return count(() -> engine.read(image));
    }

    @Override
    public Recognition read(BufferedImage image, List<Rectangle> lines) {
      return count(() -> engine.read(image, lines));
    }

    private Recognition count(java.util.function.Supplier<Recognition> read) {
      calls.incrementAndGet();
      if (inFlight.incrementAndGet() > 1) {
        overlapping.incrementAndGet();
      }
      try {
        return read.get();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public boolean isThreadSafe() {
      return false;
    }

    @Override
    public void close() {
      throw new AssertionError("the caller's engine is the caller's to close");
    }
  }
}
