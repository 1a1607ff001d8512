package dev.opticalmemory.memory;

import java.util.List;

/**
 * A long-context memory by optical compression. Turns are packed into page-sized segments; as a
 * segment ages it is re-encoded as ever smaller page images (TEXT, then 1280, 1024, 640 and 512 px,
 * then forgotten), and recall reads the images back with an OCR engine.
 *
 * <pre>{@code
 * try (OpticalMemory memory = OpticalMemory.builder().path(Path.of("memory")).build()) {
 *   memory.append("alice-42", MemoryTurn.user("Alice", "My locker is number 14."));
 *   ...
 *   for (Recollection r : memory.recall("alice-42", RecallRequest.of("locker").k(3))) {
 *     System.out.println(r.tier() + ": " + r.text());
 *   }
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Conversations are isolated: nothing of one is ever returned for another.
 *   <li>{@link #append} is durable when it returns: the turn is committed to the database file, and a
 *       process killed right after loses nothing acknowledged.
 *   <li>Appends to one conversation are applied in order; appends to different conversations run in
 *       parallel.
 *   <li>Rendering and tier changes run in the background on the configured executor; reads never
 *       wait for them. A crash during a tier change leaves the segment at its previous tier with its
 *       image; the change is redone when the memory is opened again.
 * </ul>
 *
 * <p>Conversation ids are any non-blank string of at most 200 characters (stored as a parameter,
 * never in SQL or a path). All methods are thread-safe.
 */
public interface OpticalMemory extends AutoCloseable {

  /** Largest turn accepted by default, in characters: 1 MiB, about 250 pages. */
  int DEFAULT_MAX_TURN_CHARS = 1 << 20;

  /**
   * Appends a turn to a conversation (created on first use) and returns once it is durable.
   * Unpaired surrogates in the text are replaced by U+FFFD (the only change made to the text).
   *
   * @param conversation the conversation id
   * @param turn the turn
   * @return the turn's number in the conversation, from 0
   * @throws IllegalArgumentException if the id or turn is invalid: empty text, text longer than the
   *     configured maximum (the message gives both), a bad id
   */
  int append(String conversation, MemoryTurn turn);

  /**
   * Appends a turn once: if a turn with this idempotency {@code key} is already stored in the
   * conversation, nothing is stored and that turn's number is returned. A producer that retries,
   * or a re-run of an ingest cut short, thus adds no duplicate. The stored turn's content is not
   * compared with the new one. Keys are unique per conversation, at most 200 characters.
   *
   * @param conversation the conversation id
   * @param turn the turn
   * @param key the idempotency key, unique in the conversation
   * @return the turn's number in the conversation, new or already stored
   * @throws IllegalArgumentException as {@link #append(String, MemoryTurn)}, or for a blank key
   */
  int append(String conversation, MemoryTurn turn, String key);

  /**
   * The conversation's segments, oldest first. Unknown conversations are an error.
   *
   * @param conversation the conversation id
   * @return the segments
   */
  List<Segment> segments(String conversation);

  /**
   * Finds the segments that best match a request's query and reads them: TEXT segments verbatim,
   * image segments by the lines that hold the query's words and their neighbours, from the page's
   * text decoded in the background at its tier (see {@link
   * OpticalMemoryBuilder#decodeInBackground}); a page not decoded yet by OCR of just those lines.
   * Forgotten segments are never returned, nor segments whose matching turns the request leaves
   * out.
   *
   * @param conversation the conversation id
   * @param request the query, how many segments at most, how to rank and which turns to leave out
   * @return best first; empty if nothing matches
   * @throws IllegalArgumentException if the conversation is unknown
   */
  List<Recollection> recall(String conversation, RecallRequest request);

  /**
   * Reads turns of one page back exactly: the turns {@code fromTurn} to {@code toTurn} of page
   * {@code page}, as written where the memory still keeps their text (a TEXT segment, or any
   * segment with {@link Retention#KEEP}), else as the page's image at its tier decodes (the
   * page's wrapped lines joined as the source went on, or by a space on pages drawn by a version
   * before 2026-12-07), flagged as decoded, with the page's measured word
   * accuracy. The numbers are those contexts, stats and
   * page images show: {@link Segment#index()} and the turn numbers from 0. Reading an aged page
   * counts as recalling it ({@link OpticalMemoryBuilder#rehearsal}), once per spacing; nothing else changes.
   *
   * @param conversation the conversation id
   * @param page the page's number, from 0
   * @param fromTurn the first turn, inclusive
   * @param toTurn the last turn, inclusive
   * @return the turns read
   * @throws IllegalArgumentException if the conversation is unknown, the page is out of range or
   *     forgotten, or the turns are not all on that page; the message names the valid range
   */
  Passage read(String conversation, int page, int fromTurn, int toTurn);

  /**
   * Reads a whole segment back: its text if TEXT, else its current image's text, decoded in the
   * background or, if not yet, by OCR now.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return its text, with the tier it was read at
   */
  Recollection decode(String conversation, long segmentId);

  /**
   * The current image of a segment as a PNG file (for files on disk and for LLMs), or empty for TEXT
   * and FORGOTTEN segments. Stored PNGs are returned as they are; other encodings are converted.
   * Where the memory's first font is the bundled one, the file carries the page's layout
   * ({@code PageLabel}, a PNG text chunk the image's readers ignore), with which {@code
   * optical-memory ocr} reads it by its font.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return the PNG, or empty
   */
  java.util.Optional<byte[]> png(String conversation, long segmentId);

  /**
   * Pins a turn: "keep this sharp". Its segments count as pinned in their {@link Importance}: the
   * default aging policy never takes them below BASE nor forgets them, and the context assembler
   * blurs them below BASE only when nothing else is left. Pinning a pinned turn again changes
   * nothing.
   *
   * @param conversation the conversation id
   * @param turn the turn's number, from 0
   * @return whether it was not pinned before
   * @throws IllegalArgumentException if the conversation is unknown or it has no such turn
   */
  boolean pin(String conversation, int turn);

  /**
   * Unpins a turn. Its segments age as they would have; a segment kept at BASE by the pin moves on
   * at the next aging.
   *
   * @param conversation the conversation id
   * @param turn the turn's number, from 0
   * @return whether it was pinned
   * @throws IllegalArgumentException if the conversation is unknown
   */
  boolean unpin(String conversation, int turn);

  /**
   * The pinned turns of a conversation.
   *
   * @param conversation the conversation id
   * @return their numbers, in order
   * @throws IllegalArgumentException if the conversation is unknown
   */
  List<Integer> pins(String conversation);

  /**
   * Deletes a conversation and everything stored for it. Returns whether it existed.
   *
   * @param conversation the conversation id
   * @return whether the conversation existed
   */
  boolean forget(String conversation);

  /**
   * The conversations stored, sorted.
   *
   * @return the conversation ids
   */
  List<String> conversations();

  /**
   * A conversation's figures.
   *
   * @param conversation the conversation id
   * @return its turns, segments, tiers, tokens and stored bytes
   */
  ConversationStats stats(String conversation);

  /**
   * The operations view: what a worker, a tool or an experiment needs beyond the everyday calls
   * (background work, tier moves, raw images, attachments, listeners, the cache's figures). It is
   * the same memory: closing this memory closes it.
   *
   * @return the view, the same object on every call
   */
  MemoryOperations operations();

  /** Waits for background work in flight, then closes the database. Idempotent. */
  @Override
  void close();

  /**
   * A builder of a memory; {@link OpticalMemoryBuilder#path} or another store is required.
   *
   * @return a new builder
   */
  static OpticalMemoryBuilder builder() {
    return new OpticalMemoryBuilder();
  }
}
