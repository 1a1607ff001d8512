package dev.opticalmemory.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The background work of a memory: after appends, each conversation is settled on the injected
 * executor. Settling renders each closed segment without a page, then moves every closed segment
 * down to the tier its {@link AgingPolicy} gives, one tier per transaction ({@link TierWork}).
 *
 * <h2>Scheduling</h2>
 * At most one settle runs per conversation; appends during a settle make it run again (a state
 * per conversation: {@link Settle#IDLE}, {@link Settle#RUNNING}, {@link
 * Settle#RUNNING_AND_REQUIRED}). Before each unit the settle
 * yields to appends: it waits until none has come for the quiet period, but never defers a unit
 * longer than {@code maxDeferral}.
 *
 * <h2>Several processes</h2>
 * On a shared store ({@link MemoryStore#shared()}), each segment's work is claimed first with a
 * lease in the database ({@link MemoryStore.Session#claim}); a segment another worker holds is
 * skipped, and taken over once its lease expires (a worker killed mid-way). Tier changes apply only
 * from the tier they were read at, so even two workers on one segment apply each change once. A
 * conversation is marked settled only if no turn came in since its work began.
 *
 * <h2>Forget</h2>
 * Each unit runs under the conversation's work lock and only if the conversation's generation is
 * the one the settle began with; {@code forget} moves the generation on under the same lock, so a
 * forgotten conversation's work stops at its next unit, quietly.
 */
final class BackgroundWork {
  private static final System.Logger LOG = System.getLogger(OpticalMemory.class.getName());
  /** How often background work may free dead space in the database. */
  private static final Duration MAINTENANCE_EVERY = Duration.ofSeconds(2);

  private final Settings settings;
  private final MemoryStore store;
  private final ConversationStates states;
  private final TierWork tiers;
  private final Executor executor;
  /** Where a conversation's settling stands. */
  private enum Settle {
    /** Nothing scheduled or running. */
    IDLE,
    /** Scheduled or running, with nothing appended since it began. */
    RUNNING,
    /** Running, and appends came since it began: it goes again when it ends. */
    RUNNING_AND_REQUIRED
  }

  private final Map<String, AtomicReference<Settle>> settles = new ConcurrentHashMap<>();
  /**
   * Segments recall returned, by conversation, not yet counted: a set, so that a storm of recalls
   * of one segment holds one entry. Changed only inside {@code compute} and taken whole with
   * {@code remove}, so that no id lands in a set already taken.
   */
  private final Map<String, java.util.Set<Long>> rehearsals = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private int pendingSettles;
  private int runningSettles;
  private volatile boolean stopped;
  /**
   * Set while an executor runs a settle on the thread that scheduled it (a direct executor, as in
   * tests): that settle runs inside an append, so yielding to appends would only hold it up.
   */
  private static final ThreadLocal<Boolean> SCHEDULING = ThreadLocal.withInitial(() -> false);

  /** When the last append came, by the injected clock. */
  private volatile Instant lastAppend;
  /** Who holds this process's leases. */
  private final String owner = ProcessHandle.current().pid() + "-"
      + java.util.UUID.randomUUID().toString().substring(0, 8);

  BackgroundWork(Settings settings, MemoryStore store, ConversationStates states,
      TierWork tiers, Executor executor) {
    this.settings = settings;
    this.store = store;
    this.states = states;
    this.tiers = tiers;
    this.executor = executor;
    this.lastAppend = settings.clock().instant();
  }

  /**
   * Notes segments that recall returned; they are counted as rehearsed (spaced) at the start of the
   * conversation's next settle, after the next append or {@link OpticalMemory#age}.
   */
  void rehearsed(String conversation, List<Long> segments) {
    rehearsals.compute(conversation, (k, set) -> {
      java.util.Set<Long> s = set == null ? new java.util.HashSet<>() : set;
      s.addAll(segments);
      return s;
    });
  }

  /** Counts the rehearsals noted for the conversation, in one transaction. */
  private void countRehearsals(String conversation) {
    java.util.Set<Long> recalled = rehearsals.remove(conversation);
    if (recalled == null || recalled.isEmpty()) {
      return;
    }
    store.write("counting rehearsals in '" + conversation + "'", s -> {
      var totals = s.conversation(conversation);
      if (totals.isPresent()) {
        for (long id : recalled) {
          s.rehearse(id, totals.get().textTokens(), Importance.REHEARSAL_SPACING);
        }
      }
      return null;
    });
  }

  /** Counts every conversation's noted rehearsals now (when the memory closes). */
  void countAllRehearsals() {
    for (String conversation : List.copyOf(rehearsals.keySet())) {
      countRehearsals(conversation);
    }
  }

  /** Notes an append, for yielding. */
  void appended() {
    lastAppend = settings.clock().instant();
  }

  /**
   * Schedules the work left by an earlier run, another process's appends, or a killed worker;
   * returns for how many conversations.
   */
  int resume() {
    List<String> ids = store.read("finding unfinished work", s -> s.unsettledConversations());
    for (String id : ids) {
      schedule(id);
    }
    return ids.size();
  }

  void schedule(String conversation) {
    if (stopped || !settings.backgroundWork()) {
      return;
    }
    AtomicReference<Settle> state = settles.computeIfAbsent(conversation,
        k -> new AtomicReference<>(Settle.IDLE));
    while (true) {
      Settle s = state.get();
      if (s == Settle.IDLE) {
        if (state.compareAndSet(Settle.IDLE, Settle.RUNNING)) {
          synchronized (idle) {
            pendingSettles++;
          }
          try {
            Thread scheduler = Thread.currentThread();
            SCHEDULING.set(true);
            executor.execute(() -> run(conversation, state,
                !(Thread.currentThread() == scheduler && SCHEDULING.get())));
          } catch (RuntimeException e) {
            state.set(Settle.IDLE);
            finish();
            LOG.log(System.Logger.Level.WARNING, "cannot schedule background work for '"
                + conversation + "': " + e, e);
          } finally {
            SCHEDULING.set(false);
          }
          return;
        }
      } else if (s == Settle.RUNNING) {
        if (state.compareAndSet(Settle.RUNNING, Settle.RUNNING_AND_REQUIRED)) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private void run(String conversation, AtomicReference<Settle> state, boolean yielding) {
    synchronized (idle) {
      runningSettles++;
    }
    try {
      while (!stopped) {
        try {
          settle(conversation, Transition.Cause.AGED, yielding);
          store.maintain(MAINTENANCE_EVERY);
        } catch (RuntimeException e) {
          if (!stopped) {
            LOG.log(System.Logger.Level.WARNING, "background work on conversation '"
                + conversation + "' failed; it is retried on the next append: " + e, e);
          }
        }
        if (state.compareAndSet(Settle.RUNNING, Settle.IDLE)) {
          if (lastPending()) {
            store.maintain(Duration.ZERO); // caught up: leave the file compact while idle
          }
          return;
        }
        state.set(Settle.RUNNING); // appends came in while settling: go again
      }
    } finally {
      synchronized (idle) {
        runningSettles--;
      }
      finish();
    }
  }

  private boolean lastPending() {
    synchronized (idle) {
      return pendingSettles == 1;
    }
  }

  private void finish() {
    synchronized (idle) {
      pendingSettles--;
      idle.notifyAll();
    }
  }

  /** Waits until every settle scheduled so far has finished. */
  boolean awaitIdle(Duration timeout) {
    return await(timeout, true);
  }

  /**
   * Stops scheduling and waits for settles that are running (queued ones see the stop and end at
   * once).
   */
  void stop(Duration timeout) {
    stopped = true;
    await(timeout, false);
  }

  boolean stopped() {
    return stopped;
  }

  private boolean await(Duration timeout, boolean pending) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (pending ? pendingSettles > 0 : runningSettles > 0) {
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

  /**
   * Waits until appends have paused for the quiet period, or {@code maxDeferral} has passed since
   * {@code since}, both by the injected clock (looked at every 10 ms at most, so that a test's
   * clock moved forward is seen at once).
   */
  private void yieldToAppends(Instant since) {
    if (since == null) {
      return; // run inside an append: there is nothing to yield to
    }
    Duration quiet = settings.quietPeriod();
    Duration max = settings.maxDeferral();
    while (!quiet.isZero() && !stopped) {
      Instant now = settings.clock().instant();
      Duration idleFor = Duration.between(lastAppend, now);
      Duration waited = Duration.between(since, now);
      if (idleFor.compareTo(quiet) >= 0 || waited.compareTo(max) >= 0) {
        return;
      }
      Duration park = quiet.minus(idleFor);
      if (max.minus(waited).compareTo(park) < 0) {
        park = max.minus(waited);
      }
      LockSupport.parkNanos(Math.min(park.toNanos(), 10_000_000L));
    }
  }

  /** The age of a closed segment, as the aging policy sees it. */
  static AgingPolicy.SegmentAge age(MemoryStore.Totals totals, long tokensAtClose,
      int turnsAtClose, Instant closedAt, int seq, Map<Tier, Double> fidelity,
      Importance importance, Instant now) {
    Duration since = Duration.between(closedAt, now);
    return new AgingPolicy.SegmentAge(totals.textTokens() - tokensAtClose,
        totals.turns() - turnsAtClose, since.isNegative() ? Duration.ZERO : since,
        totals.segments() - seq - 1, fidelity, importance);
  }

  private void settle(String conversation, Transition.Cause cause, boolean yielding) {
    Instant started = yielding ? settings.clock().instant() : null;
    // Read under the work lock, so that a forget cannot fall between the list and its use.
    ConversationStates.Begun<Optional<Map.Entry<MemoryStore.Totals,
        List<MemoryStore.ClosedSegment>>>> begun = states.beginWork(conversation, () -> {
          countRehearsals(conversation);
          return store.read("listing closed segments", s -> s.conversation(conversation)
              .map(t -> Map.entry(t, s.closedSegments(conversation))));
        });
    if (begun.read().isEmpty()) {
      return;
    }
    long generation = begun.generation();
    MemoryStore.Totals totals = begun.read().get().getKey();
    boolean skipped = false;
    for (MemoryStore.ClosedSegment seg : begun.read().get().getValue()) {
      if (stopped || !states.current(conversation, generation)) {
        return;
      }
      if (store.shared() && !claim(seg.id())) {
        skipped = true; // another worker has it
        continue;
      }
      try {
        work(conversation, seg, totals, generation, started, cause);
      } finally {
        if (store.shared()) {
          store.write("giving up the lease of segment " + seg.id(), s -> {
            s.release(seg.id(), owner);
            return null;
          });
        }
      }
    }
    if (!skipped) {
      underWork(conversation, generation, () -> store.write("marking '" + conversation
          + "' settled", s -> {
            s.markSettled(conversation, totals.turns());
            return true;
          }));
    }
  }

  private boolean claim(long segmentId) {
    Instant now = settings.clock().instant();
    return store.write("claiming segment " + segmentId,
        s -> s.claim(segmentId, owner, now.plus(settings.lease()), now));
  }

  /** Renders a segment if needed, then moves it down to its tier. */
  private void work(String conversation, MemoryStore.ClosedSegment listed,
      MemoryStore.Totals totals, long generation, Instant started,
      Transition.Cause cause) {
    MemoryStore.ClosedSegment seg = listed;
    if (store.shared()) {
      // Claimed now: read it again, another worker may have moved it since it was listed.
      seg = store.read("reading segment " + listed.id(), s -> s.segment(conversation, listed.id())
          .map(fresh -> new MemoryStore.ClosedSegment(listed.id(), listed.seq(), fresh.tier(),
              s.pageMap(listed.id()).isPresent(), listed.tokensAtClose(),
              listed.turnsAtClose(), listed.closedAt(),
              listed.decoded() && fresh.tier() == listed.tier(), fresh.importance()))
          .orElse(null));
      if (seg == null || seg.tier() == Tier.FORGOTTEN) {
        return;
      }
    }
    long id = seg.id();
    int index = seg.seq();
    if (!seg.rendered()) {
      yieldToAppends(started);
      if (underWork(conversation, generation, () -> tiers.render(conversation, id, index))
          .isEmpty()) {
        return;
      }
    }
    Map<Tier, Double> fidelity = new java.util.EnumMap<>(Tier.class);
    store.read("reading fidelity", s -> s.fidelity(id))
        .forEach((t, f) -> fidelity.put(t, f.precision()));
    Tier target = settings.policy().tierFor(age(totals, seg.tokensAtClose(), seg.turnsAtClose(),
        seg.closedAt(), seg.seq(), fidelity, seg.importance(), settings.clock().instant()));
    Tier tier = seg.tier();
    boolean decoded = seg.decoded();
    while (target != null && tier.isAbove(target) && !stopped) {
      yieldToAppends(started);
      Tier from = tier;
      Optional<Tier> moved = underWork(conversation, generation,
          () -> tiers.step(conversation, id, index, from, from.next(), cause));
      if (moved.isEmpty()) {
        return;
      }
      tier = moved.get();
      decoded = false;
    }
    // The page is decoded once at the tier it rests at (not at the tiers it only passed through),
    // outside the work lock: OCR takes seconds, and a forget or a move meanwhile only makes the
    // store refuse the result.
    if (settings.decodeInBackground() && !decoded && tier.isImage() && !stopped) {
      yieldToAppends(started);
      Tier at = tier;
      TierWork.Decoded text = tiers.decode(id, at);
      if (text != null) {
        underWork(conversation, generation, () -> {
          tiers.storeDecoded(id, at, text);
          return true;
        });
      }
    }
  }

  /**
   * The background work not done yet in these conversations: read from the store, one
   * conversation at a time; a conversation forgotten meanwhile is skipped.
   */
  Backlog backlog(List<String> conversations) {
    Map<String, Integer> waiting = new java.util.LinkedHashMap<>();
    Backlog.steps().forEach(step -> waiting.put(step, 0));
    int undecoded = 0;
    Instant now = settings.clock().instant();
    Instant oldest = null;
    int looked = 0;
    for (String conversation : conversations) {
      record Read(MemoryStore.Totals totals, List<MemoryStore.ClosedSegment> closed,
          List<Segment> segments) {}
      Optional<Read> read = store.read("reading the backlog of '" + conversation + "'",
          s -> s.conversation(conversation).map(t -> new Read(t, s.closedSegments(conversation),
              s.segments(conversation))));
      if (read.isEmpty()) {
        continue;
      }
      looked++;
      MemoryStore.Totals totals = read.get().totals();
      Map<Long, Map<Tier, Double>> fidelity = new java.util.HashMap<>();
      read.get().segments().forEach(x -> fidelity.put(x.id(), x.fidelity()));
      for (MemoryStore.ClosedSegment seg : read.get().closed()) {
        if (seg.tier() == Tier.FORGOTTEN) {
          continue;
        }
        String step = null;
        if (!seg.rendered()) {
          step = "render";
        } else {
          Tier target = settings.policy().tierFor(age(totals, seg.tokensAtClose(),
              seg.turnsAtClose(), seg.closedAt(), seg.seq(),
              fidelity.getOrDefault(seg.id(), Map.of()), seg.importance(), now));
          if (target != null && seg.tier().isAbove(target)) {
            step = seg.tier() + "->" + seg.tier().next();
          } else if (settings.decodeInBackground() && seg.tier().isImage() && !seg.decoded()) {
            undecoded++;
          }
        }
        if (step != null) {
          waiting.merge(step, 1, Integer::sum);
          if (oldest == null || seg.closedAt().isBefore(oldest)) {
            oldest = seg.closedAt();
          }
        }
      }
    }
    Duration age = oldest == null ? null : Duration.between(oldest, now);
    return new Backlog(waiting, undecoded, Optional.ofNullable(age == null ? null
        : age.isNegative() ? Duration.ZERO : age), looked);
  }

  /**
   * How many closed segments of a conversation still have background work: not rendered yet, or
   * above the tier their aging policy gives them now.
   */
  int pending(MemoryStore.Totals totals, Map<Long, Segment> segments,
      List<MemoryStore.SegmentAge> ages) {
    int pending = 0;
    Instant now = settings.clock().instant();
    for (MemoryStore.SegmentAge age : ages) {
      Segment s = segments.get(age.id());
      if (s == null || s.tier() == Tier.FORGOTTEN) {
        continue;
      }
      if (!age.rendered() || s.tier().isAbove(settings.policy().tierFor(age(totals,
          age.tokensAtClose(), age.turnsAtClose(), s.closedAt(), s.index(), s.fidelity(),
          s.importance(), now)))) {
        pending++;
      }
    }
    return pending;
  }

  /**
   * Runs one unit of background work under the conversation's work lock, unless the conversation
   * was forgotten (or the memory closed) since the work began; empty if it did not run.
   */
  private <T> Optional<T> underWork(String conversation, long generation,
      java.util.function.Supplier<T> unit) {
    return states.underWork(conversation, generation, () -> stopped, unit);
  }
}
