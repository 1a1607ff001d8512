package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageEncoding;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Settings of a memory. One store is required: {@link #path(Path)} (an H2 file, the default
 * choice), {@link #jdbcUrl(String)} (PostgreSQL, or H2 in memory for tests) or
 * {@link #dataSource(javax.sql.DataSource)} (PostgreSQL through a pool of the application's).
 */
public final class OpticalMemoryBuilder {
  private static final Map<Tier, PageEncoding> DEFAULT_ENCODINGS = Map.of(
      Tier.LARGE, PageEncoding.GRAY8_PNG,
      Tier.BASE, PageEncoding.BILEVEL_CONTEXT,
      Tier.SMALL, PageEncoding.GRAY16_PNG,
      Tier.TINY, PageEncoding.GRAY16_PNG);
  private static final Pattern MEM_URL = Pattern.compile("jdbc:h2:mem:[A-Za-z0-9_\\-]*");
  private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://[^\\s]+");

  private Path path;
  private String jdbcUrl;
  /** H2's file system for {@link #path}: {@code file}; tests put a wrapper here. */
  String h2Scheme = "file";
  /** Nanoseconds for what the memory times by the elapsed time; tests move theirs on by hand. */
  java.util.function.LongSupplier ticker = System::nanoTime;
  private javax.sql.DataSource dataSource;
  private String password;
  private Integer maxConnections;
  private boolean backgroundWork = true;
  private Duration lease;
  private AgingPolicy policy = AgingPolicy.defaults();
  private Retention retention = Retention.DROP;
  private OcrEngine ocr;
  private boolean measureFidelity;
  private boolean decodeInBackground = true;
  private boolean readOwnPages = true;
  private boolean regionMarks;
  private Retrieval retrieval = Retrieval.LEXICAL;
  private Salience salience = Salience.facts();
  private boolean rehearsal = true;
  private Embedder embedder;
  private TokenCounter tokenCounter;
  private Clock clock = Clock.systemUTC();
  private Executor executor;
  private final List<TransitionListener> listeners = new ArrayList<>();
  private long cacheBytes = 64L << 20;
  private int maxTurnChars = OpticalMemory.DEFAULT_MAX_TURN_CHARS;
  private Duration quietPeriod = Duration.ofMillis(20);
  private Duration maxDeferral = Duration.ofSeconds(5);
  private FontSet fonts;
  private float pageFontSize;
  private final Map<Tier, PageEncoding> encodings = new EnumMap<>(DEFAULT_ENCODINGS);

  OpticalMemoryBuilder() {}

  /**
   * The database file: {@code path} names it without H2's {@code .mv.db} suffix (a path that ends
   * in {@code .mv.db} is taken as the file itself); its folder is created if needed. An existing
   * file, a device or an empty path is refused when the memory is built or here.
   *
   * @param path the file, with or without {@code .mv.db}
   * @return this builder
   */
  public OpticalMemoryBuilder path(Path path) {
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
        ? "jdbcUrl(" + JdbcUrls.redact(jdbcUrl) + ")" : dataSource != null
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
  public OpticalMemoryBuilder jdbcUrl(String url) {
    if (url == null || !(MEM_URL.matcher(url).matches() || POSTGRES_URL.matcher(url).matches())) {
      throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://HOST[:PORT]/DATABASE"
          + " or jdbc:h2:mem:NAME (use path(...) for an H2 file), but is: "
          + (url == null ? null : JdbcUrls.redact(url)));
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
  public OpticalMemoryBuilder dataSource(javax.sql.DataSource dataSource) {
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
  public OpticalMemoryBuilder password(String password) {
    this.password = require(password, "password");
    return this;
  }

  /**
   * Connections to PostgreSQL at most, 1 to 100; default 8.
   *
   * @param connections the most connections, 1 to 64
   * @return this builder
   */
  public OpticalMemoryBuilder maxConnections(int connections) {
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
   * over when the lease runs out. Keep it well above one segment's work (docs/benchmarks.md has
   * its time per machine), which {@link #measureFidelity} multiplies.
   *
   * @param lease how long a claimed segment stays with its worker
   * @return this builder
   */
  public OpticalMemoryBuilder lease(Duration lease) {
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
  public OpticalMemoryBuilder backgroundWork(boolean enabled) {
    this.backgroundWork = enabled;
    return this;
  }

  /**
   * When segments move down; default {@link AgingPolicy#defaults()}.
   *
   * @param policy the policy
   * @return this builder
   */
  public OpticalMemoryBuilder agingPolicy(AgingPolicy policy) {
    this.policy = require(policy, "agingPolicy");
    return this;
  }

  /**
   * Whether source text survives image tiers; default {@link Retention#DROP}.
   *
   * @param retention whether source text survives image tiers
   * @return this builder
   */
  public OpticalMemoryBuilder retention(Retention retention) {
    this.retention = require(retention, "retention");
    return this;
  }

  /**
   * The decoder for recall (and fidelity) of the lines the page reader leaves (all lines with
   * {@link #readOwnPages readOwnPages(false)}). Default: a PP-OCR engine the memory loads on first
   * use and closes when it closes; memories of one process that should share one give
   * it here. An engine given here is not closed by the memory, and one that is not thread-safe
   * ({@link OcrEngine#isThreadSafe()}) is used by one thread at a time.
   *
   * @param ocr the engine
   * @return this builder
   */
  public OpticalMemoryBuilder ocr(OcrEngine ocr) {
    this.ocr = require(ocr, "ocr");
    return this;
  }

  /**
   * Whether to measure each tier's fidelity when a segment closes: the segment's images at every
   * tier are decoded as the memory decodes (see {@link #readOwnPages}) and compared with its text,
   * which costs one decoding per tier. Default off. Experiments and
   * {@link AgingPolicy#withFidelityFloor(double)} need it on.
   *
   * @param measure whether to measure fidelity at every tier
   * @return this builder
   */
  public OpticalMemoryBuilder measureFidelity(boolean measure) {
    this.measureFidelity = measure;
    return this;
  }

  /**
   * Whether background work decodes each page once at the tier it rests at and stores its text
   * line by line, so that {@link OpticalMemory#recall} and {@link OpticalMemory#decode} read
   * stored text and run no OCR on the request path (a page not decoded yet is read by OCR of
   * its matching lines, as with this off). Where the source text is still stored (the TEXT
   * tier's render, or {@link Retention#KEEP}), the page's fidelity at that tier is measured
   * too. Default on; it costs one decoding of each page per tier it rests at, after appends and
   * yielding to them.
   *
   * @param decode whether to decode pages in the background
   * @return this builder
   */
  public OpticalMemoryBuilder decodeInBackground(boolean decode) {
    this.decodeInBackground = decode;
    return this;
  }

  /**
   * Whether the memory reads its own pages with the renderer's {@link
   * dev.opticalmemory.renderer.PageReader} before any OCR engine: it knows the font, where each
   * line is and how each tier was made from the one above, and reads a page by matching glyphs
   * drawn the same way, several times faster than PP-OCR (docs/benchmarks.md). Lines it cannot
   * read (another script, another font, a poor fit) go to the
   * OCR engine, which is loaded only then. Default on; turn it off to measure an OCR engine (or a
   * vision model served as one) on the memory's pages.
   *
   * <p>What it reads is the decoder's view: the fidelity measured with it tells what recall gets
   * back, not what an LLM reading the same image at the tier's vision tokens makes out.
   *
   * @param read whether to read own pages by their font
   * @return this builder
   */
  public OpticalMemoryBuilder readOwnPages(boolean read) {
    this.readOwnPages = read;
    return this;
  }

  /**
   * Whether pages carry region marks: each turn's first line on a page starts with its number,
   * {@code "57 "}, drawn in the text's font, so that a model reading the image can name the turn
   * it wants read back exactly ({@link OpticalMemory#read}). A page then holds more text per
   * vision token, which costs legibility where pages are small (docs/benchmarks.md), so marks are
   * for agents that read regions back. Pages drawn before, or drawn without marks, keep working
   * either way. Default off.
   *
   * @param marks whether to draw region marks on pages drawn from now on
   * @return this builder
   */
  public OpticalMemoryBuilder regionMarks(boolean marks) {
    this.regionMarks = marks;
    return this;
  }

  /**
   * How recall ranks segments by default. {@link Retrieval#LEXICAL} (BM25, the default) embeds
   * nothing; HYBRID and DENSE embed each turn from its source text when its page is rendered (in
   * the background). On LoCoMo's questions hybrid ranking found no more evidence than BM25 (the
   * README's "Recall"), so it is opt-in.
   *
   * @param retrieval the default ranking
   * @return this builder
   */
  public OpticalMemoryBuilder retrieval(Retrieval retrieval) {
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
  public OpticalMemoryBuilder embedder(Embedder embedder) {
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
  public OpticalMemoryBuilder salience(Salience salience) {
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
  public OpticalMemoryBuilder rehearsal(boolean rehearsal) {
    this.rehearsal = rehearsal;
    return this;
  }

  /**
   * Counts text tokens for aging and statistics; default {@link TokenCounter#o200k()}.
   *
   * @param counter the counter
   * @return this builder
   */
  public OpticalMemoryBuilder tokenCounter(TokenCounter counter) {
    this.tokenCounter = require(counter, "tokenCounter");
    return this;
  }

  /**
   * The clock for timestamps and time-based aging; default UTC system clock.
   *
   * @param clock the clock
   * @return this builder
   */
  public OpticalMemoryBuilder clock(Clock clock) {
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
  public OpticalMemoryBuilder executor(Executor executor) {
    this.executor = require(executor, "executor");
    return this;
  }

  /**
   * Adds a listener told of every committed tier change, after the commit, in the order added. A
   * memory may have several; more can subscribe to a built memory through {@link
   * MemoryOperations#subscribe(TransitionListener)}.
   *
   * @param listener called after each transition
   * @return this builder
   */
  public OpticalMemoryBuilder listener(TransitionListener listener) {
    listeners.add(require(listener, "listener"));
    return this;
  }

  /**
   * Bound of the image and decoded-text cache, in bytes, 0 to 16 GiB; default 64 MiB.
   *
   * @param bytes the cache's size in bytes
   * @return this builder
   */
  public OpticalMemoryBuilder cacheBytes(long bytes) {
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
  public OpticalMemoryBuilder maxTurnChars(int chars) {
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
   * {@code maxDeferral}, which keeps page rendering off the append path on a small machine (the
   * README's benchmark). Defaults 20 ms and 5 s; {@code Duration.ZERO} for either turns yielding off.
   *
   * @param quietPeriod how long after an append background work waits
   * @param maxDeferral the longest it waits while appends keep coming
   * @return this builder
   */
  public OpticalMemoryBuilder yieldToAppends(Duration quietPeriod, Duration maxDeferral) {
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
  public OpticalMemoryBuilder fonts(FontSet fonts) {
    this.fonts = require(fonts, "fonts");
    return this;
  }

  /**
   * The font size of the pages, in pixels on the 1,280 px (LARGE) page, from which every tier is
   * downscaled; default 20 (the short side / 64). A larger font puts fewer tokens on each page, so
   * each tier sends them at a lower compression, where DeepSeek-OCR's published precision is
   * higher (the figures per size are in the README). Keep one size
   * per database: pages already drawn keep theirs, and the page reader that reads the memory's
   * own pages exactly assumes the size set here.
   *
   * @param pixels the font size, 8 to 64 pixels
   * @return this builder
   */
  public OpticalMemoryBuilder pageFontSize(float pixels) {
    if (!(pixels >= 8 && pixels <= 64)) {
      throw new IllegalArgumentException("pageFontSize must be between 8 and 64 pixels, but is: "
          + pixels);
    }
    this.pageFontSize = pixels;
    return this;
  }

  /**
   * How images of a tier are stored. Defaults: LARGE 8-bit PNG, BASE black and white context-coded
   * ({@link PageEncoding#BILEVEL_CONTEXT}), SMALL and TINY 16-level PNG (each tier is downscaled
   * from the one above as stored, so fewer levels at SMALL cost TINY word accuracy). Sizes and
   * precision in {@link PageEncoding}.
   *
   * @param tier an image tier
   * @param encoding how to store that tier's pages
   * @return this builder
   */
  public OpticalMemoryBuilder encoding(Tier tier, PageEncoding encoding) {
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
   * @throws IllegalArgumentException if a setting does not apply to the chosen store (a password,
   *     a pool size or a lease with H2), naming both
   * @throws IllegalStateException if DENSE or HYBRID retrieval is asked for with no embedder
   *     given and the default one's optional dependency missing
   */
  public OpticalMemory build() {
    return new DefaultOpticalMemory(settings());
  }

  /** Checks the combination of settings and freezes them. */
  Settings settings() {
    if (path == null && jdbcUrl == null && dataSource == null) {
      throw new IllegalArgumentException("a store is required: path(Path) for an H2 file,"
          + " jdbcUrl(\"jdbc:postgresql://...\") or dataSource(...) for PostgreSQL");
    }
    boolean postgresUrl = jdbcUrl != null && POSTGRES_URL.matcher(jdbcUrl).matches();
    String store = path != null ? "path(" + path + ")" : dataSource != null ? "dataSource(...)"
        : "jdbcUrl(" + JdbcUrls.redact(jdbcUrl) + ")";
    if (password != null && !postgresUrl) {
      throw new IllegalArgumentException("password(...) is only for a jdbc:postgresql: URL, but"
          + " the store is " + store + (dataSource != null ? " (its pool has its own)" : ""));
    }
    if (maxConnections != null && !postgresUrl) {
      throw new IllegalArgumentException("maxConnections(" + maxConnections + ") is only for a"
          + " jdbc:postgresql: URL, but the store is " + store
          + (dataSource != null ? " (size the application's pool instead)" : ""));
    }
    if (lease != null && !postgresUrl && dataSource == null) {
      throw new IllegalArgumentException("lease(" + lease + ") is for a store that processes"
          + " share (PostgreSQL), but the store is " + store + ", which one process holds");
    }
    if (retrieval != Retrieval.LEXICAL && embedder == null && !Embeddings.defaultAvailable()) {
      throw new IllegalStateException("retrieval " + retrieval + " needs an embedder: add the"
          + " optional dependency " + Embeddings.Model.ALL_MINILM_L6_V2.artifact
          + " (its version is in optical-memory-bom), or give one with embedder(...)");
    }
    Settings.StoreSettings storeSettings = path != null
        ? new Settings.StoreSettings.H2File(path, h2Scheme, ticker)
        : dataSource != null ? new Settings.StoreSettings.PostgresPool(dataSource)
        : postgresUrl ? new Settings.StoreSettings.PostgresUrl(jdbcUrl, password,
            maxConnections == null ? 8 : maxConnections)
        : new Settings.StoreSettings.H2InMemory(jdbcUrl);
    return new Settings(storeSettings, backgroundWork,
        lease == null ? Duration.ofSeconds(60) : lease, policy, retention,
        Optional.ofNullable(ocr), measureFidelity, decodeInBackground, readOwnPages, regionMarks,
        retrieval, salience, rehearsal, Optional.ofNullable(embedder),
        Optional.ofNullable(tokenCounter),
        clock, Optional.ofNullable(executor), listeners, cacheBytes, maxTurnChars, quietPeriod,
        maxDeferral, Optional.ofNullable(fonts), pageFontSize, encodings, ticker);
  }

  /**
   * How a memory stores a tier's page unless {@link #encoding} says otherwise: LARGE 8-bit gray
   * PNG, BASE black and white (context-coded), SMALL and TINY 16 gray levels.
   *
   * @param tier an image tier
   * @return its default encoding
   * @throws IllegalArgumentException if the tier is not an image tier
   */
  public static PageEncoding defaultEncoding(Tier tier) {
    if (tier == null || !tier.isImage()) {
      throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
    }
    return DEFAULT_ENCODINGS.get(tier);
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    return value;
  }
}
