package dev.opticalmemory.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageCapacity;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The optical memory over {@link Store}.
 *
 * <h2>Appending</h2>
 * Under the conversation's lock, the new turn is added to the open segment if the renderer says
 * they still fit one page ({@link PageRenderer#fit}); otherwise the open segment is closed and the
 * turn starts a new one. A turn longer than a page is cut at page boundaries into parts, each its
 * own segment. Everything is committed in one transaction before {@code append} returns; the
 * in-memory copy of the open segment is updated after the commit.
 *
 * <h2>Background work</h2>
 * After an append, the conversation is scheduled to be settled: each closed segment without an
 * image is rendered at 1280 px (page map, terms and, optionally, fidelity stored with it), then
 * every closed segment is moved down to the tier its policy gives, one tier per transaction. At
 * most one settle runs per conversation; appends during a settle make it run again.
 */
final class DefaultOpticalMemory implements OpticalMemory {
  private static final System.Logger LOG = System.getLogger(OpticalMemory.class.getName());
  private static final int MAX_ID_LENGTH = 200;
  private static final int MAX_SPEAKER_LENGTH = 200;
  /** How often background work may compact the database file. */
  private static final Duration MAINTENANCE_EVERY = Duration.ofSeconds(2);
  private static final double BM25_K1 = 1.2;
  private static final double BM25_B = 0.75;

  private final OpticalMemory.Builder settings;
  private final Store store;
  private final PageRenderer renderer;
  private final TokenCounter tokens;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final Cache<Object, Object> cache;
  private final Map<String, ConversationState> states = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> settles = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private int pendingSettles;
  private int runningSettles;
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;
  private volatile long lastAppendNanos = System.nanoTime();
  private final Object ocrLock = new Object();
  private OcrEngine ocr;
  private final boolean ownsOcr;

  DefaultOpticalMemory(OpticalMemory.Builder builder) {
    this.settings = builder.copy();
    FontSet fonts = settings.fonts != null ? settings.fonts : FontSet.defaults();
    this.renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(fonts).build());
    this.tokens = settings.tokenCounter != null ? settings.tokenCounter : TokenCounter.o200k();
    this.ocr = settings.ocr;
    this.ownsOcr = settings.ocr == null;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(settings.cacheBytes)
        .weigher((Object key, Object value) -> weight(value))
        .recordStats()
        .build();
    if (settings.executor != null) {
      this.executor = settings.executor;
      this.ownedExecutor = null;
    } else {
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
      AtomicInteger n = new AtomicInteger();
      this.ownedExecutor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "optical-memory-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.executor = ownedExecutor;
    }
    this.store = openStore();
    List<String> unsettled = store.read("finding unfinished work", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM conversations WHERE needs_settle"
          + " OR id IN (SELECT s.conversation_id FROM segments s WHERE s.closed"
          + " AND s.tier <> 'FORGOTTEN' AND s.page_map IS NULL)")) {
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            ids.add(r.getString(1));
          }
        }
      }
      return ids;
    });
    for (String id : unsettled) {
      scheduleSettle(id);
    }
  }

  /** Opens the store; if it cannot be opened, the executor made for it is shut down again. */
  private Store openStore() {
    try {
      return Store.open(settings.path, settings.jdbcUrl, settings.h2Scheme);
    } catch (RuntimeException e) {
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
      throw e;
    }
  }

  private static int weight(Object value) {
    if (value instanceof byte[]) {
      return ((byte[]) value).length + 16;
    }
    if (value instanceof String) {
      return ((String) value).length() * 2 + 40;
    }
    return 64;
  }

  // ------------------------------------------------------------------ validation

  static String checkId(String conversation) {
    if (conversation == null || conversation.isBlank()) {
      throw new IllegalArgumentException("conversation must not be blank, but is: "
          + (conversation == null ? "null" : "'" + conversation + "'"));
    }
    if (conversation.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("conversation must be at most " + MAX_ID_LENGTH
          + " characters, but is " + conversation.length() + ": '"
          + conversation.substring(0, 40) + "...'");
    }
    for (int i = 0; i < conversation.length(); i++) {
      char ch = conversation.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < conversation.length()
          && Character.isLowSurrogate(conversation.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw new IllegalArgumentException("conversation must be well-formed Unicode, but has an "
            + "unpaired surrogate at index " + i + ": '" + wellFormed(conversation) + "'");
      } else if (ch == 0) {
        throw new IllegalArgumentException("conversation must not contain NUL, but is: '"
            + conversation.replace('\0', '?') + "'");
      }
    }
    return conversation;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the optical memory is closed");
    }
  }

  /** Replaces unpaired surrogates by U+FFFD. */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean bad = false;
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          if (out != null) {
            out.append(ch).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
        bad = true;
      } else if (Character.isLowSurrogate(ch)) {
        bad = true;
      }
      if (bad && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? '\uFFFD' : ch);
      }
    }
    return out == null ? text : out.toString();
  }

  // ------------------------------------------------------------------ conversation state

  /** The in-memory copy of a conversation's counters and open segment, guarded by its lock. */
  private static final class ConversationState {
    final ReentrantLock lock = new ReentrantLock();
    /** Held by each unit of background work, and by forget and demote: never by an append. */
    final ReentrantLock work = new ReentrantLock();
    /** Moved on by forget: background work begun before it stops at its next unit. */
    volatile long generation;
    boolean loaded;
    boolean exists;
    int turns;
    long textTokens;
    int segments;
    long openId = -1;
    int openSeq;
    int openFirstTurn;
    int openChars;
    int openTokens;
    final List<Turn> openTurns = new ArrayList<>();
  }

  private ConversationState lockedState(String conversation) {
    ConversationState st = states.computeIfAbsent(conversation, k -> new ConversationState());
    st.lock.lock();
    try {
      if (!st.loaded) {
        load(conversation, st);
      }
    } catch (RuntimeException e) {
      st.lock.unlock();
      throw e;
    }
    return st;
  }

  private void load(String conversation, ConversationState st) {
    store.read("loading conversation '" + conversation + "'", c -> {
      st.exists = false;
      st.turns = 0;
      st.textTokens = 0;
      st.segments = 0;
      st.openId = -1;
      st.openTurns.clear();
      st.openChars = 0;
      st.openTokens = 0;
      try (PreparedStatement p = c.prepareStatement(
          "SELECT turns, text_tokens, segments FROM conversations WHERE id = ?")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            st.exists = true;
            st.turns = r.getInt(1);
            st.textTokens = r.getLong(2);
            st.segments = r.getInt(3);
          }
        }
      }
      if (st.exists) {
        try (PreparedStatement p = c.prepareStatement("SELECT id, seq, first_turn, chars,"
            + " text_tokens FROM segments WHERE conversation_id = ? AND NOT closed")) {
          p.setString(1, conversation);
          try (ResultSet r = p.executeQuery()) {
            if (r.next()) {
              st.openId = r.getLong(1);
              st.openSeq = r.getInt(2);
              st.openFirstTurn = r.getInt(3);
              st.openChars = r.getInt(4);
              st.openTokens = r.getInt(5);
            }
          }
        }
        if (st.openId >= 0) {
          try (PreparedStatement p = c.prepareStatement("SELECT speaker, text, part FROM turns"
              + " WHERE segment_id = ? ORDER BY seq, part")) {
            p.setLong(1, st.openId);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                st.openTurns.add(renderTurn(r.getString(1), r.getString(2), r.getInt(3)));
              }
            }
          }
        }
      }
      return null;
    });
    st.loaded = true;
  }

  private static Turn renderTurn(String speaker, String text, int part) {
    return part == 0 ? Turn.of(speaker, text) : Turn.plain(text);
  }

  // ------------------------------------------------------------------ append

  /** A piece of a turn and where it goes. */
  private record Piece(String text, int part, boolean newSegment, boolean closesAfter) {}

  @Override
  public int append(String conversation, MemoryTurn turn) {
    return append(conversation, turn, null);
  }

  @Override
  public void validate(String conversation, MemoryTurn turn) {
    checkOpen();
    check(conversation, turn);
    pack(new ConversationState(), wellFormed(turn.speaker()), wellFormed(turn.text()));
  }

  /** The checks of {@link #append}, with its messages. */
  private void check(String conversation, MemoryTurn turn) {
    checkId(conversation);
    if (turn == null) {
      throw new IllegalArgumentException("turn must not be null");
    }
    if (turn.text().isEmpty()) {
      throw new IllegalArgumentException("turn.text must not be empty (conversation '"
          + conversation + "', speaker '" + turn.speaker() + "')");
    }
    if (turn.text().length() > settings.maxTurnChars) {
      throw new IllegalArgumentException("turn.text is " + turn.text().length()
          + " characters, more than maxTurnChars = " + settings.maxTurnChars
          + " (conversation '" + conversation + "'); split it or raise the limit");
    }
    if (turn.speaker().length() > MAX_SPEAKER_LENGTH) {
      throw new IllegalArgumentException("turn.speaker must be at most " + MAX_SPEAKER_LENGTH
          + " characters, but is " + turn.speaker().length() + ": '"
          + wellFormed(turn.speaker().substring(0, 40)) + "...'");
    }
  }

  static String checkKey(String key) {
    if (key == null || key.isBlank() || key.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("key must be a non-blank string of at most "
          + MAX_ID_LENGTH + " characters, but is: " + (key == null ? "null"
          : key.length() > MAX_ID_LENGTH ? key.length() + " characters" : "'" + key + "'"));
    }
    return wellFormed(key);
  }

  @Override
  public OptionalInt turnOf(String conversation, String key) {
    checkOpen();
    checkId(conversation);
    String k = checkKey(key);
    return store.read("looking up turn key '" + k + "' in '" + conversation + "'",
        c -> keyedTurn(c, conversation, k));
  }

  private static OptionalInt keyedTurn(Connection c, String conversation, String key)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT seq FROM turns WHERE conversation_id = ? AND turn_key = ?")) {
      p.setString(1, conversation);
      p.setString(2, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
      }
    }
  }

  @Override
  public int append(String conversation, MemoryTurn turn, String key) {
    checkOpen();
    check(conversation, turn);
    String turnKey = key == null ? null : checkKey(key);
    String text = wellFormed(turn.text());
    String speaker = wellFormed(turn.speaker());
    Instant at = turn.timestamp() != null ? turn.timestamp() : settings.clock.instant();
    ConversationState st = lockedState(conversation);
    boolean appended = false;
    try {
      if (turnKey != null && st.exists) {
        OptionalInt existing = store.read("looking up turn key '" + turnKey + "'",
            c -> keyedTurn(c, conversation, turnKey));
        if (existing.isPresent()) {
          return existing.getAsInt();
        }
      }
      List<Piece> pieces = pack(st, speaker, text);
      int turnNumber = st.turns;
      long[] newOpen = {st.openId};
      int[] newOpenSeq = {st.openSeq};
      int[] newOpenFirst = {st.openFirstTurn};
      int[] pieceTokens = new int[pieces.size()];
      for (int i = 0; i < pieces.size(); i++) {
        Piece piece = pieces.get(i);
        String label = piece.part() == 0 && !speaker.isEmpty() ? speaker + ": " : "";
        pieceTokens[i] = tokens.count(label + piece.text());
      }
      int[] segmentsAfter = {st.segments};
      long[] tokensAfter = {st.textTokens};
      store.tx("appending a turn to '" + conversation + "'", c -> {
        OffsetDateTime now = time(at);
        if (!st.exists) {
          try (PreparedStatement p = c.prepareStatement("INSERT INTO conversations"
              + " (id, created_at, turns, text_tokens, segments, needs_settle)"
              + " VALUES (?, ?, 0, 0, 0, FALSE)")) {
            p.setString(1, conversation);
            p.setObject(2, now);
            p.executeUpdate();
          }
        }
        long open = st.openId;
        for (int i = 0; i < pieces.size(); i++) {
          Piece piece = pieces.get(i);
          if (piece.newSegment()) {
            if (open >= 0) {
              closeSegment(c, open, tokensAfter[0], turnNumber, now);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO segments (conversation_id,"
                + " seq, first_turn, last_turn, closed, tier, chars, text_tokens, created_at)"
                + " VALUES (?, ?, ?, ?, FALSE, 'TEXT', 0, 0, ?)", new String[] {"ID"})) {
              p.setString(1, conversation);
              p.setInt(2, segmentsAfter[0]);
              p.setInt(3, turnNumber);
              p.setInt(4, turnNumber);
              p.setObject(5, now);
              p.executeUpdate();
              try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                open = keys.getLong(1);
              }
            }
            newOpenSeq[0] = segmentsAfter[0];
            newOpenFirst[0] = turnNumber;
            segmentsAfter[0]++;
          }
          tokensAfter[0] += pieceTokens[i];
          try (PreparedStatement p = c.prepareStatement("INSERT INTO turns (conversation_id, seq,"
              + " part, segment_id, role, speaker, text, chars, text_tokens, said_at, attributes,"
              + " turn_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, conversation);
            p.setInt(2, turnNumber);
            p.setInt(3, piece.part());
            p.setLong(4, open);
            p.setString(5, turn.role().name());
            p.setString(6, speaker);
            p.setString(7, piece.text());
            p.setInt(8, piece.text().length());
            p.setInt(9, pieceTokens[i]);
            p.setObject(10, now);
            p.setString(11, Attributes.encode(turn.attributes()));
            p.setString(12, piece.part() == 0 ? turnKey : null);
            p.executeUpdate();
          }
          try (PreparedStatement p = c.prepareStatement("UPDATE segments SET last_turn = ?,"
              + " chars = chars + ?, text_tokens = text_tokens + ?, text_bytes = text_bytes + ?"
              + " WHERE id = ?")) {
            p.setInt(1, turnNumber);
            p.setInt(2, piece.text().length());
            p.setInt(3, pieceTokens[i]);
            p.setLong(4, 2L * piece.text().length());
            p.setLong(5, open);
            p.executeUpdate();
          }
          if (piece.closesAfter()) {
            closeSegment(c, open, tokensAfter[0], turnNumber + 1, now);
            open = -1;
          }
        }
        newOpen[0] = open;
        try (PreparedStatement p = c.prepareStatement("UPDATE conversations SET turns = ?,"
            + " text_tokens = ?, segments = ?, needs_settle = TRUE WHERE id = ?")) {
          p.setInt(1, turnNumber + 1);
          p.setLong(2, tokensAfter[0]);
          p.setInt(3, segmentsAfter[0]);
          p.setString(4, conversation);
          p.executeUpdate();
        }
        return null;
      });
      // Committed: bring the in-memory copy up to date.
      st.exists = true;
      st.turns = turnNumber + 1;
      st.textTokens = tokensAfter[0];
      st.segments = segmentsAfter[0];
      if (newOpen[0] != st.openId) {
        st.openTurns.clear();
        st.openChars = 0;
        st.openTokens = 0;
      }
      st.openId = newOpen[0];
      st.openSeq = newOpenSeq[0];
      st.openFirstTurn = newOpenFirst[0];
      if (st.openId >= 0) {
        Piece last = pieces.get(pieces.size() - 1);
        st.openTurns.add(renderTurn(speaker, last.text(), last.part()));
        st.openChars += last.text().length();
        st.openTokens += pieceTokens[pieceTokens.length - 1];
      }
      appended = true;
      return turnNumber;
    } catch (RuntimeException e) {
      st.loaded = false; // reload from the database on next use
      throw e;
    } finally {
      st.lock.unlock();
      if (appended) {
        lastAppendNanos = System.nanoTime();
        scheduleSettle(conversation);
      }
    }
  }

  /**
   * Background work waits here until appends have paused for the quiet period (or it has waited
   * {@code maxDeferral} since {@code since}), so that it does not take the CPU from them.
   */
  private void yieldToAppends(long since) {
    long quiet = settings.quietPeriod.toNanos();
    long max = settings.maxDeferral.toNanos();
    while (quiet > 0 && !closed) {
      long now = System.nanoTime();
      long idleFor = now - lastAppendNanos;
      if (idleFor >= quiet || now - since >= max) {
        return;
      }
      LockSupport.parkNanos(Math.min(quiet - idleFor, max - (now - since)));
    }
  }

  private static void closeSegment(Connection c, long id, long tokensAtClose, int turnsAtClose,
      OffsetDateTime now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("UPDATE segments SET closed = TRUE,"
        + " closed_at = ?, tokens_at_close = ?, turns_at_close = ? WHERE id = ?")) {
      p.setObject(1, now);
      p.setLong(2, tokensAtClose);
      p.setInt(3, turnsAtClose);
      p.setLong(4, id);
      p.executeUpdate();
    }
  }

  /** Decides where the turn goes: the open segment, a new one, or parts over several. */
  private List<Piece> pack(ConversationState st, String speaker, String text) {
    Turn whole = Turn.of(speaker, text);
    if (st.openId >= 0) {
      List<Turn> candidate = new ArrayList<>(st.openTurns);
      candidate.add(whole);
      if (renderer.fit(candidate).fitsAll(candidate.size())) {
        return List.of(new Piece(text, 0, false, false));
      }
    }
    List<Piece> pieces = new ArrayList<>();
    String rest = text;
    int part = 0;
    while (true) {
      Turn t = part == 0 ? whole : Turn.plain(rest);
      PageCapacity capacity = renderer.fit(List.of(t));
      if (capacity.fitsAll(1)) {
        pieces.add(new Piece(rest, part, true, false));
        return pieces;
      }
      int cut = capacity.partialChars();
      if (cut <= 0 || cut >= rest.length()) {
        throw new IllegalArgumentException("turn.text cannot be laid out on a page: its first "
            + "line does not fit (speaker '" + speaker + "')");
      }
      if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
        cut--;
      }
      pieces.add(new Piece(rest.substring(0, cut), part, true, true));
      rest = rest.substring(cut);
      part++;
    }
  }

  static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  // ------------------------------------------------------------------ background settle

  private void scheduleSettle(String conversation) {
    if (closed) {
      return;
    }
    AtomicInteger state = settles.computeIfAbsent(conversation, k -> new AtomicInteger());
    while (true) {
      int s = state.get();
      if (s == 0) {
        if (state.compareAndSet(0, 1)) {
          synchronized (idle) {
            pendingSettles++;
          }
          try {
            executor.execute(() -> runSettle(conversation, state));
          } catch (RuntimeException e) {
            state.set(0);
            finishSettle();
            LOG.log(System.Logger.Level.WARNING, "cannot schedule background work for '"
                + conversation + "': " + e, e);
          }
          return;
        }
      } else if (s == 1) {
        if (state.compareAndSet(1, 2)) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private void runSettle(String conversation, AtomicInteger state) {
    synchronized (idle) {
      runningSettles++;
    }
    try {
      while (!closed) {
        try {
          settle(conversation, Transition.Cause.AGED);
          store.maintain(MAINTENANCE_EVERY);
        } catch (RuntimeException e) {
          if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "background work on conversation '"
                + conversation + "' failed; it is retried on the next append: " + e, e);
          }
        }
        if (state.compareAndSet(1, 0)) {
          if (lastPending()) {
            store.maintain(Duration.ZERO); // caught up: leave the file compact while idle
          }
          return;
        }
        state.set(1); // was 2: appends came in while settling; go again
      }
    } finally {
      synchronized (idle) {
        runningSettles--;
      }
      finishSettle();
    }
  }

  private boolean lastPending() {
    synchronized (idle) {
      return pendingSettles == 1;
    }
  }

  private void finishSettle() {
    synchronized (idle) {
      pendingSettles--;
      idle.notifyAll();
    }
  }

  /** Waits for settles that are running (not those only queued: they see {@code closed}). */
  private void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (runningSettles > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (pendingSettles > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** A closed segment's row, as settle needs it. */
  private record Closed(long id, int seq, Tier tier, boolean rendered, long tokensAtClose,
      int turnsAtClose, Instant closedAt) {}

  private void settle(String conversation, Transition.Cause cause) {
    long started = System.nanoTime();
    ConversationState st = states.computeIfAbsent(conversation, k -> new ConversationState());
    long generation;
    long[] totals = new long[3];
    List<Closed> closedSegments;
    // The list is read under the work lock, so that a forget cannot fall between it and its use.
    st.work.lock();
    try {
      generation = st.generation;
      closedSegments = closedSegments(conversation, totals);
    } finally {
      st.work.unlock();
    }
    for (Closed seg : closedSegments) {
      if (closed || st.generation != generation) {
        return;
      }
      if (!seg.rendered()) {
        yieldToAppends(started);
        if (!underWorkLock(st, generation, () -> renderClosed(conversation, seg.id()))) {
          return;
        }
      }
      Map<Tier, Double> fidelity = fidelity(seg.id());
      Tier target = settings.policy.tierFor(new AgingPolicy.SegmentAge(
          totals[1] - seg.tokensAtClose(), (int) totals[0] - seg.turnsAtClose(),
          Duration.between(seg.closedAt(), settings.clock.instant()).isNegative() ? Duration.ZERO
              : Duration.between(seg.closedAt(), settings.clock.instant()),
          (int) totals[2] - seg.seq() - 1, fidelity));
      Tier[] tier = {seg.tier()};
      while (target != null && tier[0].isAbove(target) && !closed) {
        yieldToAppends(started);
        if (!underWorkLock(st, generation, () -> tier[0] = step(conversation, seg.id(),
            seg.seq(), tier[0], tier[0].next(), cause))) {
          return;
        }
      }
    }
    underWorkLock(st, generation, () -> store.tx("marking '" + conversation + "' settled", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE conversations SET needs_settle = FALSE WHERE id = ?")) {
        p.setString(1, conversation);
        p.executeUpdate();
      }
      return null;
    }));
  }

  private List<Closed> closedSegments(String conversation, long[] totals) {
    return store.read("listing closed segments", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT turns, text_tokens, segments FROM conversations WHERE id = ?")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return List.<Closed>of();
          }
          totals[0] = r.getInt(1);
          totals[1] = r.getLong(2);
          totals[2] = r.getInt(3);
        }
      }
      List<Closed> list = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id, seq, tier, page_map IS NOT NULL,"
          + " tokens_at_close, turns_at_close, closed_at FROM segments"
          + " WHERE conversation_id = ? AND closed AND tier <> 'FORGOTTEN' ORDER BY seq")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            list.add(new Closed(r.getLong(1), r.getInt(2), Tier.valueOf(r.getString(3)),
                r.getBoolean(4), r.getLong(5), r.getInt(6),
                r.getObject(7, OffsetDateTime.class).toInstant()));
          }
        }
      }
      return list;
    });
  }

  /**
   * Runs one unit of background work under the conversation's work lock, unless the conversation
   * was forgotten (or the memory closed) since the work began; returns whether it ran.
   */
  private boolean underWorkLock(ConversationState st, long generation, Runnable unit) {
    st.work.lock();
    try {
      if (closed || st.generation != generation) {
        return false;
      }
      unit.run();
      return true;
    } finally {
      st.work.unlock();
    }
  }

  private Map<Tier, Double> fidelity(long segmentId) {
    return store.read("reading fidelity", c -> {
      Map<Tier, Double> map = new EnumMap<>(Tier.class);
      try (PreparedStatement p = c.prepareStatement(
          "SELECT tier, fidelity FROM segment_fidelity WHERE segment_id = ?")) {
        p.setLong(1, segmentId);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            map.put(Tier.valueOf(r.getString(1)), r.getDouble(2));
          }
        }
      }
      return map;
    });
  }

  /** A stored turn part. */
  private record StoredPart(int turn, int part, Role role, String speaker, String text,
      Instant at, String attributes) {}

  private List<StoredPart> parts(long segmentId) {
    return store.read("reading turns", c -> {
      List<StoredPart> list = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT seq, part, role, speaker, text,"
          + " said_at, attributes FROM turns WHERE segment_id = ? ORDER BY seq, part")) {
        p.setLong(1, segmentId);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            list.add(new StoredPart(r.getInt(1), r.getInt(2), Role.valueOf(r.getString(3)),
                r.getString(4), r.getString(5), r.getObject(6, OffsetDateTime.class).toInstant(),
                r.getString(7)));
          }
        }
      }
      return list;
    });
  }

  /** Renders a closed segment at LARGE and stores its image, page map, terms and fidelity. */
  private void renderClosed(String conversation, long segmentId) {
    List<StoredPart> parts = parts(segmentId);
    List<Turn> turns = new ArrayList<>();
    int[] turnNumbers = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      StoredPart part = parts.get(i);
      if (part.text() == null) {
        throw new MemoryException("segment " + segmentId + " of '" + conversation
            + "' has no image and its text was dropped; it cannot be rendered");
      }
      turns.add(renderTurn(part.speaker(), part.text(), part.part()));
      turnNumbers[i] = part.turn();
    }
    List<PageLayout> pages = renderer.layout(turns);
    if (pages.size() != 1) {
      throw new MemoryException("segment " + segmentId + " of '" + conversation + "' lays out on "
          + pages.size() + " pages instead of one (fonts changed since it was packed?); it stays"
          + " text");
    }
    PageLayout page = pages.get(0);
    BufferedImage image = renderer.render(page).image();
    byte[] bytes = PageImages.encode(image, settings.encodings.get(Tier.LARGE));
    PageMap map = PageMap.of(page, turnNumbers);
    Map<String, TreeSet<Integer>> termLines = new HashMap<>();
    Map<String, Integer> termFrequency = new HashMap<>();
    int termCount = 0;
    for (int i = 0; i < page.lines().size(); i++) {
      for (String term : Terms.of(page.lines().get(i).text())) {
        termLines.computeIfAbsent(term, k -> new TreeSet<>()).add(i);
        termFrequency.merge(term, 1, Integer::sum);
        termCount++;
      }
    }
    Map<Tier, Double> fidelity = settings.measureFidelity
        ? measure(bytes, page.text()) : Map.of();
    int finalTermCount = termCount;
    store.tx("storing the page of segment " + segmentId, c -> {
      insertImage(c, segmentId, Tier.LARGE, bytes);
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE segments SET page_map = ?, term_count = ? WHERE id = ?")) {
        p.setBytes(1, map.toBytes());
        p.setInt(2, finalTermCount);
        p.setLong(3, segmentId);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement(
          "MERGE INTO segment_terms (segment_id, term, tf, lines) KEY (segment_id, term)"
              + " VALUES (?, ?, ?, ?)")) {
        for (Map.Entry<String, TreeSet<Integer>> e : termLines.entrySet()) {
          String lines = joinInts(e.getValue());
          if (lines.length() > 4000) {
            lines = lines.substring(0, lines.lastIndexOf(',', 3999));
          }
          p.setLong(1, segmentId);
          p.setString(2, e.getKey());
          p.setInt(3, termFrequency.get(e.getKey()));
          p.setString(4, lines);
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p = c.prepareStatement(
          "MERGE INTO segment_fidelity (segment_id, tier, fidelity) KEY (segment_id, tier)"
              + " VALUES (?, ?, ?)")) {
        for (Map.Entry<Tier, Double> e : fidelity.entrySet()) {
          p.setLong(1, segmentId);
          p.setString(2, e.getKey().name());
          p.setDouble(3, e.getValue());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
    cache.put(new ImageKey(segmentId, Tier.LARGE), bytes);
  }

  private static String joinInts(java.util.Collection<Integer> values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(v);
    }
    return s.toString();
  }

  /** Decodes the page at every image tier, made as the transitions will make it. */
  private Map<Tier, Double> measure(byte[] largeBytes, String truth) {
    Map<Tier, Double> result = new EnumMap<>(Tier.class);
    byte[] bytes = largeBytes;
    for (Tier tier = Tier.LARGE; tier.isImage(); tier = tier.next()) {
      if (tier != Tier.LARGE) {
        bytes = downscaled(bytes, tier);
      }
      BufferedImage image = PageImages.decode(bytes);
      result.put(tier, TextMetrics.precision(ocr().read(image).text(), truth));
    }
    return result;
  }

  private byte[] downscaled(byte[] from, Tier to) {
    BufferedImage source = PageImages.toGray(PageImages.decode(from));
    BufferedImage smaller = PageImages.downscale(source, to.mode());
    return PageImages.encode(smaller, settings.encodings.get(to));
  }

  private void insertImage(Connection c, long segmentId, Tier tier, byte[] bytes)
      throws SQLException {
    VisionMode mode = tier.mode();
    try (PreparedStatement p = c.prepareStatement("MERGE INTO segment_images (segment_id, tier,"
        + " encoding, width, height, vision_tokens, bytes, byte_count, created_at)"
        + " KEY (segment_id, tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, segmentId);
      p.setString(2, tier.name());
      p.setString(3, settings.encodings.get(tier).name());
      p.setInt(4, mode.pixels());
      p.setInt(5, mode.pixels());
      p.setInt(6, mode.visionTokens());
      p.setBytes(7, bytes);
      p.setInt(8, bytes.length);
      p.setObject(9, time(settings.clock.instant()));
      p.executeUpdate();
    }
  }

  /** Moves a segment one tier down in one transaction; returns the new tier. */
  private Tier step(String conversation, long segmentId, int seq, Tier from, Tier to,
      Transition.Cause cause) {
    byte[] newImage;
    if (to == Tier.LARGE || to == Tier.FORGOTTEN) {
      newImage = null;
    } else {
      byte[] source = imageBytes(segmentId, from)
          .orElseThrow(() -> new MemoryException("segment " + segmentId + " of '" + conversation
              + "' has no " + from + " image to make its " + to + " image from"));
      newImage = downscaled(source, to);
    }
    boolean drop = settings.retention == Retention.DROP;
    store.tx("moving segment " + segmentId + " to " + to, c -> {
      if (to == Tier.LARGE) {
        if (!hasImage(c, segmentId, Tier.LARGE)) {
          throw new MemoryException("segment " + segmentId + " has no LARGE image yet");
        }
      } else if (newImage != null) {
        insertImage(c, segmentId, to, newImage);
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE segments SET tier = ? WHERE id = ?")) {
        p.setString(1, to.name());
        p.setLong(2, segmentId);
        p.executeUpdate();
      }
      if (to == Tier.FORGOTTEN) {
        exec(c, "DELETE FROM segment_images WHERE segment_id = ?", segmentId);
        exec(c, "DELETE FROM segment_terms WHERE segment_id = ?", segmentId);
        if (drop) {
          exec(c, "UPDATE turns SET text = NULL WHERE segment_id = ?", segmentId);
          exec(c, "UPDATE segments SET text_bytes = 0 WHERE id = ?", segmentId);
        }
      } else if (drop) {
        if (from == Tier.TEXT) {
          exec(c, "UPDATE turns SET text = NULL WHERE segment_id = ?", segmentId);
          exec(c, "UPDATE segments SET text_bytes = 0 WHERE id = ?", segmentId);
        } else {
          try (PreparedStatement p = c.prepareStatement(
              "DELETE FROM segment_images WHERE segment_id = ? AND tier = ?")) {
            p.setLong(1, segmentId);
            p.setString(2, from.name());
            p.executeUpdate();
          }
        }
      }
      return null;
    });
    if (to == Tier.FORGOTTEN || (drop && from.isImage())) {
      for (Tier t : Tier.values()) {
        if (t.isImage() && (to == Tier.FORGOTTEN || t == from)) {
          cache.invalidate(new ImageKey(segmentId, t));
        }
      }
    }
    if (newImage != null) {
      cache.put(new ImageKey(segmentId, to), newImage);
    }
    Transition transition = new Transition(conversation, segmentId, seq, from, to, cause,
        newImage == null ? 0 : newImage.length, settings.clock.instant());
    try {
      settings.listener.onTransition(transition);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "transition listener failed on " + transition, e);
    }
    return to;
  }

  private static void exec(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, id);
      p.executeUpdate();
    }
  }

  private static boolean hasImage(Connection c, long segmentId, Tier tier) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT 1 FROM segment_images WHERE segment_id = ? AND tier = ?")) {
      p.setLong(1, segmentId);
      p.setString(2, tier.name());
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  private record ImageKey(long segment, Tier tier) {}

  private record DecodeKey(long segment, Tier tier, String lines) {}

  private Optional<byte[]> imageBytes(long segmentId, Tier tier) {
    ImageKey key = new ImageKey(segmentId, tier);
    Object cached = cache.getIfPresent(key);
    if (cached != null) {
      return Optional.of((byte[]) cached);
    }
    byte[] bytes = store.read("reading an image", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT bytes FROM segment_images WHERE segment_id = ? AND tier = ?")) {
        p.setLong(1, segmentId);
        p.setString(2, tier.name());
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? r.getBytes(1) : null;
        }
      }
    });
    if (bytes != null) {
      cache.put(key, bytes);
    }
    return Optional.ofNullable(bytes);
  }

  private OcrEngine ocr() {
    synchronized (ocrLock) {
      checkOpen();
      if (ocr == null) {
        ocr = PaddleOcr.builder().build();
      }
      return ocr;
    }
  }

  // ------------------------------------------------------------------ reads

  private void requireConversation(Connection c, String conversation) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM conversations WHERE id = ?")) {
      p.setString(1, conversation);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          throw new IllegalArgumentException("conversation is unknown: '" + conversation + "'");
        }
      }
    }
  }

  private static final String SEGMENT_COLUMNS = "s.id, s.conversation_id, s.seq, s.first_turn,"
      + " s.last_turn, s.closed, s.tier, s.chars, s.text_tokens, s.created_at, s.closed_at,"
      + " s.text_bytes,"
      + " (SELECT COALESCE(SUM(i.byte_count), 0) FROM segment_images i WHERE i.segment_id = s.id),"
      + " (SELECT i.vision_tokens FROM segment_images i WHERE i.segment_id = s.id"
      + "   AND i.tier = s.tier)";

  private Segment segmentFrom(ResultSet r, Map<Tier, Double> fidelity) throws SQLException {
    OffsetDateTime closedAt = r.getObject(11, OffsetDateTime.class);
    return new Segment(r.getLong(1), r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5),
        !r.getBoolean(6), Tier.valueOf(r.getString(7)), r.getInt(8), r.getInt(9),
        r.getInt(14), r.getLong(12) + r.getLong(13), fidelity,
        r.getObject(10, OffsetDateTime.class).toInstant(),
        closedAt == null ? null : closedAt.toInstant());
  }

  @Override
  public List<Segment> segments(String conversation) {
    checkOpen();
    checkId(conversation);
    return store.read("listing segments of '" + conversation + "'", c -> {
      requireConversation(c, conversation);
      Map<Long, Map<Tier, Double>> fidelity = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT f.segment_id, f.tier, f.fidelity"
          + " FROM segment_fidelity f JOIN segments s ON s.id = f.segment_id"
          + " WHERE s.conversation_id = ?")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            fidelity.computeIfAbsent(r.getLong(1), k -> new EnumMap<>(Tier.class))
                .put(Tier.valueOf(r.getString(2)), r.getDouble(3));
          }
        }
      }
      List<Segment> list = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + SEGMENT_COLUMNS
          + " FROM segments s WHERE s.conversation_id = ? ORDER BY s.seq")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            list.add(segmentFrom(r, fidelity.getOrDefault(r.getLong(1), Map.of())));
          }
        }
      }
      return list;
    });
  }

  @Override
  public Segment segment(String conversation, long segmentId) {
    checkOpen();
    checkId(conversation);
    Map<Tier, Double> fidelity = fidelity(segmentId);
    return store.read("reading a segment", c -> {
      requireConversation(c, conversation);
      try (PreparedStatement p = c.prepareStatement("SELECT " + SEGMENT_COLUMNS
          + " FROM segments s WHERE s.conversation_id = ? AND s.id = ?")) {
        p.setString(1, conversation);
        p.setLong(2, segmentId);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            throw new IllegalArgumentException("segment " + segmentId
                + " is unknown in conversation '" + conversation + "'");
          }
          return segmentFrom(r, fidelity);
        }
      }
    });
  }

  @Override
  public Optional<byte[]> image(String conversation, long segmentId) {
    Segment segment = segment(conversation, segmentId);
    if (!segment.tier().isImage()) {
      return Optional.empty();
    }
    return imageBytes(segmentId, segment.tier()).map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> image(String conversation, long segmentId, Tier tier) {
    if (tier == null || !tier.isImage()) {
      throw new IllegalArgumentException("tier must be an image tier (LARGE, BASE, SMALL, TINY), "
          + "but is: " + tier);
    }
    Segment segment = segment(conversation, segmentId);
    if (segment.tier() == Tier.FORGOTTEN) {
      return Optional.empty();
    }
    return imageBytes(segmentId, tier).map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> png(String conversation, long segmentId) {
    return image(conversation, segmentId).map(bytes -> isPng(bytes) ? bytes
        : PageImages.encodePng(PageImages.decode(bytes)));
  }

  private static boolean isPng(byte[] bytes) {
    return bytes.length > 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N'
        && bytes[3] == 'G';
  }

  @Override
  public List<MemoryTurn> turns(String conversation, long segmentId) {
    segment(conversation, segmentId);
    List<MemoryTurn> list = new ArrayList<>();
    for (StoredPart part : parts(segmentId)) {
      if (part.text() != null) {
        list.add(new MemoryTurn(part.role(), part.speaker(), part.text(), part.at(),
            Attributes.decode(part.attributes())));
      }
    }
    return list;
  }

  @Override
  public List<String> conversations() {
    checkOpen();
    return store.read("listing conversations", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM conversations ORDER BY id")) {
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            ids.add(r.getString(1));
          }
        }
      }
      return ids;
    });
  }

  @Override
  public boolean contains(String conversation) {
    checkOpen();
    if (conversation == null) {
      return false;
    }
    return store.read("looking up a conversation", c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM conversations WHERE id = ?")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  @Override
  public ConversationStats stats(String conversation) {
    List<Segment> segments = segments(conversation);
    Map<Tier, Integer> tiers = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      tiers.put(t, 0);
    }
    long bytes = 0;
    for (Segment s : segments) {
      tiers.merge(s.tier(), 1, Integer::sum);
      bytes += s.storedBytes();
    }
    long[] totals = store.read("reading conversation totals", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT turns, text_tokens FROM conversations WHERE id = ?")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          return new long[] {r.getInt(1), r.getLong(2)};
        }
      }
    });
    int pending = pendingTransitions(conversation, segments, totals);
    return new ConversationStats((int) totals[0], segments.size(), tiers, totals[1], bytes,
        pending);
  }

  private int pendingTransitions(String conversation, List<Segment> segments, long[] totals) {
    Map<Long, long[]> ages = store.read("reading segment ages", c -> {
      Map<Long, long[]> map = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id, tokens_at_close, turns_at_close,"
          + " page_map IS NOT NULL FROM segments WHERE conversation_id = ? AND closed")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            map.put(r.getLong(1), new long[] {r.getLong(2), r.getInt(3), r.getBoolean(4) ? 1 : 0});
          }
        }
      }
      return map;
    });
    int pending = 0;
    Instant now = settings.clock.instant();
    for (Segment s : segments) {
      long[] age = ages.get(s.id());
      if (age == null || s.tier() == Tier.FORGOTTEN) {
        continue;
      }
      if (age[2] == 0) {
        pending++;
        continue;
      }
      Duration since = Duration.between(s.closedAt(), now);
      Tier target = settings.policy.tierFor(new AgingPolicy.SegmentAge(totals[1] - age[0],
          (int) (totals[0] - age[1]), since.isNegative() ? Duration.ZERO : since,
          segments.size() - s.index() - 1, s.fidelity()));
      if (s.tier().isAbove(target)) {
        pending++;
      }
    }
    return pending;
  }

  @Override
  public CacheStatistics cacheStatistics() {
    CacheStats s = cache.stats();
    long weight = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    return new CacheStatistics(s.hitCount(), s.missCount(), s.evictionCount(), weight,
        settings.cacheBytes);
  }

  // ------------------------------------------------------------------ recall

  @Override
  public List<Recollection> recall(String conversation, String query, int k) {
    checkOpen();
    checkId(conversation);
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank, but is: "
          + (query == null ? "null" : "'" + query + "'"));
    }
    if (k < 1 || k > 100) {
      throw new IllegalArgumentException("k must be between 1 and 100, but is: " + k);
    }
    List<String> queryTerms = new ArrayList<>(new java.util.LinkedHashSet<>(
        Terms.of(wellFormed(query))));
    if (queryTerms.isEmpty()) {
      throw new IllegalArgumentException("query has no words to search for: '" + query + "'");
    }
    Bm25 index = store.read("searching '" + conversation + "'", c -> {
      requireConversation(c, conversation);
      return Bm25.load(c, conversation, queryTerms);
    });
    // The open segment has no index rows yet (it is indexed when it closes): score its text here.
    ConversationState st = lockedState(conversation);
    List<Turn> openTurns;
    long openId;
    try {
      openTurns = new ArrayList<>(st.openTurns);
      openId = st.openId;
    } finally {
      st.lock.unlock();
    }
    if (openId >= 0) {
      addUnindexed(index, openId, openTurns, queryTerms);
    }
    // Closed segments whose page is not rendered yet (background work behind) are still text.
    List<Long> unrendered = store.read("finding unrendered segments", c -> {
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM segments WHERE"
          + " conversation_id = ? AND closed AND page_map IS NULL AND tier = 'TEXT'")) {
        p.setString(1, conversation);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            ids.add(r.getLong(1));
          }
        }
      }
      return ids;
    });
    for (long id : unrendered) {
      List<Turn> turns = new ArrayList<>();
      for (StoredPart part : parts(id)) {
        if (part.text() != null) {
          turns.add(renderTurn(part.speaker(), part.text(), part.part()));
        }
      }
      addUnindexed(index, id, turns, queryTerms);
    }
    List<Bm25.Hit> hits = index.top(k, BM25_K1, BM25_B);
    List<Recollection> result = new ArrayList<>();
    for (Bm25.Hit hit : hits) {
      Segment segment = segment(conversation, hit.segment());
      if (segment.tier() == Tier.FORGOTTEN) {
        continue;
      }
      result.add(read(segment, hit.lines(), queryTerms, hit.score(), false));
    }
    return result;
  }

  private static void addUnindexed(Bm25 index, long segmentId, List<Turn> turns,
      List<String> queryTerms) {
    Map<String, Integer> tf = new HashMap<>();
    int length = 0;
    for (Turn t : turns) {
      for (String term : Terms.of(t.label() + t.text())) {
        length++;
        if (queryTerms.contains(term)) {
          tf.merge(term, 1, Integer::sum);
        }
      }
    }
    index.addDocument(segmentId, length, tf);
  }

  @Override
  public Recollection decode(String conversation, long segmentId) {
    Segment segment = segment(conversation, segmentId);
    if (segment.tier() == Tier.FORGOTTEN) {
      throw new IllegalArgumentException("segment " + segmentId + " of '" + conversation
          + "' is forgotten: nothing of it is left to read");
    }
    return read(segment, null, List.of(), Double.NaN, true);
  }

  /** Reads a segment: text if it has it at its tier, else OCR of the lines (or the whole page). */
  private Recollection read(Segment segment, TreeSet<Integer> lines, List<String> queryTerms,
      double score, boolean wholePage) {
    if (segment.tier() == Tier.TEXT) {
      List<StoredPart> parts = parts(segment.id());
      StringBuilder text = new StringBuilder();
      int first = Integer.MAX_VALUE;
      int last = -1;
      for (StoredPart part : parts) {
        String line = (part.part() == 0 && !part.speaker().isEmpty() ? part.speaker() + ": " : "")
            + part.text();
        boolean wanted = wholePage || queryTerms.isEmpty()
            || Terms.of(line).stream().anyMatch(queryTerms::contains);
        if (wanted) {
          if (text.length() > 0) {
            text.append('\n');
          }
          text.append(line);
          first = Math.min(first, part.turn());
          last = Math.max(last, part.turn());
        }
      }
      if (last < 0) {
        first = segment.firstTurn();
        last = segment.lastTurn();
      }
      return new Recollection(segment.id(), segment.index(), first, last, Tier.TEXT,
          text.toString(), 1.0, score, wholePage);
    }
    Tier tier = segment.tier();
    Double fidelity = segment.fidelity().get(tier);
    byte[] bytes = imageBytes(segment.id(), tier).orElseThrow(() -> new MemoryException(
        "segment " + segment.id() + " is at " + tier + " but its image is missing"));
    PageMap map = pageMap(segment.id());
    if (wholePage || lines == null || lines.isEmpty()) {
      String text = decodedPage(segment.id(), tier, bytes);
      return new Recollection(segment.id(), segment.index(), segment.firstTurn(),
          segment.lastTurn(), tier, text, fidelity == null ? Double.NaN : fidelity, score, true);
    }
    TreeSet<Integer> wanted = new TreeSet<>();
    for (int line : lines) {
      for (int l = line - 1; l <= line + 1; l++) {
        if (l >= 0 && l < map.lines().size()) {
          wanted.add(l);
        }
      }
    }
    String key = joinInts(wanted);
    DecodeKey decodeKey = new DecodeKey(segment.id(), tier, key);
    String text = (String) cache.get(decodeKey, k -> decodeLines(bytes, map, wanted));
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (int l : wanted) {
      first = Math.min(first, map.lines().get(l).turn());
      last = Math.max(last, map.lines().get(l).turn());
    }
    return new Recollection(segment.id(), segment.index(), first, last, tier, text,
        fidelity == null ? Double.NaN : fidelity, score, false);
  }

  private PageMap pageMap(long segmentId) {
    byte[] data = store.read("reading a page map", c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT page_map FROM segments WHERE id = ?")) {
        p.setLong(1, segmentId);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? r.getBytes(1) : null;
        }
      }
    });
    if (data == null) {
      throw new MemoryException("segment " + segmentId + " has no page map");
    }
    return PageMap.fromBytes(data);
  }

  private String decodedPage(long segmentId, Tier tier, byte[] bytes) {
    DecodeKey key = new DecodeKey(segmentId, tier, "page");
    return (String) cache.get(key, k -> {
      String stored = store.read("reading a decoded page", c -> {
        try (PreparedStatement p = c.prepareStatement(
            "SELECT decoded FROM segment_images WHERE segment_id = ? AND tier = ?")) {
          p.setLong(1, segmentId);
          p.setString(2, tier.name());
          try (ResultSet r = p.executeQuery()) {
            return r.next() ? r.getString(1) : null;
          }
        }
      });
      if (stored != null) {
        return stored;
      }
      String text = ocr().read(PageImages.decode(bytes)).text();
      store.tx("storing a decoded page", c -> {
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE segment_images SET decoded = ? WHERE segment_id = ? AND tier = ?")) {
          p.setString(1, text);
          p.setLong(2, segmentId);
          p.setString(3, tier.name());
          p.executeUpdate();
        }
        return null;
      });
      return text;
    });
  }

  /** Crops the wanted lines' bands, stacks runs of them into one strip image, and reads it. */
  private String decodeLines(byte[] bytes, PageMap map, TreeSet<Integer> wanted) {
    BufferedImage page = PageImages.toGray(PageImages.decode(bytes));
    double scale = (double) page.getHeight() / map.height();
    List<int[]> bands = new ArrayList<>();
    int runStart = -1;
    int previous = -2;
    for (int l : wanted) {
      if (l != previous + 1 && runStart >= 0) {
        bands.add(band(map, runStart, previous, scale, page.getHeight()));
        runStart = -1;
      }
      if (runStart < 0) {
        runStart = l;
      }
      previous = l;
    }
    bands.add(band(map, runStart, previous, scale, page.getHeight()));
    int gap = Math.max(4, (int) Math.round(map.lines().get(0).height() * scale));
    int height = gap;
    for (int[] b : bands) {
      height += b[1] - b[0] + gap;
    }
    BufferedImage strip = new BufferedImage(page.getWidth(), height, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = strip.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, strip.getWidth(), height);
      int y = gap;
      for (int[] b : bands) {
        g.drawImage(page.getSubimage(0, b[0], page.getWidth(), b[1] - b[0]), 0, y, null);
        y += b[1] - b[0] + gap;
      }
    } finally {
      g.dispose();
    }
    return ocr().read(strip).text();
  }

  private static int[] band(PageMap map, int first, int last, double scale, int limit) {
    PageMap.Line a = map.lines().get(first);
    PageMap.Line b = map.lines().get(last);
    double pad = a.height() * 0.1;
    int top = (int) Math.max(0, Math.floor((a.top() - pad) * scale));
    int bottom = (int) Math.min(limit, Math.ceil((b.top() + b.height() + pad) * scale));
    return new int[] {top, Math.max(top + 1, bottom)};
  }

  // ------------------------------------------------------------------ explicit changes

  @Override
  public Segment demote(String conversation, long segmentId, Tier tier, Transition.Cause cause) {
    if (tier == null || cause == null) {
      throw new IllegalArgumentException("tier and cause must not be null, but are: " + tier + ", "
          + cause);
    }
    Segment segment = segment(conversation, segmentId);
    if (segment.open()) {
      throw new IllegalArgumentException("segment " + segmentId + " of '" + conversation
          + "' is still open (the newest page); only closed segments move down");
    }
    if (tier.isAbove(segment.tier())) {
      throw new IllegalArgumentException("segment " + segmentId + " is at " + segment.tier()
          + "; it cannot move up to " + tier);
    }
    ConversationState st = lockedState(conversation);
    st.work.lock();
    try {
      if (!hasPageMap(segmentId) && segment.tier() == Tier.TEXT) {
        renderClosed(conversation, segmentId);
      }
      Tier current = segment(conversation, segmentId).tier();
      while (current.isAbove(tier)) {
        current = step(conversation, segmentId, segment.index(), current, current.next(), cause);
      }
    } finally {
      st.work.unlock();
      st.lock.unlock();
    }
    return segment(conversation, segmentId);
  }

  private boolean hasPageMap(long segmentId) {
    return store.read("checking a page map", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT page_map IS NOT NULL FROM segments WHERE id = ?")) {
        p.setLong(1, segmentId);
        try (ResultSet r = p.executeQuery()) {
          return r.next() && r.getBoolean(1);
        }
      }
    });
  }

  @Override
  public void age(String conversation) {
    checkOpen();
    checkId(conversation);
    store.read("checking a conversation", c -> {
      requireConversation(c, conversation);
      return null;
    });
    scheduleSettle(conversation);
  }

  @Override
  public boolean forget(String conversation) {
    checkOpen();
    checkId(conversation);
    ConversationState st = lockedState(conversation);
    // Background work on the conversation stops at its next unit; a unit in flight is waited for.
    st.work.lock();
    try {
      st.generation++;
      List<Long> ids = new ArrayList<>();
      boolean existed = store.tx("forgetting '" + conversation + "'", c -> {
        try (PreparedStatement p = c.prepareStatement(
            "SELECT id FROM segments WHERE conversation_id = ?")) {
          p.setString(1, conversation);
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              ids.add(r.getLong(1));
            }
          }
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM conversations WHERE id = ?")) {
          p.setString(1, conversation);
          return p.executeUpdate() > 0;
        }
      });
      for (long id : ids) {
        for (Tier t : Tier.values()) {
          cache.invalidate(new ImageKey(id, t));
        }
      }
      cache.asMap().keySet().removeIf(key -> key instanceof DecodeKey
          && ids.contains(((DecodeKey) key).segment()));
      st.loaded = false;
      return existed;
    } finally {
      st.work.unlock();
      st.lock.unlock();
    }
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    awaitRunning(Duration.ofSeconds(60));
    if (ownedExecutor != null) {
      try {
        ownedExecutor.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (ocrLock) {
      if (ownsOcr && ocr != null) {
        ocr.close();
      }
    }
    store.close();
  }

  @Override
  public String toString() {
    return "OpticalMemory[" + store.description() + "]";
  }
}
