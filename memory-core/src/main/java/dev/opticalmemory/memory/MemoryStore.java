package dev.opticalmemory.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Where the memory keeps everything: conversations, turns, segments and their tiers, page images
 * per tier, page maps, the recall index, fidelity and decoded text. Two implementations:
 * {@link H2Store} (an embedded file, the default) and {@link PostgresStore} (a server that many
 * processes share). Every SQL statement lives behind this interface; nothing of a particular
 * database shows through it.
 *
 * <p>Work runs in a {@link Session}: {@link #write} in one transaction (committed if the work
 * returns, rolled back if it throws), {@link #read} without one. Failures are
 * {@link MemoryException}s that name what was being done and the store, with the cause.
 */
interface MemoryStore extends AutoCloseable {

  /** The database, for messages: a file's path, or a URL without its password. */
  String description();

  /**
   * Whether other processes may write the same database, so that nothing read earlier (an open
   * segment, a conversation's counters) may be trusted without reading it again under a lock.
   */
  boolean shared();

  /** Runs {@code work} in one transaction. */
  <T> T write(String what, Work<T> work);

  /** Runs reads. */
  <T> T read(String what, Work<T> work);

  /** Frees dead space where the database needs it; at most once per {@code every}. */
  default boolean maintain(Duration every) {
    return false;
  }

  /** Closes the store once; later calls do nothing. */
  @Override
  void close();

  /** Work on a session. */
  interface Work<T> {
    T run(Session session);
  }

  /** A conversation's counters. */
  record Totals(int turns, long textTokens, int segments) {}

  /** The open segment of a conversation, with its turn parts in order. */
  record OpenSegment(long id, int seq, int firstTurn, int chars, int textTokens,
      List<StoredPart> parts) {}

  /** A closed segment as background work needs it. */
  record ClosedSegment(long id, int seq, Tier tier, boolean rendered, long tokensAtClose,
      int turnsAtClose, Instant closedAt, boolean decoded, Importance importance) {}

  /** A turn's embedding as stored ({@link Embeddings#pack}). */
  record VectorRow(long segmentId, int turn, byte[] vector) {}

  /** How long ago a closed segment closed, in tokens and turns, and whether it has a page. */
  record SegmentAge(long id, long tokensAtClose, int turnsAtClose, boolean rendered) {}

  /** A stored turn part. {@code text} is null once dropped ({@link Retention#DROP}). */
  record StoredPart(int turn, int part, Role role, String speaker, String text, Instant at,
      String attributes) {}

  /** A stored page image of one tier. */
  record StoredImage(Tier tier, String encoding, int width, int height, int visionTokens,
      byte[] bytes, Instant at) {}

  /** A term of a page: how often it occurs and on which lines. */
  record TermRow(int frequency, TreeSet<Integer> lines) {}

  /** A segment's rows of the recall index for some terms: the term's frequency and lines. */
  record IndexRow(long segment, String term, int frequency, TreeSet<Integer> lines) {}

  /** The typed operations, over one connection. */
  interface Session {
    // ---------------------------------------------------------------- conversations

    Optional<Totals> conversation(String id);

    /**
     * The conversation's counters, its row locked until the transaction ends (appends from other
     * processes wait), or empty if it does not exist.
     */
    Optional<Totals> lockConversation(String id);

    /** Creates the conversation if it does not exist (another process may just have). */
    void createConversation(String id, Instant at);

    /** Sets the counters and marks the conversation as having background work to do. */
    void updateConversation(String id, Totals totals);

    /**
     * Marks the conversation as having no background work left, unless turns were appended since
     * it had {@code turns} (an append from another process asked for more work).
     */
    void markSettled(String id, int turns);

    List<String> conversations();

    /** Conversations with background work left (marked, or closed segments without a page). */
    List<String> unsettledConversations();

    /**
     * Keeps bytes a conversation's turns refer to (a user's image) under their hash; the same hash
     * again changes nothing. The conversation must exist.
     */
    void putMedia(String conversation, String hash, byte[] bytes, Instant at);

    /** Bytes kept by {@link #putMedia}, or empty. */
    Optional<byte[]> media(String conversation, String hash);

    /** Deletes a conversation and all it has; returns the ids of its segments (empty if none). */
    List<Long> deleteConversation(String id);

    // ---------------------------------------------------------------- segments

    Optional<OpenSegment> openSegment(String conversation);

    long createSegment(String conversation, int seq, int firstTurn, Instant at);

    /** Adds a part's counts and its salience to its segment. */
    void growSegment(long segmentId, int lastTurn, int chars, int textTokens, double salience);

    /** Pins a turn; false if it was pinned already. */
    boolean pin(String conversation, int turn, Instant at);

    /** Unpins a turn; false if it was not pinned. */
    boolean unpin(String conversation, int turn);

    /** The conversation's pinned turns, in order. */
    List<Integer> pins(String conversation);

    /**
     * Counts a rehearsal of a closed segment (not forgotten) when at least {@code spacing} text
     * tokens were appended since its last counted one (or since it closed); returns whether it
     * counted.
     */
    boolean rehearse(long segmentId, long tokensNow, long spacing);

    void closeSegment(long segmentId, long tokensAtClose, int turnsAtClose, Instant at);

    /** Closed segments not forgotten, oldest first. */
    List<ClosedSegment> closedSegments(String conversation);

    List<Segment> segments(String conversation);

    Optional<Segment> segment(String conversation, long segmentId);

    List<SegmentAge> closedSegmentAges(String conversation);

    /**
     * Moves a segment from one tier to the next; false (and nothing changed) if it is no longer
     * at {@code from}: another worker moved it first.
     */
    boolean moveTier(long segmentId, Tier from, Tier to);

    /**
     * Claims a segment's background work for {@code owner} until {@code until}, unless another
     * owner holds an unexpired lease on it (or is claiming it right now); returns whether the
     * claim holds.
     */
    boolean claim(long segmentId, String owner, Instant until, Instant now);

    /** Gives a claim up. */
    void release(long segmentId, String owner);

    /** Closed TEXT segments whose page is not rendered yet. */
    List<Long> unrenderedSegments(String conversation);

    // ---------------------------------------------------------------- turns

    void insertPart(String conversation, long segmentId, StoredPart part, int chars,
        int textTokens, String key);

    List<StoredPart> parts(long segmentId);

    /** The parts of turns numbered {@code fromSeq} or later. */
    List<StoredPart> parts(long segmentId, int fromSeq);

    OptionalInt turnByKey(String conversation, String key);

    /** Drops the source text of a segment's turns. */
    void dropText(long segmentId);

    // ---------------------------------------------------------------- pages and the index

    /**
     * Stores a segment's page map, its terms and fidelity; false (nothing stored) if it already
     * has a page: another worker rendered it first.
     */
    boolean storePage(long segmentId, PageMap map, Map<String, TermRow> terms,
        Map<Tier, Fidelity> fidelity);

    Optional<PageMap> pageMap(long segmentId);

    void putImage(long segmentId, StoredImage image);

    Optional<byte[]> image(long segmentId, Tier tier);

    boolean hasImage(long segmentId, Tier tier);

    void deleteImage(long segmentId, Tier tier);

    /** Deletes every image and index row of a segment (it is forgotten). */
    void deletePages(long segmentId);

    Map<Tier, Fidelity> fidelity(long segmentId);

    /** The page's text at this tier, one entry per line of its page map, if decoded. */
    Optional<List<String>> decodedLines(long segmentId, Tier tier);

    /**
     * Stores the page's text at this tier, line by line, and the whole page's text; false if the
     * segment has no image at that tier any more (it moved on, or was forgotten).
     */
    boolean putDecodedLines(long segmentId, Tier tier, List<String> lines);

    void putFidelity(long segmentId, Tier tier, Fidelity fidelity);

    /** Stores the embeddings of a segment's turns, by turn number. */
    void putVectors(long segmentId, Map<Integer, byte[]> vectors);

    /**
     * What changes when the conversation's stored embeddings change (their count, largest segment
     * id and sum of segment positions), so that a cache of them knows when to read them again.
     */
    long[] vectorStamp(String conversation);

    /** The embeddings of every turn of the conversation's segments that are not forgotten. */
    List<VectorRow> vectors(String conversation);

    /**
     * The conversation's oldest and newest stored embeddings (by segment, then turn; one row if
     * there is one, none if there are none), for checking which model wrote them.
     */
    List<VectorRow> oldestAndNewestVectors(String conversation);

    /** Term counts of the segments with a page (not forgotten), by segment id. */
    Map<Long, Integer> indexedLengths(String conversation);

    /** The index rows of these terms in the conversation's segments (not forgotten). */
    List<IndexRow> indexRows(String conversation, List<String> terms);
  }

  /**
   * How well a page decodes at a tier, against its source text: precision (whitespace removed) and
   * word accuracy (the share of words read intact and in order; {@code NaN} where it was stored
   * before schema version 6).
   */
  record Fidelity(double precision, double wordAccuracy) {}
}
