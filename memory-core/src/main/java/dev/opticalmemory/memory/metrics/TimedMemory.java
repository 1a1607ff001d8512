package dev.opticalmemory.memory.metrics;

import dev.opticalmemory.memory.ConversationStats;
import dev.opticalmemory.memory.MemoryOperations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Passage;
import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.Segment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A memory whose appends, recalls and reads are timed; every call goes to the memory. */
final class TimedMemory implements OpticalMemory {
  private final OpticalMemory memory;
  private final Timer appendOk;
  private final Timer appendError;
  private final Timer recallOk;
  private final Timer recallError;
  private final Timer readOk;
  private final Timer readError;

  TimedMemory(OpticalMemory memory, MeterRegistry registry) {
    this.memory = memory;
    this.appendOk = timer(registry, "optical.memory.append", "ok", "appends of a turn");
    this.appendError = timer(registry, "optical.memory.append", "error", "appends of a turn");
    this.recallOk = timer(registry, "optical.memory.recall", "ok", "recalls");
    this.recallError = timer(registry, "optical.memory.recall", "error", "recalls");
    this.readOk = timer(registry, "optical.memory.read", "ok", "reads of a page's turns");
    this.readError = timer(registry, "optical.memory.read", "error", "reads of a page's turns");
  }

  private static Timer timer(MeterRegistry registry, String name, String result,
      String description) {
    return Timer.builder(name).tag("result", result).description(description)
        .publishPercentileHistogram(false).register(registry);
  }

  private static <T> T timed(Timer ok, Timer error, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T result = call.get();
      ok.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      return result;
    } catch (RuntimeException e) {
      error.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      throw e;
    }
  }

  @Override
  public int append(String conversation, MemoryTurn turn) {
    return timed(appendOk, appendError, () -> memory.append(conversation, turn));
  }

  @Override
  public int append(String conversation, MemoryTurn turn, String key) {
    return timed(appendOk, appendError, () -> memory.append(conversation, turn, key));
  }

  @Override
  public List<Segment> segments(String conversation) {
    return memory.segments(conversation);
  }

  @Override
  public List<Recollection> recall(String conversation, RecallRequest request) {
    return timed(recallOk, recallError, () -> memory.recall(conversation, request));
  }

  @Override
  public Passage read(String conversation, int page, int fromTurn, int toTurn) {
    return timed(readOk, readError, () -> memory.read(conversation, page, fromTurn, toTurn));
  }

  @Override
  public Recollection decode(String conversation, long segmentId) {
    return memory.decode(conversation, segmentId);
  }

  @Override
  public Optional<byte[]> png(String conversation, long segmentId) {
    return memory.png(conversation, segmentId);
  }

  @Override
  public boolean pin(String conversation, int turn) {
    return memory.pin(conversation, turn);
  }

  @Override
  public boolean unpin(String conversation, int turn) {
    return memory.unpin(conversation, turn);
  }

  @Override
  public List<Integer> pins(String conversation) {
    return memory.pins(conversation);
  }

  @Override
  public boolean forget(String conversation) {
    return memory.forget(conversation);
  }

  @Override
  public List<String> conversations() {
    return memory.conversations();
  }

  @Override
  public ConversationStats stats(String conversation) {
    return memory.stats(conversation);
  }

  @Override
  public MemoryOperations operations() {
    return memory.operations();
  }

  @Override
  public void close() {
    memory.close();
  }

  @Override
  public String toString() {
    return memory + " (timed)";
  }
}
