package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryWorkerTest {
  @TempDir Path tmp;

  private OpticalMemoryBuilder builder() {
    return OpticalMemory.builder().path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .decodeInBackground(false).agingPolicy(AgingPolicy.fixed(Tier.BASE))
        .yieldToAppends(Duration.ZERO, Duration.ZERO);
  }

  @Test
  void a_worker_takes_the_work_an_agent_process_left_and_stops_when_there_is_none() {
    try (OpticalMemory agent = builder().backgroundWork(false).build()) {
      Conversations.harbour(150, 2).forEach(t -> agent.append("c", t));
      assertThat(agent.stats("c").pendingTransitions()).isPositive();
    }
    try (OpticalMemory memory = builder().build()) {
      MemoryWorker.of(memory).poll(Duration.ofMillis(20)).runUntilIdle(Duration.ofMillis(300));
      assertThat(memory.stats("c").pendingTransitions()).isZero();
      assertThat(memory.segments("c").stream().filter(s -> !s.open()))
          .allSatisfy(s -> assertThat(s.tier()).isEqualTo(Tier.BASE));
    }
  }

  @Test
  void run_returns_once_told_to_stop_and_ages_each_conversation_on_its_interval() {
    try (OpticalMemory memory = builder().build()) {
      memory.append("c", MemoryTurn.user("Ann", "The ferry leaves at nine."));
      AtomicInteger asked = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      Thread stopper = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        stop.set(true);
      });
      stopper.start();
      MemoryWorker.of(memory).poll(Duration.ofMillis(10)).ageEvery(Duration.ofMillis(50))
          .run(() -> {
            asked.incrementAndGet();
            return stop.get();
          });
      assertThat(stop).isTrue();
      assertThat(asked.get()).isGreaterThan(1);
    }
  }

  @Test
  void an_interrupt_that_wakes_a_stopping_worker_is_cleared_so_the_close_can_wait() {
    try (OpticalMemory memory = builder().build()) {
      Thread.currentThread().interrupt();
      MemoryWorker.of(memory).run(() -> true);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void a_poll_out_of_range_is_refused_naming_it() {
    try (OpticalMemory memory = builder().build()) {
      assertThatThrownBy(() -> MemoryWorker.of(memory).poll(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("poll must be between 1 ms and PT1H, but is: PT0S");
      assertThatThrownBy(() -> MemoryWorker.of(null)).isInstanceOf(NullPointerException.class)
          .hasMessage("memory");
    }
  }
}
