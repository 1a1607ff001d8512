package dev.opticalmemory.memory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one owner of each conversation's state in this process: two locks, a generation and the
 * cached counters. No other class sees a lock; each takes the state through one of the operations
 * below, named for what it does.
 *
 * <ul>
 *   <li>Appends to a conversation run one at a time ({@link #append}); an attachment is kept under
 *       the same lock, so that it never falls beside a forget ({@link #beside}).
 *   <li>Background work runs unit by unit ({@link #underWork}), each unit under the work lock and
 *       only while the conversation's generation is the one its work began with ({@link
 *       #beginWork}). An append never takes the work lock, so rendering never holds up an append.
 *   <li>{@link #forget} takes both locks and moves the generation on: background work begun before
 *       it stops at its next unit, and a unit in flight is waited for. {@link #exclusive} (a tier
 *       move by hand) takes both locks too, without moving the generation.
 * </ul>
 */
final class ConversationStates {
  /** The stored counters and the open segment as of the last commit. */
  record Cached(MemoryStore.Totals totals, Optional<MemoryStore.OpenSegment> open) {}

  /** What an append step returns: its result, and the state it committed (null if unknown). */
  record Appended<T>(T result, Cached after) {}

  /** What background work read to begin with, and the generation it began in. */
  record Begun<T>(long generation, T read) {}

  private static final class State {
    final ReentrantLock appends = new ReentrantLock();
    final ReentrantLock work = new ReentrantLock();
    volatile long generation;
    /** Guarded by {@link #appends}. */
    Cached cached;
  }

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final boolean shared;

  /**
   * @param shared whether other processes write the same store: then nothing is cached, since
   *     their appends would not show in it
   */
  ConversationStates(boolean shared) {
    this.shared = shared;
  }

  private State state(String id) {
    return states.computeIfAbsent(id, k -> new State());
  }

  /**
   * Runs an append step under the conversation's append lock, with the state cached by the last
   * (empty when unknown, or when the store is shared); keeps the state the step commits, or drops
   * the cache if the step fails, so the next append reads the store again.
   */
  <T> T append(String id, Function<Optional<Cached>, Appended<T>> step) {
    State st = state(id);
    st.appends.lock();
    try {
      Appended<T> appended = step.apply(shared ? Optional.empty() : Optional.ofNullable(st.cached));
      st.cached = appended.after();
      return appended.result();
    } catch (RuntimeException e) {
      st.cached = null;
      throw e;
    } finally {
      st.appends.unlock();
    }
  }

  /** Runs a step that must not fall beside a forget of the conversation, appends held off. */
  <T> T beside(String id, Supplier<T> step) {
    State st = state(id);
    st.appends.lock();
    try {
      return step.get();
    } finally {
      st.appends.unlock();
    }
  }

  /** Runs a step with the conversation's appends and background work held off. */
  <T> T exclusive(String id, Supplier<T> step) {
    return bothLocks(state(id), step);
  }

  private static <T> T bothLocks(State st, Supplier<T> step) {
    st.appends.lock();
    st.work.lock();
    try {
      return step.get();
    } finally {
      st.work.unlock();
      st.appends.unlock();
    }
  }

  /**
   * Forgets a conversation: with appends and background work held off, moves its generation on
   * (work begun before stops at its next unit), runs the step that deletes it, and drops the cache.
   */
  <T> T forget(String id, Supplier<T> step) {
    State st = state(id);
    return bothLocks(st, () -> {
      st.generation++;
      st.cached = null;
      return step.get();
    });
  }

  /** Reads what background work begins with, under the work lock, with the generation it is in. */
  <T> Begun<T> beginWork(String id, Supplier<T> read) {
    State st = state(id);
    st.work.lock();
    try {
      return new Begun<>(st.generation, read.get());
    } finally {
      st.work.unlock();
    }
  }

  /** Whether the conversation is still in the generation that background work began in. */
  boolean current(String id, long generation) {
    return state(id).generation == generation;
  }

  /**
   * Runs one unit of background work under the work lock, unless the conversation was forgotten
   * since its work began or {@code stopped} says so; empty if it did not run.
   */
  <T> Optional<T> underWork(String id, long generation, BooleanSupplier stopped,
      Supplier<T> unit) {
    State st = state(id);
    st.work.lock();
    try {
      if (stopped.getAsBoolean() || st.generation != generation) {
        return Optional.empty();
      }
      return Optional.of(java.util.Objects.requireNonNull(unit.get(), "a unit of work's result"));
    } finally {
      st.work.unlock();
    }
  }
}
