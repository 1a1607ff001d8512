package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The read tool: a page's turns back by page and turn number, in sentences a model can act on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadToolTest {
  OpticalMemory memory;
  List<MemoryTurn> script = Conversations.harbour(500, 11);

  @BeforeAll
  void open(@TempDir Path tmp) {
    memory = Conversations.agedHarbour(tmp.resolve("m"), script);
  }

  @AfterAll
  void close() {
    memory.close();
  }

  private Segment at(Tier tier) {
    return memory.segments("c").stream().filter(s -> s.tier() == tier && !s.open()).findFirst()
        .orElseThrow();
  }

  @Test
  void the_read_tool_answers_in_sentences_and_reads_at_most_twenty_turns() {
    ReadTool tool = new ReadTool(memory);
    Segment small = at(Tier.SMALL);

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
