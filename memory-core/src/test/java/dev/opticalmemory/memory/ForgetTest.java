package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forget() while background work is rendering and aging the same conversation. */
class ForgetTest {
  @TempDir Path tmp;
  final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  final Logger logger = Logger.getLogger(OpticalMemory.class.getName());
  final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    logger.addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(handler);
  }

  @Test
  void forget_right_after_appends_stops_background_work_quietly_and_leaves_nothing() {
    List<MemoryTurn> turns = Conversations.harbour(400, 9);
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).yieldToAppends(Duration.ZERO, Duration.ZERO)
        .agingPolicy(AgingPolicy.byTokens(100, 200, 300, 400, 2_000)).build()) {
      for (int round = 0; round < 6; round++) {
        String id = "c" + round;
        for (MemoryTurn turn : turns.subList(0, 150 + 40 * round)) {
          memory.append(id, turn);
        }
        assertThat(memory.forget(id)).isTrue();
        assertThat(memory.operations().contains(id)).isFalse();
      }
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      assertThat(memory.conversations()).isEmpty();
      // A conversation of the same id starts afresh, and its background work runs as usual.
      for (MemoryTurn turn : turns.subList(0, 200)) {
        memory.append("c0", turn);
      }
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      assertThat(memory.stats("c0").turns()).isEqualTo(200);
      assertThat(memory.stats("c0").pendingTransitions()).isZero();
    }
    assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
  }
}
