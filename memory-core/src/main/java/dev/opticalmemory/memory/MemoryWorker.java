package dev.opticalmemory.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The loop of a worker process beside a shared (PostgreSQL) memory: it asks the aging policy about
 * every conversation now and then (for time-based policies), takes the background work that
 * appends of any process left ({@link MemoryOperations#catchUp()}), waits for it, and sleeps a
 * poll interval when there was none. Built on a memory made with {@code backgroundWork(true)}; the
 * memory stays the caller's to close. Immutable: each setting returns a new worker.
 *
 * <pre>{@code
 * MemoryWorker.of(memory).poll(Duration.ofSeconds(1)).run(stopping::get);
 * }</pre>
 */
public final class MemoryWorker {
  private static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final OpticalMemory memory;
  private final Duration poll;
  private final Duration ageEvery;

  private MemoryWorker(OpticalMemory memory, Duration poll, Duration ageEvery) {
    this.memory = memory;
    this.poll = poll;
    this.ageEvery = ageEvery;
  }

  /**
   * A worker that polls every second and asks the aging policy about every conversation every
   * minute.
   *
   * @param memory the memory to work on
   * @return the worker
   * @throws NullPointerException if memory is null
   */
  public static MemoryWorker of(OpticalMemory memory) {
    return new MemoryWorker(Objects.requireNonNull(memory, "memory"), Duration.ofSeconds(1),
        Duration.ofMinutes(1));
  }

  /**
   * The same worker, looking for work this often when there was none.
   *
   * @param poll 1 ms to 1 h
   * @return a new worker
   * @throws IllegalArgumentException if poll is out of range
   */
  public MemoryWorker poll(Duration poll) {
    return new MemoryWorker(memory, range("poll", poll, Duration.ofHours(1)), ageEvery);
  }

  /**
   * The same worker, asking the aging policy about every conversation this often.
   *
   * @param ageEvery 1 ms to 366 days
   * @return a new worker
   * @throws IllegalArgumentException if ageEvery is out of range
   */
  public MemoryWorker ageEvery(Duration ageEvery) {
    return new MemoryWorker(memory, poll, range("ageEvery", ageEvery, Duration.ofDays(366)));
  }

  private static Duration range(String name, Duration value, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be between 1 ms and " + max
          + ", but is: " + value);
    }
    return value;
  }

  /**
   * Takes the work left, waits for it, and returns how many conversations had some.
   *
   * @return the conversations with work
   * @throws IllegalStateException if the memory was built with {@code backgroundWork(false)}
   */
  public int step() {
    int conversations = memory.operations().catchUp();
    if (conversations > 0) {
      memory.operations().awaitIdle(MAX_WAIT);
    }
    return conversations;
  }

  /**
   * Works until {@code stop} says so (it is asked between steps and while sleeping), or the
   * thread is interrupted. An interrupt that comes with a stop is taken as the stop's wake-up and
   * cleared, so that the caller closes the memory with its background work waited for (and its
   * leases given back).
   *
   * @param stop whether to stop
   */
  public void run(BooleanSupplier stop) {
    long lastAged = System.nanoTime();
    while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
      if (System.nanoTime() - lastAged >= ageEvery.toNanos()) {
        for (String conversation : memory.conversations()) {
          memory.operations().age(conversation);
        }
        lastAged = System.nanoTime();
      }
      if (step() == 0) {
        sleep(poll, stop);
      }
    }
    if (stop.getAsBoolean()) {
      Thread.interrupted(); // the stop's wake-up, not a request to abandon the close
    }
  }

  /**
   * Works until no work has come for {@code quiet} (for a batch: after an import, before a
   * measurement), or the thread is interrupted.
   *
   * @param quiet how long without work ends it
   */
  public void runUntilIdle(Duration quiet) {
    long idleSince = System.nanoTime();
    while (System.nanoTime() - idleSince < quiet.toNanos()
        && !Thread.currentThread().isInterrupted()) {
      if (step() > 0) {
        idleSince = System.nanoTime();
      } else {
        sleep(poll, () -> false);
      }
    }
  }

  /** Sleeps in slices of at most 100 ms, so that a stop is seen soon. */
  private static void sleep(Duration time, BooleanSupplier stop) {
    long until = System.nanoTime() + time.toNanos();
    try {
      for (long left = time.toMillis(); left > 0 && !stop.getAsBoolean();
          left = (until - System.nanoTime()) / 1_000_000) {
        Thread.sleep(Math.min(100, left));
      }
    } catch (InterruptedException e) {
      if (!stop.getAsBoolean()) {
        Thread.currentThread().interrupt(); // not a stop's wake-up: let the caller see it
      }
    }
  }

  @Override
  public String toString() {
    return "MemoryWorker[" + memory + ", poll " + poll + ", ageEvery " + ageEvery + "]";
  }
}
