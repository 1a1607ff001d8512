package dev.opticalmemory.cli;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.MemoryWorker;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.FontSet;
import java.time.Duration;
import java.util.Arrays;

/**
 * The child processes of {@code bench memory --db URL} (password in the environment):
 * <ul>
 *   <li>{@code append URL CONVERSATION N}: N appends with no background work, then one line
 *       {@code LATENCY p50_ms p99_ms};
 *   <li>{@code work URL}: a worker that ages every closed segment to TINY, until no work is left
 *       for a second; then {@code DONE}.
 * </ul>
 */
public final class StoreBenchChild {
  private StoreBenchChild() {}

  public static void main(String[] args) throws Exception {
    OpticalMemoryBuilder builder = OpticalMemory.builder().jdbcUrl(args[1])
        .fonts(FontSet.latinOnly());
    String password = MemoryCommands.password();
    if (password != null && args[1].startsWith("jdbc:postgresql:")) {
      builder.password(password);
    }
    if (args[0].equals("append")) {
      int n = Integer.parseInt(args[3]);
      try (OpticalMemory memory = builder.backgroundWork(false).build()) {
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
          MemoryTurn turn = MemoryTurn.user(i % 2 == 0 ? "Mira" : "Tomas", "Entry " + i
              + " of the harbour log: the ferry left at nine and the crane was checked twice.");
          long t = System.nanoTime();
          memory.append(args[2], turn);
          latency[i] = System.nanoTime() - t;
        }
        Arrays.sort(latency);
        System.out.printf("LATENCY %.3f %.3f%n", latency[n / 2] / 1e6, latency[n * 99 / 100] / 1e6);
      }
      return;
    }
    try (OpticalMemory memory = builder.agingPolicy(AgingPolicy.fixed(Tier.TINY))
        .yieldToAppends(Duration.ZERO, Duration.ZERO).build()) {
      MemoryWorker.of(memory).poll(Duration.ofMillis(50)).runUntilIdle(Duration.ofSeconds(1));
    }
    System.out.println("DONE");
  }
}
