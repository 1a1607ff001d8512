package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;

/** A user's program that opens a new memory and appends to it: {@code QuietChild DIR}. */
public final class QuietChild {
  private QuietChild() {}

  public static void main(String[] args) {
    try (OpticalMemory memory = OpticalMemory.builder().path(Path.of(args[0]))
        .fonts(FontSet.latinOnly()).build()) {
      memory.append("c", MemoryTurn.user("Ana", "the boat leaves at nine"));
      System.out.println("OK " + memory.stats("c").turns());
    }
  }
}
