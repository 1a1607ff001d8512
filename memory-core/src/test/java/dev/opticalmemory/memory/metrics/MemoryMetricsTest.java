package dev.opticalmemory.memory.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Backlog;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.renderer.FontSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryMetricsTest {
  @TempDir Path tmp;

  private OpticalMemory memory(boolean background) {
    return OpticalMemory.builder().path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .backgroundWork(background).decodeInBackground(false)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build();
  }

  @Test
  void the_backlog_counts_what_waits_and_falls_to_nothing_once_the_work_is_done() {
    try (OpticalMemory memory = memory(false)) {
      for (MemoryTurn turn : Conversations.harbour(200, 7)) {
        memory.append("c", turn);
      }
      Backlog before = memory.operations().backlog();
      assertThat(before.conversations()).isEqualTo(1);
      assertThat(before.waiting().get("render")).isPositive();
      assertThat(before.oldestWaiting()).isPresent();
      assertThat(before.waiting().keySet()).containsExactlyInAnyOrderElementsOf(Backlog.steps());
    }
    try (OpticalMemory memory = memory(true)) {
      memory.operations().catchUp();
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      Backlog after = memory.operations().backlog();
      assertThat(after.totalWaiting()).as(after.toString()).isZero();
      assertThat(after.oldestWaiting()).isEmpty();
    }
  }

  @Test
  void the_meters_move_as_the_memory_is_used() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (OpticalMemory memory = MemoryMetrics.instrument(memory(false), registry)) {
      for (MemoryTurn turn : Conversations.harbour(120, 7)) {
        memory.append("c", turn);
      }
      memory.recall("c", RecallRequest.of("locker code"));
      assertThatThrownBy(() -> memory.recall("nobody", RecallRequest.of("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(registry.get("optical.memory.append").tag("result", "ok").timer().count())
          .isEqualTo(120);
      assertThat(registry.get("optical.memory.recall").tag("result", "ok").timer().count())
          .isEqualTo(1);
      assertThat(registry.get("optical.memory.recall").tag("result", "error").timer().count())
          .isEqualTo(1);
      assertThat(registry.get("optical.memory.backlog.waiting").tag("step", "render").gauge()
          .value()).isPositive();
      assertThat(registry.get("optical.memory.conversations").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void the_backlog_is_read_once_per_refresh_interval() {
    try (OpticalMemory memory = memory(false)) {
      memory.append("c", MemoryTurn.user("A", "one turn"));
      MemoryMetrics metrics = MemoryMetrics.of(memory).refresh(Duration.ofHours(1),
          Clock.systemUTC());
      Backlog first = metrics.backlog();
      memory.append("d", MemoryTurn.user("A", "another conversation"));
      assertThat(metrics.backlog()).isSameAs(first);
      assertThat(MemoryMetrics.of(memory).refresh(Duration.ZERO, Clock.systemUTC()).backlog()
          .conversations()).isEqualTo(2);
    }
  }

  @Test
  void a_negative_refresh_is_refused_naming_it() {
    try (OpticalMemory memory = memory(false)) {
      assertThatThrownBy(() -> MemoryMetrics.of(memory).refresh(Duration.ofSeconds(-1),
          Clock.systemUTC())).hasMessageContaining("refresh").hasMessageContaining("-1");
    }
  }
}
