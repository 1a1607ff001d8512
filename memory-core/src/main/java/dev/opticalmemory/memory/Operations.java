package dev.opticalmemory.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The operations view of a {@link DefaultOpticalMemory}: each call goes to the memory. */
final class Operations implements MemoryOperations {
  private final DefaultOpticalMemory memory;

  Operations(DefaultOpticalMemory memory) {
    this.memory = memory;
  }

  @Override
  public OptionalInt turnOf(String conversation, String key) {
    return memory.turnOf(conversation, key);
  }

  @Override
  public boolean appendIfAbsent(String conversation, MemoryTurn turn, String key) {
    java.util.Objects.requireNonNull(key, "key");
    return memory.appendKeyed(conversation, turn, key).stored();
  }

  @Override
  public void validate(String conversation, MemoryTurn turn) {
    memory.validate(conversation, turn);
  }

  @Override
  public boolean regionMarks() {
    return memory.regionMarks();
  }

  @Override
  public Segment segment(String conversation, long segmentId) {
    return memory.segment(conversation, segmentId);
  }

  @Override
  public Map<Long, Double> relevance(String conversation, String query) {
    return memory.relevance(conversation, query);
  }

  @Override
  public Optional<byte[]> image(String conversation, long segmentId) {
    return memory.image(conversation, segmentId);
  }

  @Override
  public Optional<byte[]> image(String conversation, long segmentId, Tier tier) {
    return memory.image(conversation, segmentId, tier);
  }

  @Override
  public List<MemoryTurn> turns(String conversation, long segmentId) {
    return memory.turns(conversation, segmentId);
  }

  @Override
  public List<MemoryTurn> turns(String conversation, long segmentId, int fromTurn) {
    return memory.turns(conversation, segmentId, fromTurn);
  }

  @Override
  public Segment demote(String conversation, long segmentId, Tier tier, Transition.Cause cause) {
    return memory.demote(conversation, segmentId, tier, cause);
  }

  @Override
  public void age(String conversation) {
    memory.age(conversation);
  }

  @Override
  public String attach(String conversation, byte[] bytes) {
    return memory.attach(conversation, bytes);
  }

  @Override
  public Optional<byte[]> attachment(String conversation, String reference) {
    return memory.attachment(conversation, reference);
  }

  @Override
  public boolean contains(String conversation) {
    return memory.contains(conversation);
  }

  @Override
  public Backlog backlog() {
    return memory.backlog();
  }

  @Override
  public CacheStatistics cacheStatistics() {
    return memory.cacheStatistics();
  }

  @Override
  public int catchUp() {
    return memory.catchUp();
  }

  @Override
  public boolean awaitIdle(Duration timeout) {
    return memory.awaitIdle(timeout);
  }

  @Override
  public java.util.concurrent.Executor executor() {
    return memory.executor();
  }

  @Override
  public void subscribe(TransitionListener listener) {
    memory.subscribe(listener);
  }

  @Override
  public boolean unsubscribe(TransitionListener listener) {
    return memory.unsubscribe(listener);
  }

  @Override
  public String toString() {
    return "operations of " + memory;
  }
}
