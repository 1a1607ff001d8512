package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.KnownWords;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import dev.opticalmemory.renderer.PageReader;
import dev.opticalmemory.renderer.PageReaders;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.VisionMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optical memory: validation, locking and delegation. Each responsibility is its own class:
 * {@link Appender} packs turns into segments and stores them, {@link BackgroundWork} schedules
 * rendering and aging on the injected executor, {@link TierWork} renders pages and moves segments
 * down, {@link Recall} finds and reads segments back, {@link PageCache} caches images and decoded
 * text, and a {@link MemoryStore} ({@link H2Store} or {@link PostgresStore}) keeps everything.
 */
final class DefaultOpticalMemory implements OpticalMemory {

  private final Settings settings;
  private final TransitionListeners listeners;
  private final MemoryOperations operations = new Operations(this);
  private final RenderSpec spec;
  private final MemoryStore store;
  private final Appender appender;
  private final ConversationStates states;
  private final BackgroundWork background;
  private final TierWork tiers;
  private final Recall recall;
  private final PageCache cache;
  private final ExecutorService ownedExecutor;
  private final Executor executor;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private final OcrSource ocr;
  private final EmbedderCheck embedderCheck;
  private final Attachments attachments;

  DefaultOpticalMemory(Settings settings) {
    this.settings = settings;
    this.listeners = new TransitionListeners(settings.listeners());
    // The o200k encoding is slow to load the first time in a process: load it while the fonts
    // load and the database opens.
    CompletableFuture<TokenCounter> counting = settings.tokenCounter()
        .map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.supplyAsync(TokenCounter::o200k));
    FontSet fonts = settings.fonts().orElseGet(FontSet::defaults);
    RenderSpec.Builder layout = RenderSpec.builder().mode(VisionMode.LARGE).fonts(fonts);
    if (settings.pageFontSize() > 0) {
      layout.fontSize(settings.pageFontSize());
    }
    RenderSpec spec = layout.build();
    this.spec = spec;
    PageRenderer renderer = PageRenderer.java2d(spec);
    PageReader reader = settings.readOwnPages() ? pageReader(spec, settings) : null;
    this.ocr = new OcrSource(settings.ocr());
    this.cache = new PageCache(settings.cacheBytes());
    Executor executor;
    if (settings.executor().isPresent()) {
      executor = settings.executor().get();
      this.ownedExecutor = null;
    } else {
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
      AtomicInteger n = new AtomicInteger();
      this.ownedExecutor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "optical-memory-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      executor = ownedExecutor;
    }
    this.executor = executor;
    this.store = openStore();
    TokenCounter tokens;
    try {
      tokens = counting.join();
    } catch (CompletionException e) {
      close();
      throw e.getCause() instanceof RuntimeException r ? r
          : new MemoryException("cannot load the o200k token encoding", e.getCause());
    }
    this.states = new ConversationStates(store.shared());
    this.attachments = new Attachments(store, states);
    this.appender = new Appender(store, renderer, tokens, settings.salience(), states,
        settings.regionMarks());
    this.embedderCheck = new EmbedderCheck(store, this::embedder);
    PageDecoder decoder = new PageDecoder(reader, this::ocr, fonts);
    this.tiers = new TierWork(settings, store, renderer, cache, decoder, this::embedder,
        embedderCheck, listeners);
    this.recall = new Recall(store, cache, decoder, this::embedder, embedderCheck);
    this.background = new BackgroundWork(settings, store, states, tiers, executor);
    try {
      background.resume();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens the store; if it cannot be opened, the executor made for it is shut down again. */
  private MemoryStore openStore() {
    try {
      return settings.store().open();
    } catch (RuntimeException e) {
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
      throw e;
    }
  }

  private Embedder embedder() {
    return settings.embedder().orElseGet(Embeddings::defaultModel);
  }

  /** The store (for tests in this package). */
  MemoryStore store() {
    return store;
  }

  /** Page readers by spec and chain: their glyph templates are made once per process. */
  private static final PageReaders READERS = new PageReaders(KnownWords::contains);

  /**
   * A reader of this memory's pages (drawn with {@code spec}, each tier made from the one above),
   * shared by the memories of the process that draw and store their pages alike.
   */
  static PageReader pageReader(RenderSpec spec, Settings settings) {
    return READERS.get(spec, settings.chain());
  }

  /** The engine that decodes the lines the page reader leaves ({@link OcrSource}). */
  OcrEngine ocr() {
    checkOpen();
    return ocr.get();
  }

  // ------------------------------------------------------------------ validation


  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the optical memory is closed");
    }
  }

  /** The checks of {@link #append}, with its messages. */
  private void check(String conversation, MemoryTurn turn) {
    checkOpen();
    Checks.checkId(conversation);
    Checks.checkTurn(conversation, turn, settings.maxTurnChars());
  }

  // ------------------------------------------------------------------ appends

  @Override
  public int append(String conversation, MemoryTurn turn) {
    return append(conversation, turn, null);
  }

  @Override
  public int append(String conversation, MemoryTurn turn, String key) {
    return appendKeyed(conversation, turn, key).number();
  }

  Appender.Appended appendKeyed(String conversation, MemoryTurn turn, String key) {
    check(conversation, turn);
    String turnKey = key == null ? null : Checks.checkKey(key);
    Instant at = turn.timestamp() != null ? turn.timestamp() : settings.clock().instant();
    Appender.Appended appended = appender.append(conversation, turn.role(),
        Checks.wellFormed(turn.speaker()), Checks.wellFormed(turn.text()), at,
        Attributes.encode(turn.attributes()), turnKey);
    if (appended.stored()) {
      background.appended();
      background.schedule(conversation);
    }
    return appended;
  }

  void validate(String conversation, MemoryTurn turn) {
    check(conversation, turn);
    appender.checkLayout(Checks.wellFormed(turn.speaker()), Checks.wellFormed(turn.text()));
  }

  OptionalInt turnOf(String conversation, String key) {
    checkOpen();
    Checks.checkId(conversation);
    String k = Checks.checkKey(key);
    return store.read("looking up turn key '" + k + "' in '" + conversation + "'",
        s -> s.turnByKey(conversation, k));
  }

  // ------------------------------------------------------------------ reads

  @Override
  public List<Segment> segments(String conversation) {
    checkOpen();
    Checks.checkId(conversation);
    return store.read("listing segments of '" + conversation + "'", s -> {
      if (s.conversation(conversation).isEmpty()) {
        throw Checks.unknown(conversation);
      }
      return s.segments(conversation);
    });
  }

  Segment segment(String conversation, long segmentId) {
    checkOpen();
    Checks.checkId(conversation);
    return store.read("reading a segment", s -> {
      if (s.conversation(conversation).isEmpty()) {
        throw Checks.unknown(conversation);
      }
      return s.segment(conversation, segmentId).orElseThrow(() -> new IllegalArgumentException(
          "segment " + segmentId + " is unknown in conversation '" + conversation + "'"));
    });
  }

  private Optional<byte[]> imageBytes(long segmentId, Tier tier) {
    return cache.image(segmentId, tier,
        () -> store.read("reading an image", s -> s.image(segmentId, tier)));
  }

  Optional<byte[]> image(String conversation, long segmentId) {
    Segment segment = segment(conversation, segmentId);
    if (!segment.tier().isImage()) {
      return Optional.empty();
    }
    return imageBytes(segmentId, segment.tier()).map(byte[]::clone);
  }

  Optional<byte[]> image(String conversation, long segmentId, Tier tier) {
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
    return image(conversation, segmentId).map(bytes -> labelled(segmentId,
        PageImages.isPng(bytes) ? bytes : PageImages.encodePng(PageImages.decode(bytes))));
  }

  /**
   * The PNG with its page's layout ({@link PageLabel}), so that {@code ocr} reads it by its font;
   * as it is where the memory's first font cannot be labelled or the page has no map.
   */
  private byte[] labelled(long segmentId, byte[] png) {
    if (!PageLabel.describable(spec)) {
      return png;
    }
    Optional<PageMap> map = store.read("reading a page map", s -> s.pageMap(segmentId));
    if (map.isEmpty()) {
      return png;
    }
    return new PageLabel(spec, settings.chain(), map.get().layout()).addTo(png);
  }

  List<MemoryTurn> turns(String conversation, long segmentId) {
    return turns(conversation, segmentId, 0);
  }

  List<MemoryTurn> turns(String conversation, long segmentId, int fromTurn) {
    Checks.range("fromTurn", fromTurn, 0, Integer.MAX_VALUE);
    segment(conversation, segmentId);
    List<MemoryTurn> list = new ArrayList<>();
    for (MemoryStore.StoredPart part : store.read("reading turns",
        s -> s.parts(segmentId, fromTurn))) {
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
    return store.read("listing conversations", MemoryStore.Session::conversations);
  }

  boolean contains(String conversation) {
    checkOpen();
    if (conversation == null) {
      return false;
    }
    return store.read("looking up a conversation", s -> s.conversation(conversation).isPresent());
  }

  @Override
  public ConversationStats stats(String conversation) {
    checkOpen();
    Checks.checkId(conversation);
    record Read(MemoryStore.Totals totals, List<Segment> segments,
        List<MemoryStore.SegmentAge> ages) {}
    Read read = store.read("reading the figures of '" + conversation + "'", s -> {
      MemoryStore.Totals totals = s.conversation(conversation)
          .orElseThrow(() -> Checks.unknown(conversation));
      return new Read(totals, s.segments(conversation), s.closedSegmentAges(conversation));
    });
    Map<Long, Segment> byId = new java.util.HashMap<>();
    read.segments().forEach(s -> byId.put(s.id(), s));
    return ConversationStats.of(read.totals(), read.segments(),
        background.pending(read.totals(), byId, read.ages()));
  }

  Backlog backlog() {
    checkOpen();
    return background.backlog(conversations());
  }

  CacheStatistics cacheStatistics() {
    return cache.statistics();
  }

  // ------------------------------------------------------------------ recall

  @Override
  public List<Recollection> recall(String conversation, RecallRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    Checks.checkId(conversation);
    List<Recollection> found = recall.recall(conversation, request.query(), request.k(),
        request.leaveOut(), request.retrieval().orElse(settings.retrieval()));
    if (settings.rehearsal() && !found.isEmpty()) {
      background.rehearsed(conversation, found.stream().filter(r -> r.tier().isImage())
          .map(Recollection::segment).toList());
    }
    return found;
  }

  @Override
  public Passage read(String conversation, int page, int fromTurn, int toTurn) {
    List<Segment> segments = segments(conversation);
    Segment segment = segments.stream().filter(s -> s.index() == page).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("page must be between 0 and "
            + (segments.size() - 1) + " in '" + conversation + "', but is: " + page));
    if (segment.tier() == Tier.FORGOTTEN) {
      throw new IllegalArgumentException("page " + page + " of '" + conversation + "' (turns "
          + segment.firstTurn() + "-" + segment.lastTurn() + ") is forgotten: nothing of it is"
          + " left to read");
    }
    if (fromTurn > toTurn || fromTurn < segment.firstTurn() || toTurn > segment.lastTurn()) {
      throw new IllegalArgumentException("turns " + fromTurn + "-" + toTurn + " are not on page "
          + page + " of '" + conversation + "', which holds turns " + segment.firstTurn() + "-"
          + segment.lastTurn());
    }
    Passage passage = recall.passage(segment, turns(conversation, segment.id()), fromTurn,
        toTurn);
    if (settings.rehearsal() && segment.tier().isImage()) {
      background.rehearsed(conversation, List.of(segment.id()));
    }
    return passage;
  }

  Map<Long, Double> relevance(String conversation, String query) {
    checkOpen();
    Checks.checkId(conversation);
    if (query == null) {
      throw new NullPointerException("query");
    }
    return Map.copyOf(recall.relevance(conversation, query));
  }

  @Override
  public Recollection decode(String conversation, long segmentId) {
    Segment segment = segment(conversation, segmentId);
    if (segment.tier() == Tier.FORGOTTEN) {
      throw new IllegalArgumentException("segment " + segmentId + " of '" + conversation
          + "' is forgotten: nothing of it is left to read");
    }
    return recall.decode(segment);
  }

  // ------------------------------------------------------------------ explicit changes

  Segment demote(String conversation, long segmentId, Tier tier, Transition.Cause cause) {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(cause, "cause");
    Segment segment = segment(conversation, segmentId);
    if (segment.open()) {
      throw new IllegalArgumentException("segment " + segmentId + " of '" + conversation
          + "' is still open (the newest page); only closed segments move down");
    }
    if (tier.isAbove(segment.tier())) {
      throw new IllegalArgumentException("segment " + segmentId + " is at " + segment.tier()
          + "; it cannot move up to " + tier);
    }
    return states.exclusive(conversation, () -> {
      boolean rendered = store.read("checking a page map", s -> s.pageMap(segmentId).isPresent());
      if (!rendered && segment.tier() == Tier.TEXT) {
        tiers.render(conversation, segmentId, segment.index());
      }
      Tier current = segment(conversation, segmentId).tier();
      while (current.isAbove(tier)) {
        current = tiers.step(conversation, segmentId, segment.index(), current, current.next(),
            cause);
      }
      return segment(conversation, segmentId);
    });
  }

  @Override
  public boolean pin(String conversation, int turn) {
    checkOpen();
    Checks.checkId(conversation);
    return store.write("pinning turn " + turn + " of '" + conversation + "'", s -> {
      // Under the conversation's row lock: two processes pinning one turn do it once.
      MemoryStore.Totals totals = s.lockConversation(conversation).orElseThrow(() ->
          Checks.unknown(conversation));
      if (turn < 0 || turn >= totals.turns()) {
        throw new IllegalArgumentException("turn must be between 0 and " + (totals.turns() - 1)
            + " in '" + conversation + "', but is: " + turn);
      }
      return s.pin(conversation, turn, settings.clock().instant());
    });
  }

  @Override
  public boolean unpin(String conversation, int turn) {
    checkOpen();
    Checks.checkId(conversation);
    boolean was = store.write("unpinning turn " + turn + " of '" + conversation + "'", s -> {
      s.lockConversation(conversation).orElseThrow(() -> Checks.unknown(conversation));
      return s.unpin(conversation, turn);
    });
    if (was) {
      background.schedule(conversation);
    }
    return was;
  }

  @Override
  public List<Integer> pins(String conversation) {
    checkOpen();
    Checks.checkId(conversation);
    return store.read("reading the pins of '" + conversation + "'", s -> {
      s.conversation(conversation).orElseThrow(() -> Checks.unknown(conversation));
      return s.pins(conversation);
    });
  }

  void age(String conversation) {
    checkOpen();
    Checks.checkId(conversation);
    if (!contains(conversation)) {
      throw Checks.unknown(conversation);
    }
    background.schedule(conversation);
  }

  String attach(String conversation, byte[] bytes) {
    checkOpen();
    Checks.checkId(conversation);
    return attachments.attach(conversation, bytes, settings.clock().instant());
  }

  Optional<byte[]> attachment(String conversation, String reference) {
    checkOpen();
    Checks.checkId(conversation);
    return attachments.attachment(conversation, reference);
  }

  @Override
  public boolean forget(String conversation) {
    checkOpen();
    Checks.checkId(conversation);
    // Background work on the conversation stops at its next unit; a unit in flight is waited for.
    return states.forget(conversation, () -> {
      List<Long> ids = store.write("forgetting '" + conversation + "'",
          s -> s.conversation(conversation).isPresent() ? s.deleteConversation(conversation)
              : null);
      attachments.forget(conversation);
      embedderCheck.forget(conversation); // a conversation written again is checked again
      if (ids == null) {
        return false;
      }
      cache.invalidateSegments(ids);
      return true;
    });
  }

  int catchUp() {
    checkOpen();
    if (!settings.backgroundWork()) {
      throw new IllegalStateException("background work is off in this memory"
          + " (backgroundWork(false)); run a worker for it");
    }
    return background.resume();
  }

  boolean awaitIdle(Duration timeout) {
    return background.awaitIdle(timeout);
  }

  Executor executor() {
    return executor;
  }

  void subscribe(TransitionListener listener) {
    checkOpen();
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  boolean unsubscribe(TransitionListener listener) {
    return listeners.remove(Objects.requireNonNull(listener, "listener"));
  }

  boolean regionMarks() {
    return settings.regionMarks();
  }

  @Override
  public MemoryOperations operations() {
    return operations;
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
    if (background != null) {
      background.stop(Duration.ofSeconds(60));
      try {
        background.countAllRehearsals(); // recalls since the last append are not lost
      } catch (RuntimeException e) {
        System.getLogger(OpticalMemory.class.getName()).log(System.Logger.Level.WARNING,
            "cannot count the rehearsals of the last recalls: " + e, e);
      }
    }
    if (ownedExecutor != null) {
      try {
        ownedExecutor.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ocr.close(); // the engine the memory loaded; a caller's stays the caller's
    if (store != null) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "OpticalMemory[" + store.description() + "]";
  }
}
