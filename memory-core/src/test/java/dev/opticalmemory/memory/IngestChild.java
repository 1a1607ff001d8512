package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;

/**
 * The child process of {@link CrashTest}: appends turns to the database named by its argument and
 * prints {@code ACK n} after each append returns, until it is killed.
 */
public final class IngestChild {
  private IngestChild() {}

  public static void main(String[] args) {
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(Path.of(args[0]))
        .fonts(FontSet.latinOnly()).retention(Retention.KEEP)
        .agingPolicy(AgingPolicy.byTokens(200, 400, 600, 800, Long.MAX_VALUE)).build()) {
      int n = 0;
      while (true) {
        for (MemoryTurn turn : Conversations.harbour(100, n)) {
          int number = memory.append("crash", turn.with("n", String.valueOf(n)));
          System.out.println("ACK " + number);
          System.out.flush();
          n++;
        }
      }
    }
  }
}
