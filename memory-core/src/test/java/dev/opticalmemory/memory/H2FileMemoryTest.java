package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 database file, and what only a file can do: be reopened. */
class H2FileMemoryTest extends MemoryContractTest {
  @TempDir Path tmp;

  @Override
  OpticalMemoryBuilder store() {
    return OpticalMemory.builder().decodeInBackground(false).path(tmp.resolve("memory"));
  }

  @Test
  void reopening_the_same_file_gives_the_same_state() {
    for (MemoryTurn turn : Conversations.harbour(150, 5)) {
      memory.append("c", turn);
    }
    List<Segment> before = memory.segments("c");
    ConversationStats stats = memory.stats("c");
    memory.close();
    memory = store().fonts(FontSet.latinOnly()).executor(Runnable::run).build();
    assertThat(memory.segments("c")).isEqualTo(before);
    assertThat(memory.stats("c")).isEqualTo(stats);
    int next = memory.append("c", MemoryTurn.user("Mira", "One more."));
    assertThat(next).isEqualTo(150);
    assertThat(memory.segments("c").get(before.size() - 1).lastTurn()).isEqualTo(150);
  }
}
