package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageEncoding;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * A long-context memory by optical compression. Turns are packed into page-sized segments; as a
 * segment ages it is re-encoded as ever smaller page images (TEXT, then 1280, 1024, 640 and 512 px,
 * then forgotten), and recall reads the images back with an OCR engine.
 *
 * <pre>{@code
 * try (OpticalMemory memory = OpticalMemory.builder().path(Path.of("memory")).build()) {
 *   memory.append("alice-42", MemoryTurn.user("Alice", "My locker is number 14."));
 *   ...
 *   for (Recollection r : memory.recall("alice-42", "locker", 3)) {
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
   * The number of the turn stored under an idempotency key, if any.
   *
   * @param conversation the conversation id
   * @param key the idempotency key
   * @return the turn's number, or empty if no turn has that key
   */
  java.util.OptionalInt turnOf(String conversation, String key);

  /**
   * Checks a turn as {@link #append} would, without storing anything: the id, the text's length,
   * the speaker's, and that the turn can be laid out on pages. A batch validated turn by turn
   * before its first append cannot fail half-way on bad input.
   *
   * @param conversation the conversation id
   * @param turn the turn
   * @throws IllegalArgumentException with the message {@code append} would give
   */
  void validate(String conversation, MemoryTurn turn);

  /**
   * The conversation's segments, oldest first. Unknown conversations are an error.
   *
   * @param conversation the conversation id
   * @return the segments
   */
  List<Segment> segments(String conversation);

  /**
   * One segment of a conversation, by id.
   *
   * @param conversation the conversation id
   * @param segmentId the segment id, from {@link Segment#id()}
   * @return the segment
   */
  Segment segment(String conversation, long segmentId);

  /**
   * Finds the segments that best match {@code query} (BM25 over their words) and reads them: TEXT
   * segments verbatim, image segments by the lines that hold the query's words and their
   * neighbours, from the page's text decoded in the background at its tier (see
   * {@link Builder#decodeInBackground}); a page not decoded yet by OCR of just those lines.
   * Forgotten segments are never returned.
   *
   * @param k how many segments at most, 1 to 100
   * @param conversation the conversation id
   * @param query words to look for
   * @return best first; empty if nothing matches
   */
  List<Recollection> recall(String conversation, String query, int k);

  /**
   * {@link #recall(String, String, int)}, leaving out the turns the agent already sees as text
   * ({@code shownTurns}, by number; {@link dev.opticalmemory.memory.context.ContextItem#turnNumber}
   * of an assembled context's text items), the message being answered included: a segment whose
   * matching turns are all shown gives way to the next best.
   *
   * @param conversation the conversation id
   * @param query words to look for
   * @param k how many segments at most, 1 to 100
   * @param shownTurns numbers of the turns the agent already sees
   * @return best first; empty if nothing matches
   */
  List<Recollection> recall(String conversation, String query, int k,
      java.util.Set<Integer> shownTurns);

  /**
   * The same, ranked by {@code retrieval} instead of the memory's default ({@link
   * Builder#retrieval}); DENSE and HYBRID find only turns embedded, which a memory built with
   * LEXICAL does not do.
   *
   * @param conversation the conversation id
   * @param query words to look for, or a question (DENSE, HYBRID)
   * @param k how many segments at most, 1 to 100
   * @param shownTurns numbers of the turns the agent already sees
   * @param retrieval how to rank
   * @return best first; empty if nothing matches
   */
  List<Recollection> recall(String conversation, String query, int k,
      java.util.Set<Integer> shownTurns, Retrieval retrieval);

  /**
   * Reads turns of one page back exactly: the turns {@code fromTurn} to {@code toTurn} of page
   * {@code page}, as written where the memory still keeps their text (a TEXT segment, or any
   * segment with {@link Retention#KEEP}), else as the page's image at its tier decodes (the
   * page's line breaks read as spaces), flagged as decoded, with the page's measured word
   * accuracy. The numbers are those contexts, stats and
   * page images show: {@link Segment#index()} and the turn numbers from 0. Reading an aged page
   * counts as recalling it ({@link Builder#rehearsal}), once per spacing; nothing else changes.
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
   * How well each segment matches {@code query}: its BM25 score over the best segment's, 0 to 1
   * (segments that match no word of the query are absent). Only the index is read: nothing is decoded and nothing rehearsed. For
   * {@link dev.opticalmemory.memory.context.ContextAssembler#assemble(String, int, Map)}, to keep
   * the pages the user's message points to sharp.
   *
   * @param conversation the conversation id
   * @param query the words to score by, for example the user's newest message
   * @return scores by segment id; empty if the query has no words to search for
   * @throws IllegalArgumentException if the conversation is unknown or the query is null
   */
  java.util.Map<Long, Double> relevance(String conversation, String query);

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
   * The current image of a segment as stored (in its tier's {@link PageEncoding}), or empty for TEXT
   * and FORGOTTEN segments. {@link dev.opticalmemory.renderer.PageImages#decode(byte[])} reads
   * every encoding; {@link #png} gives a standard file.
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
   * Whether a conversation is stored (one indexed lookup; invalid ids are simply absent).
   *
   * @param conversation the conversation id
   * @return whether it is stored
   */
  boolean contains(String conversation);

  /**
   * A conversation's figures.
   *
   * @param conversation the conversation id
   * @return its turns, segments, tiers, tokens and stored bytes
   */
  ConversationStats stats(String conversation);

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

  /** Waits for background work in flight, then closes the database. Idempotent. */
  @Override
  void close();

  /**
   * A builder of a memory; {@link Builder#path} or another store is required.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * How a memory stores a tier's page unless {@link Builder#encoding} says otherwise: LARGE 8-bit
   * gray PNG, BASE black and white (context-coded), SMALL and TINY 16 gray levels.
   *
   * @param tier an image tier
   * @return its default encoding
   * @throws IllegalArgumentException if the tier is not an image tier
   */
  static PageEncoding defaultEncoding(Tier tier) {
    if (tier == null || !tier.isImage()) {
      throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
    }
    return new Builder().encodings.get(tier);
  }

  /**
   * Settings of a memory. One store is required: {@link #path(Path)} (an H2 file, the default
   * choice), {@link #jdbcUrl(String)} (PostgreSQL, or H2 in memory for tests) or
   * {@link #dataSource(javax.sql.DataSource)} (PostgreSQL through a pool of the application's).
   */
  final class Builder {
    private static final Pattern MEM_URL = Pattern.compile("jdbc:h2:mem:[A-Za-z0-9_\\-]*");
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://[^\\s]+");

    Path path;
    String jdbcUrl;
    /** H2's file system for {@link #path}: {@code file}; tests put a wrapper here. */
    String h2Scheme = "file";
    javax.sql.DataSource dataSource;
    String password;
    int maxConnections = 8;
    boolean backgroundWork = true;
    Duration lease = Duration.ofSeconds(60);
    AgingPolicy policy = AgingPolicy.defaults();
    Retention retention = Retention.DROP;
    OcrEngine ocr;
    boolean measureFidelity;
    boolean decodeInBackground = true;
    boolean readOwnPages = true;
    Retrieval retrieval = Retrieval.LEXICAL;
    Salience salience = Salience.facts();
    boolean rehearsal = true;
    Embedder embedder;
    TokenCounter tokenCounter;
    Clock clock = Clock.systemUTC();
    Executor executor;
    TransitionListener listener = t -> { };
    long cacheBytes = 64L << 20;
    int maxTurnChars = DEFAULT_MAX_TURN_CHARS;
    Duration quietPeriod = Duration.ofMillis(20);
    Duration maxDeferral = Duration.ofSeconds(5);
    FontSet fonts;
    float pageFontSize;
    final Map<Tier, PageEncoding> encodings = new EnumMap<>(Map.of(
        Tier.LARGE, PageEncoding.GRAY8_PNG,
        Tier.BASE, PageEncoding.BILEVEL_CONTEXT,
        Tier.SMALL, PageEncoding.GRAY16_PNG,
        Tier.TINY, PageEncoding.GRAY16_PNG));

    Builder() {}

    /**
     * The database file: {@code path} names it without H2's {@code .mv.db} suffix (a path that ends
     * in {@code .mv.db} is taken as the file itself); its folder is created if needed. An existing
     * file, a device or an empty path is refused when the memory is built or here.
     *
     * @param path the file, with or without {@code .mv.db}
     * @return this builder
     */
    public Builder path(Path path) {
      if (path == null || path.getFileName() == null || path.toString().isEmpty()
          || path.getFileName().toString().equals(".") || path.getFileName().toString().equals("..")) {
        throw new IllegalArgumentException("path must name a database file, but is: "
            + (path == null ? "null" : "'" + path + "'"));
      }
      String name = path.getFileName().toString();
      if (name.endsWith(".mv.db") && name.length() > ".mv.db".length()) {
        path = path.resolveSibling(name.substring(0, name.length() - ".mv.db".length()));
      }
      if (path.toString().contains(";")) {
        throw new IllegalArgumentException("path must not contain ';' (H2 reads it as a setting),"
            + " but is: " + path);
      }
      requireNoStore("path");
      this.path = path.toAbsolutePath();
      return this;
    }

    private void requireNoStore(String setting) {
      String set = path != null ? "path(" + path + ")" : jdbcUrl != null
          ? "jdbcUrl(" + PostgresStore.redact(jdbcUrl) + ")" : dataSource != null
          ? "dataSource(...)" : null;
      if (set != null) {
        throw new IllegalStateException(setting + " cannot be set: the store was already set by "
            + set);
      }
    }

    /**
     * A database by URL: {@code jdbc:postgresql://host:port/db?user=...} for a PostgreSQL server that
     * many processes share (the password in {@link #password(String)}, not in the URL, so that it
     * never shows in a message), or {@code jdbc:h2:mem:NAME} for an in-memory database (tests; lost
     * when the memory closes). For an H2 file, use {@link #path(Path)}.
     *
     * @param url the JDBC URL
     * @return this builder
     */
    public Builder jdbcUrl(String url) {
      if (url == null || !(MEM_URL.matcher(url).matches() || POSTGRES_URL.matcher(url).matches())) {
        throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://HOST[:PORT]/DATABASE"
            + " or jdbc:h2:mem:NAME (use path(...) for an H2 file), but is: "
            + (url == null ? null : PostgresStore.redact(url)));
      }
      requireNoStore("jdbcUrl");
      this.jdbcUrl = url;
      return this;
    }

    /**
     * A PostgreSQL database through the application's own pool; the memory does not close it.
     *
     * @param dataSource the PostgreSQL data source
     * @return this builder
     */
    public Builder dataSource(javax.sql.DataSource dataSource) {
      require(dataSource, "dataSource");
      requireNoStore("dataSource");
      this.dataSource = dataSource;
      return this;
    }

    /**
     * The password for a PostgreSQL {@link #jdbcUrl(String)}.
     *
     * @param password the database password
     * @return this builder
     */
    public Builder password(String password) {
      this.password = require(password, "password");
      return this;
    }

    /**
     * Connections to PostgreSQL at most, 1 to 100; default 8.
     *
     * @param connections the most connections, 1 to 64
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      if (connections < 1 || connections > 100) {
        throw new IllegalArgumentException("maxConnections must be between 1 and 100, but is: "
            + connections);
      }
      this.maxConnections = connections;
      return this;
    }

    /**
     * How long a worker holds a segment it claimed on a shared (PostgreSQL) store, 1 s to 1 h;
     * default 60 s. A worker killed mid-way leaves its claims; other workers take those segments
     * over when the lease runs out. Each segment's work takes about a second on 2 cores (8 s with
     * {@link #measureFidelity}).
     *
     * @param lease how long a claimed segment stays with its worker
     * @return this builder
     */
    public Builder lease(Duration lease) {
      require(lease, "lease");
      if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("lease must be between 1 s and 1 h, but is: " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * Whether this process renders and ages segments in the background (default true). An agent's
     * process that shares a PostgreSQL memory with separate workers turns it off; its appends and
     * reads are unchanged, and the workers do the rendering and aging.
     *
     * @param enabled whether this memory renders and ages in the background
     * @return this builder
     */
    public Builder backgroundWork(boolean enabled) {
      this.backgroundWork = enabled;
      return this;
    }

    /**
     * When segments move down; default {@link AgingPolicy#defaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder agingPolicy(AgingPolicy policy) {
      this.policy = require(policy, "agingPolicy");
      return this;
    }

    /**
     * Whether source text survives image tiers; default {@link Retention#DROP}.
     *
     * @param retention whether source text survives image tiers
     * @return this builder
     */
    public Builder retention(Retention retention) {
      this.retention = require(retention, "retention");
      return this;
    }

    /**
     * The decoder for recall (and fidelity) of the lines the page reader leaves (all lines with
     * {@link #readOwnPages readOwnPages(false)}). Default: a PP-OCR engine loaded on first use and
     * shared by every memory of the process that was given none (the models load once per
     * process). An engine given here is not closed by the memory.
     *
     * @param ocr the engine
     * @return this builder
     */
    public Builder ocr(OcrEngine ocr) {
      this.ocr = require(ocr, "ocr");
      return this;
    }

    /**
     * Whether to measure each tier's fidelity when a segment closes: the segment's images at every
     * tier are decoded as the memory decodes (see {@link #readOwnPages}) and compared with its text
     * (with PP-OCR alone, about 2 s per tier on 2 cores). Default off. Experiments and
     * {@link AgingPolicy#withFidelityFloor(double)} need it on.
     *
     * @param measure whether to measure fidelity at every tier
     * @return this builder
     */
    public Builder measureFidelity(boolean measure) {
      this.measureFidelity = measure;
      return this;
    }

    /**
     * Whether background work decodes each page once at the tier it rests at and stores its text
     * line by line, so that {@link OpticalMemory#recall} and {@link OpticalMemory#decode} read
     * stored text and run no OCR on the request path (a page not decoded yet is read by OCR of
     * its matching lines, as with this off). Where the source text is still stored (the TEXT
     * tier's render, or {@link Retention#KEEP}), the page's fidelity at that tier is measured
     * too. Default on; it costs one decoding of each page per tier it rests at (0.1-0.3 s of one
     * core with the page reader, about 2 s on 2 cores with PP-OCR alone), after appends and
     * yielding to them.
     *
     * @param decode whether to decode pages in the background
     * @return this builder
     */
    public Builder decodeInBackground(boolean decode) {
      this.decodeInBackground = decode;
      return this;
    }

    /**
     * Whether the memory reads its own pages with the renderer's {@link
     * dev.opticalmemory.renderer.PageReader} before any OCR engine: it knows the font, where each
     * line is and how each tier was made from the one above, and reads a page by matching glyphs
     * drawn the same way (about 0.1-0.2 s a page on one core, against 1-2 s for PP-OCR; README,
     * "The OCR engine"). Lines it cannot read (another script, another font, a poor fit) go to the
     * OCR engine, which is loaded only then. Default on; turn it off to measure an OCR engine (or a
     * vision model served as one) on the memory's pages.
     *
     * <p>What it reads is the decoder's view: the fidelity measured with it tells what recall gets
     * back, not what an LLM reading the same image at the tier's vision tokens makes out.
     *
     * @param read whether to read own pages by their font
     * @return this builder
     */
    public Builder readOwnPages(boolean read) {
      this.readOwnPages = read;
      return this;
    }

    /**
     * How recall ranks segments by default. {@link Retrieval#LEXICAL} (BM25, the default) embeds
     * nothing; HYBRID and DENSE embed each turn from its source text when its page is rendered (in
     * the background; about 5 ms a turn on 2 cores, 388 bytes stored). On LoCoMo's questions
     * hybrid ranking found no more evidence than BM25 (README, "Recall"), so it is opt-in.
     *
     * @param retrieval the default ranking
     * @return this builder
     */
    public Builder retrieval(Retrieval retrieval) {
      this.retrieval = require(retrieval, "retrieval");
      return this;
    }

    /**
     * What embeds turns and queries for recall by meaning; default {@link Embedder#allMiniLmL6V2()}
     * (an optional dependency; without it, and without an embedder given here, a memory built for
     * DENSE or HYBRID retrieval is refused). A LangChain4j {@code EmbeddingModel} fits as
     * {@code text -> model.embed(text).content().vector()}; {@link Embedder#bgeSmallEnV15()}
     * finds paraphrases better. Keep one model per memory: a conversation whose stored embeddings
     * another model wrote refuses recall by meaning ({@link MemoryException} naming the turn and
     * the cosine), and its new pages are stored without embeddings, until the memory is opened with
     * the model that wrote them.
     *
     * @param embedder the embedder
     * @return this builder
     */
    public Builder embedder(Embedder embedder) {
      this.embedder = require(embedder, "embedder");
      return this;
    }

    /**
     * How each appended turn's salience is scored; default {@link Salience#facts()}.
     * {@link Salience#none()} leaves importance to pins and rehearsals; a LangChain4j chat model
     * can score it ({@code dev.opticalmemory.memory.langchain4j.ChatModelSalience}).
     *
     * @param salience the scorer
     * @return this builder
     */
    public Builder salience(Salience salience) {
      this.salience = require(salience, "salience");
      return this;
    }

    /**
     * Whether a segment that recall returns counts as rehearsed (default true): the top hits of each
     * recall, at most once per {@link Importance#REHEARSAL_SPACING} tokens per segment, written by
     * the background work after the next append or when the memory closes (a recall itself writes
     * nothing).
     *
     * @param rehearsal whether recall rehearses what it returns
     * @return this builder
     */
    public Builder rehearsal(boolean rehearsal) {
      this.rehearsal = rehearsal;
      return this;
    }

    /**
     * Counts text tokens for aging and statistics; default {@link TokenCounter#o200k()}.
     *
     * @param counter the counter
     * @return this builder
     */
    public Builder tokenCounter(TokenCounter counter) {
      this.tokenCounter = require(counter, "tokenCounter");
      return this;
    }

    /**
     * The clock for timestamps and time-based aging; default UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = require(clock, "clock");
      return this;
    }

    /**
     * Runs background rendering and aging. Default: a pool of max(1, cores - 1) daemon threads owned
     * (and shut down) by the memory. An executor given here is not shut down by the memory.
     *
     * @param executor the executor for background work
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = require(executor, "executor");
      return this;
    }

    /**
     * Told of every committed tier change.
     *
     * @param listener called after each transition
     * @return this builder
     */
    public Builder listener(TransitionListener listener) {
      this.listener = require(listener, "listener");
      return this;
    }

    /**
     * Bound of the image and decoded-text cache, in bytes, 0 to 16 GiB; default 64 MiB.
     *
     * @param bytes the cache's size in bytes
     * @return this builder
     */
    public Builder cacheBytes(long bytes) {
      if (bytes < 0 || bytes > (16L << 30)) {
        throw new IllegalArgumentException("cacheBytes must be between 0 and 16 GiB, but is: "
            + bytes);
      }
      this.cacheBytes = bytes;
      return this;
    }

    /**
     * Longest turn accepted, in characters, 1 to 16 Mi; default 1 Mi.
     *
     * @param chars the most characters (UTF-16 units) in one turn
     * @return this builder
     */
    public Builder maxTurnChars(int chars) {
      if (chars < 1 || chars > (16 << 20)) {
        throw new IllegalArgumentException("maxTurnChars must be between 1 and 16777216, but is: "
            + chars);
      }
      this.maxTurnChars = chars;
      return this;
    }

    /**
     * How background work yields to appends: before each render or tier step it waits until no
     * append has come for {@code quietPeriod}, but never defers a piece of work longer than
     * {@code maxDeferral}. On a small machine this keeps page rendering off the append path (on 2
     * cores, back-to-back appends beside rendering have a p99 of about 5 ms; see the README's
     * benchmark). Defaults 20 ms and 5 s; {@code Duration.ZERO} for either turns yielding off.
     *
     * @param quietPeriod how long after an append background work waits
     * @param maxDeferral the longest it waits while appends keep coming
     * @return this builder
     */
    public Builder yieldToAppends(Duration quietPeriod, Duration maxDeferral) {
      require(quietPeriod, "quietPeriod");
      require(maxDeferral, "maxDeferral");
      if (quietPeriod.isNegative() || quietPeriod.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("quietPeriod must be between 0 and 10 s, but is: "
            + quietPeriod);
      }
      if (maxDeferral.isNegative() || maxDeferral.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("maxDeferral must be between 0 and 1 h, but is: "
            + maxDeferral);
      }
      this.quietPeriod = quietPeriod;
      this.maxDeferral = maxDeferral;
      return this;
    }

    /**
     * Fonts of the pages; default {@link FontSet#defaults()} (DejaVu Sans, Noto Sans CJK).
     *
     * @param fonts the fonts
     * @return this builder
     */
    public Builder fonts(FontSet fonts) {
      this.fonts = require(fonts, "fonts");
      return this;
    }

    /**
     * The font size of the pages, in pixels on the 1,280 px (LARGE) page, from which every tier is
     * downscaled; default 20 (the short side / 64: about 5,500 Latin characters, some 1,000 to
     * 1,100 text tokens a page). A larger font puts fewer tokens on each page, so each tier sends
     * them at a lower compression: at 25 a page holds about 650 to 700 tokens, where DeepSeek-OCR's
     * published precision is at its best for TINY and SMALL pages (96.5% and 98.5%). Keep one size
     * per database: pages already drawn keep theirs, and the page reader that reads the memory's
     * own pages exactly assumes the size set here.
     *
     * @param pixels the font size, 8 to 64 pixels
     * @return this builder
     */
    public Builder pageFontSize(float pixels) {
      if (!(pixels >= 8 && pixels <= 64)) {
        throw new IllegalArgumentException("pageFontSize must be between 8 and 64 pixels, but is: "
            + pixels);
      }
      this.pageFontSize = pixels;
      return this;
    }

    /**
     * How images of a tier are stored. Defaults: LARGE 8-bit PNG, BASE black and white context-coded
     * ({@link PageEncoding#BILEVEL_CONTEXT}, 20 KB for a dense page), SMALL and TINY 16-level PNG
     * (each tier is downscaled from the one above as stored: four levels at SMALL cost TINY 3 to 4
     * points of word accuracy). Sizes and precision in {@link PageEncoding}.
     *
     * @param tier an image tier
     * @param encoding how to store that tier's pages
     * @return this builder
     */
    public Builder encoding(Tier tier, PageEncoding encoding) {
      if (tier == null || !tier.isImage()) {
        throw new IllegalArgumentException("encoding is set per image tier (LARGE, BASE, SMALL, "
            + "TINY), not for: " + tier);
      }
      this.encodings.put(tier, require(encoding, "encoding"));
      return this;
    }

    /**
     * Opens (or creates, or migrates) the database and returns the memory; background work left by
     * a previous run resumes.
     *
     * @return the memory, open
     * @throws MemoryException if the database cannot be opened (locked by another process, corrupt,
     *     from a newer version); the cause is kept
     * @throws IllegalStateException if DENSE or HYBRID retrieval is asked for with no embedder
     *     given and the default one's optional dependency missing
     */
    public OpticalMemory build() {
      if (path == null && jdbcUrl == null && dataSource == null) {
        throw new IllegalArgumentException("a store is required: path(Path) for an H2 file,"
            + " jdbcUrl(\"jdbc:postgresql://...\") or dataSource(...) for PostgreSQL");
      }
      if (retrieval != Retrieval.LEXICAL && embedder == null && !Embeddings.defaultAvailable()) {
        throw new IllegalStateException("retrieval " + retrieval + " needs an embedder: add the"
            + " optional dependency " + Embeddings.Model.ALL_MINILM_L6_V2.artifact
            + " (its version is in optical-memory-bom), or give one with embedder(...)");
      }
      return new DefaultOpticalMemory(this);
    }

    /** A snapshot, so that changing this builder later does not change a memory built from it. */
    Builder copy() {
      Builder b = new Builder();
      b.path = path;
      b.jdbcUrl = jdbcUrl;
      b.h2Scheme = h2Scheme;
      b.dataSource = dataSource;
      b.password = password;
      b.maxConnections = maxConnections;
      b.backgroundWork = backgroundWork;
      b.lease = lease;
      b.policy = policy;
      b.retention = retention;
      b.ocr = ocr;
      b.measureFidelity = measureFidelity;
      b.decodeInBackground = decodeInBackground;
      b.readOwnPages = readOwnPages;
      b.retrieval = retrieval;
      b.salience = salience;
      b.rehearsal = rehearsal;
      b.embedder = embedder;
      b.tokenCounter = tokenCounter;
      b.clock = clock;
      b.executor = executor;
      b.listener = listener;
      b.cacheBytes = cacheBytes;
      b.maxTurnChars = maxTurnChars;
      b.quietPeriod = quietPeriod;
      b.maxDeferral = maxDeferral;
      b.fonts = fonts;
      b.pageFontSize = pageFontSize;
      b.encodings.putAll(encodings);
      return b;
    }

    private static <T> T require(T value, String name) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      return value;
    }
  }
}
