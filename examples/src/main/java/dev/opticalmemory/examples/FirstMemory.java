package dev.opticalmemory.examples;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.VisionReader;
import java.nio.file.Path;

/** The README's Java API example: append, recall, and a context within a token budget. */
public final class FirstMemory {
  private FirstMemory() {}

  /**
   * Remembers a fact, recalls it, and assembles a context, in {@code folder/memory.mv.db}.
   *
   * @param folder where the memory's file goes
   */
  public static void run(Path folder) {
    // README:start
    try (OpticalMemory memory = OpticalMemory.builder().path(folder.resolve("memory")).build()) {
      memory.append("alice", MemoryTurn.user("Alice", "My locker code is 4417."));
      memory.append("alice", MemoryTurn.assistant("Assistant", "Noted: locker 4417."));
      for (Recollection r : memory.recall("alice", RecallRequest.of("locker code").k(3))) {
        System.out.println("page " + r.index() + " at " + r.tier() + ": " + r.text());
      }
      AssembledContext context = ContextAssembler.builder().memory(memory)
          .reader(VisionReader.named("openai")).build().assemble("alice", 8_000);
      System.out.println(context.totalTokens() + " tokens for " + context.reader());
    }
    // README:end
  }
}
