package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read tool: a page's turns back by page and turn number, in sentences a model can act on. */
class ReadToolTest {
  @TempDir Path tmp;

  @Test
  void the_read_tool_answers_in_sentences_and_reads_at_most_twenty_turns() {
    List<MemoryTurn> script = Conversations.harbour(500, 11);
    try (OpticalMemory memory = Conversations.agedHarbour(tmp.resolve("m"), script)) {
      check(new ReadTool(memory), Conversations.firstClosedAt(memory, Tier.SMALL), script);
    }
  }

  private static void check(ReadTool tool, Segment small, List<MemoryTurn> script) {
    String read = tool.read("c", small.index(), small.firstTurn(), 3);
    assertThat(read).startsWith("[page " + small.index() + ", turns " + small.firstTurn() + "-"
        + (small.firstTurn() + 2) + ", decoded from its SMALL image")
        .contains("turn " + small.firstTurn() + ", ")
        .contains(": " + script.get(small.firstTurn()).labelledText() + "\n");
    assertThat(read.lines().count()).isEqualTo(4);
    assertThat(tool.read("c", small.index(), small.firstTurn(), 21))
        .isEqualTo("Cannot read that: count must be between 1 and 20, but is: 21");
    assertThat(tool.read("c", 10_000, 0, null)).startsWith("Cannot read that: page must be");
    assertThat(tool.read("nobody", 0, 0, null))
        .isEqualTo("Nothing is remembered in this conversation yet.");
    String tail = tool.read("c", small.index(), small.lastTurn(), null);
    assertThat(tail).as("clipped to the page").startsWith("[page " + small.index() + ", turns "
        + small.lastTurn() + "-" + small.lastTurn() + ",");
  }
}
