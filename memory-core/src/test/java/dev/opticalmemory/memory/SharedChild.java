package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.FontSet;
import java.time.Duration;
import java.util.List;

/**
 * A child process of {@link MultiProcessTest}, on the PostgreSQL schema of its first argument
 * (password in {@code PGPASSWORD}):
 * <ul>
 *   <li>{@code append URL CONVERSATION PROCESS N}: appends N turns keyed {@code PROCESS-i}, with no
 *       background work, and prints {@code ACK i NUMBER} after each append returns;
 *   <li>{@code work URL LEASE_SECONDS}: a worker (every closed segment to BASE), printing
 *       {@code TRANSITION SEGMENT FROM TO} after each tier change, until killed or, with no work
 *       left for two seconds, on its own ({@code IDLE}).
 * </ul>
 */
public final class SharedChild {
  private SharedChild() {}

  static OpticalMemoryBuilder builder(String url) {
    return OpticalMemory.builder().decodeInBackground(false)
        .jdbcUrl(url).password(PostgresDatabase.password())
        .fonts(FontSet.latinOnly());
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("append")) {
      int n = Integer.parseInt(args[4]);
      try (OpticalMemory memory = builder(args[1]).backgroundWork(false).build()) {
        List<MemoryTurn> turns = Conversations.harbour(n, Long.parseLong(args[3].substring(1)));
        for (int i = 0; i < n; i++) {
          int number = memory.append(args[2], turns.get(i).with("from", args[3]),
              args[3] + "-" + i);
          System.out.println("ACK " + i + " " + number);
          System.out.flush();
        }
      }
      return;
    }
    try (OpticalMemory memory = builder(args[1])
        .lease(Duration.ofSeconds(Integer.parseInt(args[2])))
        .agingPolicy(AgingPolicy.fixed(Tier.BASE))
        .yieldToAppends(Duration.ZERO, Duration.ZERO)
        .listener(t -> {
          synchronized (System.out) {
            System.out.println("TRANSITION " + t.segment() + " " + t.from() + " " + t.to());
            System.out.flush();
          }
        }).build()) {
      MemoryWorker.of(memory).poll(Duration.ofMillis(100)).runUntilIdle(Duration.ofSeconds(2));
      System.out.println("IDLE");
    }
  }
}
