package dev.opticalmemory.memory.metrics;

import dev.opticalmemory.memory.Backlog;
import dev.opticalmemory.memory.CacheStatistics;
import dev.opticalmemory.memory.OpticalMemory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of a memory, for operations:
 *
 * <ul>
 *   <li>{@code optical.memory.append}, {@code .recall}, {@code .read}: timers of those calls, with
 *       a {@code result} tag ({@code ok} or {@code error}), when the memory is used through {@link
 *       #instrument};
 *   <li>{@code optical.memory.context}: a timer the integrations' context assembly records with
 *       {@link #contextTimer};
 *   <li>{@code optical.memory.backlog.waiting} by {@code step} ({@code render}, {@code
 *       BASE->SMALL}...), {@code optical.memory.backlog.undecoded}, {@code
 *       optical.memory.backlog.oldest} (seconds since the oldest waiting segment closed; 0 when
 *       none waits), {@code optical.memory.conversations}: gauges of {@link
 *       dev.opticalmemory.memory.MemoryOperations#backlog()}, read at most once per refresh
 *       interval (10 s by default), as it reads every conversation;
 *   <li>{@code optical.memory.cache.hits}, {@code .misses}: counters of the page cache.
 * </ul>
 *
 * <pre>{@code
 * OpticalMemory metered = MemoryMetrics.instrument(memory, registry);
 * }</pre>
 */
public final class MemoryMetrics implements MeterBinder {
  private final OpticalMemory memory;
  private final Duration refresh;
  private final Clock clock;
  private volatile Backlog backlog;
  private volatile long readAt = Long.MIN_VALUE;

  private MemoryMetrics(OpticalMemory memory, Duration refresh, Clock clock) {
    this.memory = Objects.requireNonNull(memory, "memory");
    this.refresh = Objects.requireNonNull(refresh, "refresh");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must not be negative, but is: " + refresh);
    }
  }

  /**
   * The gauges and counters of {@code memory}, its backlog read at most every 10 seconds.
   *
   * @param memory the memory
   * @return a binder
   */
  public static MemoryMetrics of(OpticalMemory memory) {
    return new MemoryMetrics(memory, Duration.ofSeconds(10), Clock.systemUTC());
  }

  /**
   * The same meters, the backlog read at most this often (0: at every scrape).
   *
   * @param refresh how long a backlog read is reused
   * @param clock the clock that measures it
   * @return a new binder
   */
  public MemoryMetrics refresh(Duration refresh, Clock clock) {
    return new MemoryMetrics(memory, refresh, clock);
  }

  /**
   * Binds the gauges and counters of {@code memory} to {@code registry} and returns the memory
   * with its appends, recalls and reads timed. The returned memory closes {@code memory}.
   *
   * @param memory the memory
   * @param registry where the meters go
   * @return the memory, timed
   */
  public static OpticalMemory instrument(OpticalMemory memory, MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    of(memory).bindTo(registry);
    return new TimedMemory(memory, registry);
  }

  /**
   * The timer of context assembly, for an integration to record each assembly in.
   *
   * @param registry the registry
   * @return the timer {@code optical.memory.context}
   */
  public static Timer contextTimer(MeterRegistry registry) {
    return Timer.builder("optical.memory.context")
        .description("assembly of a context within a token budget").register(registry);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String step : Backlog.steps()) {
      gauge(registry, "optical.memory.backlog.waiting", "segments waiting for background work",
          m -> m.backlog().waiting().getOrDefault(step, 0)).tag("step", step).register(registry);
    }
    gauge(registry, "optical.memory.backlog.undecoded", "pages at rest not decoded yet",
        m -> m.backlog().undecoded()).register(registry);
    gauge(registry, "optical.memory.backlog.oldest",
        "seconds since the oldest waiting segment closed (0 when none waits)",
        m -> m.backlog().oldestWaiting().map(d -> d.toMillis() / 1000.0).orElse(0.0))
        .baseUnit("seconds").register(registry);
    gauge(registry, "optical.memory.conversations", "conversations in the memory",
        m -> m.backlog().conversations()).register(registry);
    FunctionCounter.builder("optical.memory.cache.hits", memory,
        m -> cache(m).hits()).description("page cache hits").register(registry);
    FunctionCounter.builder("optical.memory.cache.misses", memory,
        m -> cache(m).misses()).description("page cache misses").register(registry);
  }

  private Gauge.Builder<MemoryMetrics> gauge(MeterRegistry registry, String name,
      String description, ToDoubleFunction<MemoryMetrics> value) {
    return Gauge.builder(name, this, m -> {
      try {
        return value.applyAsDouble(m);
      } catch (RuntimeException e) {
        return Double.NaN; // the store is unreachable: no figure rather than a false one
      }
    }).description(description).strongReference(true);
  }

  private static CacheStatistics cache(OpticalMemory m) {
    try {
      return m.operations().cacheStatistics();
    } catch (RuntimeException e) {
      return new CacheStatistics(0, 0, 0, 0, 0);
    }
  }

  /** The backlog, read again once the refresh interval has passed. */
  Backlog backlog() {
    long now = clock.millis();
    Backlog b = backlog;
    if (b == null || now - readAt >= refresh.toMillis()) {
      synchronized (this) {
        if (backlog == null || now - readAt >= refresh.toMillis()) {
          backlog = memory.operations().backlog();
          readAt = now;
        }
        b = backlog;
      }
    }
    return b;
  }
}
