package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void sixteen_threads_writing_to_a_hundred_conversations_lose_nothing_and_keep_each_in_order()
      throws Exception {
    int conversations = 100;
    int turnsEach = 30;
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).agingPolicy(AgingPolicy.byTokens(100, 200, 300, 400, 100_000))
        .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < turnsEach; i++) {
              for (int c = thread; c < conversations; c += 16) {
                memory.append("conv-" + c, MemoryTurn.user("S" + c,
                    "Turn " + i + " of conversation " + c + " says the code word is w" + c + "x" + i + "."));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(3))).isTrue();
      assertThat(memory.conversations()).hasSize(conversations);
      for (int c = 0; c < conversations; c++) {
        String id = "conv-" + c;
        assertThat(memory.stats(id).turns()).isEqualTo(turnsEach);
        List<Segment> segments = memory.segments(id);
        assertThat(segments.get(0).firstTurn()).isZero();
        assertThat(segments.get(segments.size() - 1).lastTurn()).isEqualTo(turnsEach - 1);
        List<MemoryTurn> open = memory.operations().turns(id, segments.get(segments.size() - 1).id());
        assertThat(open.get(open.size() - 1).text())
            .isEqualTo("Turn " + (turnsEach - 1) + " of conversation " + c
                + " says the code word is w" + c + "x" + (turnsEach - 1) + ".");
      }
      // Isolation: a word only conversation 7 has is never found in another one.
      for (int c = 0; c < conversations; c += 9) {
        List<Recollection> found = memory.recall("conv-" + c, RecallRequest.of("w7x29").k(5));
        if (c == 7) {
          assertThat(found).isNotEmpty();
        } else {
          assertThat(found).isEmpty();
        }
      }
      assertThat(memory.recall("conv-7", RecallRequest.of("w7x29").k(5)).get(0).text()).contains("w7x29");
    }
  }

  @Test
  void reads_do_not_wait_for_background_encoding() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ExecutorService slow = Executors.newSingleThreadExecutor();
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("r"))
        .fonts(FontSet.latinOnly()).executor(task -> slow.execute(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          task.run();
        })).build()) {
      for (MemoryTurn turn : Conversations.harbour(200, 2)) {
        memory.append("c", turn);
      }
      // Background work is blocked, yet every read answers.
      assertThat(memory.segments("c")).hasSizeGreaterThan(2);
      assertThat(memory.stats("c").pendingTransitions()).isPositive();
      assertThat(memory.recall("c", RecallRequest.of("locker").k(1))).isNotEmpty();
      release.countDown();
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(1))).isTrue();
      assertThat(memory.stats("c").pendingTransitions()).isZero();
    } finally {
      slow.shutdownNow();
    }
  }

  @Test
  void background_rendering_waits_for_a_pause_in_appends_and_then_catches_up() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-30T10:00:00Z"));
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("quiet"))
        .fonts(FontSet.latinOnly()).agingPolicy(AgingPolicy.byTokens(0, 100_000, 100_000,
            100_000, 100_000)).clock(clock)
        .yieldToAppends(Duration.ofSeconds(3), Duration.ofMinutes(1)).build()) {
      for (MemoryTurn turn : Conversations.harbour(150, 5)) {
        memory.append("c", turn);
      }
      assertThat(memory.operations().awaitIdle(Duration.ofMillis(300)))
          .as("the clock stands still: no quiet period has passed").isFalse();
      assertThat(memory.stats("c").pendingTransitions())
          .as("nothing rendered while appends keep coming").isPositive();
      clock.advance(Duration.ofSeconds(4)); // a pause in appends, without waiting for it
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      assertThat(memory.stats("c").pendingTransitions()).isZero();
    }
  }

  @Test
  void a_memory_does_not_change_when_its_builder_is_changed_afterwards() {
    OpticalMemoryBuilder builder = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("copy"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).maxTurnChars(10);
    try (OpticalMemory memory = builder.build()) {
      builder.maxTurnChars(1000);
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> memory.append("c", MemoryTurn.user("A", "twenty characters..")))
          .hasMessageContaining("more than maxTurnChars = 10");
    }
  }
}
