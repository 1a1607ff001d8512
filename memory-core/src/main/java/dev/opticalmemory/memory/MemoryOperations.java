package dev.opticalmemory.memory;

import java.time.Duration;
import java.util.List;

/**
 * What a memory offers beyond the everyday calls of {@link OpticalMemory}, for workers, tools,
 * integrations and experiments: background work and its progress, moving a segment down by hand,
 * stored images at any tier, attachments, listeners and the cache's figures. Obtained from {@link
 * OpticalMemory#operations()}; it lives and closes with its memory, and every method is
 * thread-safe.
 */
public interface MemoryOperations {
  /**
   * The number of the turn stored under an idempotency key, if any.
   *
   * @param conversation the conversation id
   * @param key the idempotency key
   * @return the turn's number, or empty if no turn has that key
   */
  java.util.OptionalInt turnOf(String conversation, String key);

  /**
   * Appends a turn once, as {@link OpticalMemory#append(String, MemoryTurn, String)} does, and says
   * whether this call stored it: writers that share a memory, such as two ingests of one file,
   * then each report what they stored and no turn is counted twice.
   *
   * @param conversation the conversation id
   * @param turn the turn
   * @param key the idempotency key, unique in the conversation
   * @return true if this call stored the turn, false if a turn with the key was already stored
   * @throws IllegalArgumentException as {@link OpticalMemory#append(String, MemoryTurn, String)}
   */
  boolean appendIfAbsent(String conversation, MemoryTurn turn, String key);

  /**
   * Checks a turn as {@link OpticalMemory#append} would, without storing anything: the id, the
   * text's length, the speaker's, and that the turn can be laid out on pages. A batch validated turn by turn
   * before its first append cannot fail half-way on bad input.
   *
   * @param conversation the conversation id
   * @param turn the turn
   * @throws IllegalArgumentException with the message {@code append} would give
   */
  void validate(String conversation, MemoryTurn turn);

  /**
   * One segment of a conversation, by id.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return the segment
   */
  Segment segment(String conversation, long segmentId);

  /**
   * How well each segment matches {@code query}: its BM25 score over the best segment's, 0 to 1
   * (segments that match no word of the query are absent). Only the index is read: nothing is decoded and nothing rehearsed. For
   * {@link dev.opticalmemory.memory.context.ContextAssembler#assemble(String, int, Map)}, to keep
   * the pages the user's message points to sharp.
   *
   * @param conversation the conversation id
   * @param query the words to score by, for example the user's newest message
   * @return scores by segment id; empty if the query has no words to search for
   * @throws IllegalArgumentException if the conversation is unknown
   */
  java.util.Map<Long, Double> relevance(String conversation, String query);

  /**
   * The current image of a segment as stored (in its tier's {@link dev.opticalmemory.renderer.PageEncoding}), or empty for TEXT
   * and FORGOTTEN segments. {@link dev.opticalmemory.renderer.PageImages#decode(byte[])} reads
   * every encoding; {@link OpticalMemory#png} gives a standard file.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return the image's bytes, or empty
   */
  java.util.Optional<byte[]> image(String conversation, long segmentId);

  /**
   * A segment's stored image at {@code tier}, if there is one: its current tier's image; for a
   * closed TEXT segment, its LARGE page once rendered in the background (the context assembler sends
   * it in place of the text when a budget is tight); with {@link Retention#KEEP}, every tier it has
   * passed through.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @param tier an image tier
   * @return the image's bytes, or empty
   * @throws IllegalArgumentException if the tier is not an image tier, or the ids are unknown
   */
  java.util.Optional<byte[]> image(String conversation, long segmentId, Tier tier);

  /**
   * The turns of a segment as stored, when their text is still kept (TEXT tier or KEEP).
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return the turns, oldest first; empty when the text is no longer kept
   */
  List<MemoryTurn> turns(String conversation, long segmentId);

  /**
   * The turns of a segment numbered {@code fromTurn} or later, as {@link #turns(String, long)}
   * gives them: what an open segment gained since it was last read, without reading it again.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @param fromTurn the first turn number wanted, from 0
   * @return those turns, oldest first
   */
  List<MemoryTurn> turns(String conversation, long segmentId, int fromTurn);

  /**
   * Moves a segment down to {@code tier} now (each step in between included), with the cause given;
   * a tier above the current one is an error. Returns when the change is committed.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @param tier the tier to move to, at or below the current one
   * @param cause why, as transitions report it
   * @return the segment after the move
   */
  Segment demote(String conversation, long segmentId, Tier tier, Transition.Cause cause);

  /**
   * Asks the aging policy about every segment of the conversation now (for time-based policies).
   *
   * @param conversation the conversation id
   */
  void age(String conversation);

  /**
   * Keeps bytes that a conversation's turns refer to, such as an image a user sent, outside the
   * turns: a turn then carries only the returned reference, so appending and reading it stay
   * cheap however large the bytes are. The same bytes again give the same reference and are kept
   * once. They go when the conversation is forgotten. Creates the conversation if it is new.
   *
   * @param conversation the conversation id
   * @param bytes the bytes, at most {@link #MAX_ATTACHMENT_BYTES}
   * @return the reference, {@code sha256:} and the bytes' hash in hex
   * @throws IllegalArgumentException if bytes is empty or larger than the limit
   */
  String attach(String conversation, byte[] bytes);

  /**
   * Bytes kept by {@link #attach}.
   *
   * @param conversation the conversation id
   * @param reference the reference {@link #attach} returned
   * @return a copy of the bytes, or empty where the conversation holds none under that reference
   */
  java.util.Optional<byte[]> attachment(String conversation, String reference);

  /** The largest attachment {@link #attach} takes: 64 MiB. */
  int MAX_ATTACHMENT_BYTES = 64 << 20;

  /**
   * Whether a conversation is stored (one indexed lookup; invalid ids are simply absent).
   *
   * @param conversation the conversation id
   * @return whether it is stored
   */
  boolean contains(String conversation);

  /**
   * Whether the pages this memory draws carry region marks, each turn's number before its first
   * line ({@link OpticalMemoryBuilder#regionMarks}): a chat memory then tells the model so.
   *
   * @return whether pages drawn from now on are marked
   */
  boolean regionMarks();

  /**
   * The background work not done yet over all conversations, for operations: segments waiting
   * for a page or a tier move, pages not decoded, and the oldest waiting segment's age. It reads
   * every conversation's segments; poll it every few seconds, not per request.
   *
   * @return the backlog
   */
  Backlog backlog();

  /**
   * The cache's figures.
   *
   * @return hits, misses, evictions and bytes held
   */
  CacheStatistics cacheStatistics();

  /**
   * Schedules background work for every conversation that has some left: from an earlier run,
   * from appends of other processes on a shared (PostgreSQL) store, or from a worker killed
   * mid-way (once its leases run out). A worker process calls it in a loop; see the README's "Many
   * instances". Returns the number of conversations with work.
   *
   * @return the number of conversations with work
   * @throws IllegalStateException if this memory was built with {@code backgroundWork(false)}
   */
  int catchUp();

  /**
   * Waits until background rendering and aging have caught up with every append so far.
   *
   * @param timeout how long to wait at most
   * @return whether they did within the timeout
   */
  boolean awaitIdle(Duration timeout);

  /**
   * The executor that runs this memory's background work (the builder's, or the pool the memory
   * owns): integrations run their own background tasks for the memory on it, so that one setting
   * sizes them all. Tasks given to it after the memory closes may be refused.
   *
   * @return the executor
   */
  java.util.concurrent.Executor executor();

  /**
   * Adds a listener told of every committed tier change from now on, after those of the builder.
   * A listener that throws is logged and does not keep the others from hearing.
   *
   * @param listener called after each transition
   */
  void subscribe(TransitionListener listener);

  /**
   * Removes a listener added by {@link #subscribe}.
   *
   * @param listener the listener
   * @return whether it was subscribed
   */
  boolean unsubscribe(TransitionListener listener);
}
