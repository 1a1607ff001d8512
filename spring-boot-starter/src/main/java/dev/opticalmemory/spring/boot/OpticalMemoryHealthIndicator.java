package dev.opticalmemory.spring.boot;

import dev.opticalmemory.memory.Backlog;
import dev.opticalmemory.memory.OpticalMemory;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The memory's health: DOWN when its store cannot be read, or when background work is stuck: work
 * has been waiting and its amount has not gone down for longer than the configured age. (A
 * segment's age alone says little: under token-based aging a page closed long ago falls due only
 * when new turns come.) UP with the backlog as details otherwise.
 */
public final class OpticalMemoryHealthIndicator implements HealthIndicator {
  private final OpticalMemory memory;
  private final Duration maxBacklogAge;
  private final boolean backgroundWork;
  private final java.time.Clock clock;
  private int lastWaiting;
  private java.time.Instant progressAt;

  /**
   * A health indicator of {@code memory}.
   *
   * @param memory the memory
   * @param maxBacklogAge how long a segment may wait before background work counts as stuck
   * @param backgroundWork whether this process does the background work (else workers do, and a
   *     backlog is theirs to report)
   * @param clock the clock that times the backlog's progress
   */
  public OpticalMemoryHealthIndicator(OpticalMemory memory, Duration maxBacklogAge,
      boolean backgroundWork, java.time.Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progressAt = clock.instant();
    this.memory = Objects.requireNonNull(memory, "memory");
    this.maxBacklogAge = Objects.requireNonNull(maxBacklogAge, "maxBacklogAge");
    this.backgroundWork = backgroundWork;
  }

  @Override
  public synchronized Health health() {
    Backlog backlog;
    try {
      backlog = memory.operations().backlog();
    } catch (RuntimeException e) {
      return Health.down(e).withDetail("store", "unreachable").build();
    }
    Health.Builder health = Health.up().withDetail("conversations", backlog.conversations())
        .withDetail("waiting", backlog.totalWaiting())
        .withDetail("undecoded", backlog.undecoded());
    backlog.oldestWaiting().ifPresent(age -> health.withDetail("oldestWaitingSeconds",
        age.toSeconds()));
    java.time.Instant now = clock.instant();
    int waiting = backlog.totalWaiting();
    if (waiting == 0 || waiting < lastWaiting) {
      progressAt = now;
    }
    lastWaiting = waiting;
    Duration still = Duration.between(progressAt, now);
    if (backgroundWork && waiting > 0 && still.compareTo(maxBacklogAge) > 0) {
      health.down().withDetail("reason", "background work is stuck: " + waiting + " segments"
          + " have waited " + still.toSeconds() + " s without the backlog going down, over"
          + " optical-memory.max-backlog-age (" + maxBacklogAge.toSeconds() + " s)");
    }
    return health.build();
  }
}
