package dev.opticalmemory.memory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The background work a memory has not done yet, over all its conversations: what operations watch
 * to see that workers keep up.
 *
 * @param waiting closed segments waiting, by the step they wait for: {@code "render"} (no page yet)
 *     or a tier move such as {@code "BASE->SMALL"}
 * @param undecoded pages at rest that background decoding has not read yet (0 when the memory does
 *     not decode in the background)
 * @param oldestWaiting how long ago the oldest waiting segment closed, if any waits
 * @param conversations the conversations looked at
 */
public record Backlog(Map<String, Integer> waiting, int undecoded,
    Optional<Duration> oldestWaiting, int conversations) {

  /**
   * Copies the map and checks the counts.
   *
   * @param waiting segments waiting, by step
   * @param undecoded pages not decoded yet
   * @param oldestWaiting the oldest waiting segment's age
   * @param conversations the conversations looked at
   * @throws IllegalArgumentException if a count is negative
   */
  public Backlog {
    waiting = Map.copyOf(Objects.requireNonNull(waiting, "waiting"));
    Objects.requireNonNull(oldestWaiting, "oldestWaiting");
    if (undecoded < 0 || conversations < 0 || waiting.values().stream().anyMatch(v -> v < 0)) {
      throw new IllegalArgumentException("counts must not be negative, but are: " + waiting
          + ", " + undecoded + ", " + conversations);
    }
  }

  /**
   * Every step a segment can wait for, in order: the names {@link #waiting} uses.
   *
   * @return "render", then each tier move
   */
  public static java.util.List<String> steps() {
    java.util.List<String> steps = new java.util.ArrayList<>();
    steps.add("render");
    for (Tier t = Tier.TEXT; t != Tier.FORGOTTEN; t = t.next()) {
      steps.add(t + "->" + t.next());
    }
    return steps;
  }

  /**
   * All segments waiting, whatever their step.
   *
   * @return the sum of {@link #waiting}
   */
  public int totalWaiting() {
    return waiting.values().stream().mapToInt(Integer::intValue).sum();
  }
}
