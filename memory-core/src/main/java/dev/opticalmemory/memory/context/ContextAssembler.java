package dev.opticalmemory.memory.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.PageEncoding;
import dev.opticalmemory.renderer.PageImages;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Fits a conversation into a reader's token budget: recent turns verbatim as text, older segments
 * as page images oldest first, forgotten segments left out.
 *
 * <p>When everything does not fit, three steps run until it does. First, closed segments still kept
 * as text are sent as their rendered pages (LARGE), oldest first, where the page costs less: every
 * word stays, at a fraction of the tokens. Then pages get cheaper: sent at lower tiers that cost
 * this reader less (downscaled from the stored page; the memory is not changed), or left out, as
 * the {@link Spending} rule chooses: by default ({@link Spending#IMPORTANCE}) the change that loses
 * the least importance-weighted legibility per token saved, pinned pages kept at BASE or above
 * while anything else is left; or oldest first ({@link Spending#RECENCY}). Each choice is explained
 * in {@link AssembledContext#choices()}. Last, text turns are left out, oldest first. The newest
 * {@link Builder#recentTurnsFloor(int)} turns are never left out; turns that share the
 * {@link #GROUP_ATTRIBUTE} attribute (a tool call and its results) stay or go together. If the
 * floor alone exceeds the budget, {@link ContextBudgetException}.
 *
 * <pre>{@code
 * ContextAssembler assembler = ContextAssembler.builder().memory(memory)
 *     .reader(VisionReader.openAi()).build();
 * AssembledContext context = assembler.assemble("user-42", 8_000);
 * }</pre>
 *
 * <p>Thread-safe; reads the memory only.
 */
public final class ContextAssembler {
  /** Turns with the same value of this attribute are kept or left out together. */
  public static final String GROUP_ATTRIBUTE = "context.group";

  private final OpticalMemory memory;
  /**
   * The turns of closed segments, which never change: each request would otherwise read every
   * text segment's turns again. Bounded by segments (a segment holds about a page of text).
   */
  private final Cache<Long, List<MemoryTurn>> closedTurns = Caffeine.newBuilder()
      .maximumSize(256).build();
  private final VisionReader reader;
  private final int floor;
  private final boolean textToPages;
  private final Spending spending;
  private final PageEncoding sentEncoding;
  private final RequestLimits limits;
  /**
   * Sizes of pages as sent (PNG bytes), by segment, stored tier, side and encoding: made once to
   * fit a byte limit, or recorded when {@link #png} makes a page for a caller.
   */
  private final Cache<String, Integer> pngSizes = Caffeine.newBuilder()
      .maximumSize(4096).build();
  private final TurnPricing pricing;
  private final boolean floorGivesWay;
  private final boolean pagesBeforeText;

  private ContextAssembler(Builder b) {
    this.pagesBeforeText = b.pagesBeforeText;
    this.pricing = b.pricing != null ? b.pricing : TurnPricing.labelledText(b.reader.textCounter());
    this.floorGivesWay = b.floorGivesWay;
    this.memory = b.memory;
    this.reader = b.reader;
    this.floor = b.floor;
    this.textToPages = b.textToPages;
    this.spending = b.spending;
    this.sentEncoding = b.sentEncoding;
    this.limits = new RequestLimits(b.reader,
        b.maxImages != null ? b.maxImages : b.reader.maxImagesPerRequest(),
        b.maxRequestBytes != null ? b.maxRequestBytes : b.reader.maxRequestBytes(),
        b.sentEncoding, new RequestLimits.Pages() {
          @Override
          public int pageCost(Segment page, Tier tier) {
            return ContextAssembler.this.pageCost(page, tier);
          }

          @Override
          public int pngSize(String conversation, long segment, Tier storedTier, int side) {
            return ContextAssembler.this.pngSize(conversation, segment, storedTier, side);
          }
        });
  }

  /**
   * A builder; {@link Builder#memory} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The reader whose costs this assembler counts.
   *
   * @return the reader
   */
  public VisionReader reader() {
    return reader;
  }

  /**
   * The memory it assembles from.
   *
   * @return the memory
   */
  public OpticalMemory memory() {
    return memory;
  }


  /**
   * Assembles the context of {@code conversation} within {@code budget} tokens.
   *
   * @param conversation the conversation id
   * @param budget the most tokens the context may cost the reader
   * @return the items, oldest first, with their costs and what was left out
   * @throws IllegalArgumentException if the conversation is unknown or the budget is below 1
   * @throws ContextBudgetException if the newest turns under the floor alone exceed the budget
   */
  public AssembledContext assemble(String conversation, int budget) {
    return assemble(conversation, budget, Map.of());
  }

  /**
   * Assembles the context of {@code conversation} within {@code budget} tokens, weighing the pages
   * a caller's question points to more: a page's importance weight is multiplied by one plus its
   * focus, so that where pages must get cheaper, those stay sharper and the others give way first.
   *
   * @param conversation the conversation id
   * @param budget the most tokens the context may cost the reader
   * @param focus segment ids with a weight of at least 0 (for example, how well the segment
   *     matches the user's message, 0 to 1); segments not named have 0
   * @return the items, oldest first, with their costs and what was left out
   * @throws IllegalArgumentException if the conversation is unknown, the budget is below 1 or a
   *     focus weight is negative or not finite
   * @throws ContextBudgetException if the newest turns under the floor alone exceed the budget
   */
  public AssembledContext assemble(String conversation, int budget, Map<Long, Double> focus) {
    Objects.requireNonNull(focus, "focus");
    for (Map.Entry<Long, Double> f : focus.entrySet()) {
      if (f.getValue() == null || !(f.getValue() >= 0) || f.getValue().isInfinite()) {
        throw new IllegalArgumentException("focus of segment " + f.getKey() + " must be a finite"
            + " number at least 0, but is: " + f.getValue());
      }
    }
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be at least 1 token, but is: " + budget);
    }
    List<Segment> segments = memory.segments(conversation);
    List<ContextEntry> entries = entries(conversation, segments, focus);
    pinNewest(entries);
    long total = entries.stream().mapToLong(e -> e.tokens).sum();
    int omitted = 0;
    total = textToPages(conversation, entries, total, budget, focus);
    if (pagesBeforeText) {
      total = ContextEntry.withoutMedia(entries, total, budget, false);
      Left left = leaveAboveFloor(entries, total, budget);
      total -= left.tokens();
      omitted += left.turns();
    }
    total = spending == Spending.RECENCY ? byRecency(entries, total, budget)
        : byImportance(entries, total, budget);
    omitted += (int) entries.stream().filter(e -> e.removed && e.turn == null).count();
    total = ContextEntry.withoutMedia(entries, total, budget, false);
    Left left = leaveAboveFloor(entries, total, budget);
    total -= left.tokens();
    omitted += left.turns();
    if (total > budget && floorGivesWay) {
      omitted += floorGivesWay(entries, total, budget);
    }
    omitted += limits.fitImages(entries);
    omitted += limits.fitBytes(conversation, entries);
    total = entries.stream().filter(e -> !e.removed).mapToLong(e -> e.tokens).sum();
    if (total > budget && !floorGivesWay) {
      throw new ContextBudgetException("budget of " + budget + " tokens for " + reader.name()
          + " is too small for conversation '" + conversation + "': its newest " + floor
          + " turns (the floor) alone cost " + total + " tokens; raise the budget or lower the"
          + " floor", budget, (int) total);
    }
    return context(conversation, budget, segments, entries, omitted);
  }

  /** Step 0: every turn of a TEXT segment as text, every other segment's page at its tier. */
  private List<ContextEntry> entries(String conversation, List<Segment> segments,
      Map<Long, Double> focus) {
    List<ContextEntry> entries = new ArrayList<>();
    for (Segment s : segments) {
      if (s.tier() == Tier.FORGOTTEN) {
        continue;
      }
      if (s.tier() == Tier.TEXT) {
        int number = s.firstTurn();
        for (MemoryTurn turn : turns(conversation, s)) {
          ContextEntry e = new ContextEntry(s, turn, number++,
              turn.attributes().get(GROUP_ATTRIBUTE), Tier.TEXT, pricing.price(turn));
          e.bare = Math.min(e.tokens, pricing.priceWithoutMedia(turn));
          e.images = e.bare < e.tokens ? Math.max(0, pricing.images(turn)) : 0;
          e.bytes = Math.max(0, pricing.bytes(turn));
          e.bareBytes = Math.min(e.bytes, Math.max(0, pricing.bytesWithoutMedia(turn)));
          entries.add(e);
        }
      } else {
        ContextEntry page = new ContextEntry(s, null, -1, null, s.tier(), pageCost(s, s.tier()));
        page.weight = s.importance().weight() * (1 + focus.getOrDefault(s.id(), 0.0));
        entries.add(page);
      }
    }
    return entries;
  }

  /**
   * Step 1: closed segments kept as text are sent as their rendered pages, oldest first: every
   * word stays, at a fraction of the tokens. Each segment is looked at once (not once per turn).
   * Then (step 2, in {@link #byRecency} or {@link #byImportance}) pages get cheaper; then (step 3)
   * media of turns above the floor leave, then those turns.
   */
  private long textToPages(String conversation, List<ContextEntry> entries, long total,
      int budget, Map<Long, Double> focus) {
    Set<Long> checked = new HashSet<>();
    for (int i = 0; i < entries.size() && total > budget; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn == null || e.removed || e.pinned) {
        continue;
      }
      ContextEntry page = asPage(conversation, entries, e, checked, focus);
      if (page != null) {
        List<ContextEntry> texts = ContextEntry.ofSegment(entries, e.segment);
        int textCost = texts.stream().mapToInt(t -> t.tokens).sum();
        entries.removeAll(texts);
        entries.add(i, page);
        total += page.tokens - textCost;
      }
    }
    return total;
  }

  /**
   * Step 4, where the floor may give way: its media leave, then its turns, oldest first, but never
   * the newest turn and what it needs (its tool call group). Returns how many turns left. Step 5
   * is the request's limits ({@link RequestLimits}).
   */
  private int floorGivesWay(List<ContextEntry> entries, long total, int budget) {
    total = ContextEntry.withoutMedia(entries, total, budget, true);
    int omitted = 0;
    int newest = ContextEntry.lastTurnIndex(entries);
    List<ContextEntry> kept = newest < 0 ? List.of()
        : ContextEntry.group(entries, entries.get(newest));
    for (int i = 0; i < entries.size() && total > budget; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn == null || e.removed || kept.contains(e)) {
        continue;
      }
      for (ContextEntry member : ContextEntry.group(entries, e)) {
        total -= member.tokens;
        member.removed = true;
        omitted++;
      }
    }
    return omitted;
  }

  /** The entries left, as the context's items, with the choices that changed them. */
  private AssembledContext context(String conversation, int budget, List<Segment> segments,
      List<ContextEntry> entries, int omitted) {
    long fullText = segments.stream().mapToLong(Segment::textTokens).sum();
    List<ContextItem> items = new ArrayList<>();
    List<ContextChoice> choices = new ArrayList<>();
    int degraded = 0;
    int covered = 0;
    for (ContextEntry e : entries) {
      if (e.turn == null && e.reason != null && (e.removed || e.tier != e.segment.tier())) {
        choices.add(new ContextChoice(e.segment.id(), e.segment.index(), e.segment.tier(),
            e.removed ? null : e.tier, e.segment.importance(), e.reason));
      }
      if (e.removed) {
        continue;
      }
      if (e.turn == null) {
        VisionReader.Delivery d = reader.delivery(e.tier);
        degraded += e.tier != e.segment.tier() ? 1 : 0;
        items.add(new PageItem(e.segment.id(), e.segment.index(), e.tier, e.segment.tier(),
            e.tokens, d.side(), d.detail()));
        covered += e.segment.lastTurn() - e.segment.firstTurn() + 1;
      } else {
        items.add(new TextItem(e.segment.id(), e.segment.index(), e.segment.tier(), e.tokens,
            e.turn, e.number, e.mediaOmitted));
        covered++;
      }
    }
    int turns = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastTurn() + 1;
    return new AssembledContext(conversation, reader.name(), budget, items, fullText, degraded,
        omitted, turns, Math.min(covered, turns), choices);
  }


  /** Turns left out, and the tokens that saved. */
  private record Left(long tokens, int turns) {}

  /**
   * Leaves out turns above the floor, oldest first, tool calls with their results, until the total
   * fits.
   */
  private Left leaveAboveFloor(List<ContextEntry> entries, long total, int budget) {
    long saved = 0;
    int left = 0;
    for (int i = 0; i < entries.size() && total - saved > budget; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn == null || e.removed || e.pinned) {
        continue;
      }
      for (ContextEntry member : ContextEntry.group(entries, e)) {
        saved += member.tokens;
        member.removed = true;
        left++;
      }
    }
    return new Left(saved, left);
  }









  /**
   * Oldest first: each page as low as it can go before the next older one is touched; then pages
   * left out, oldest first. Returns the total after.
   */
  private long byRecency(List<ContextEntry> entries, long total, int budget) {
    for (int i = 0; i < entries.size() && total > budget; i++) {
      ContextEntry e = entries.get(i);
      Tier lower;
      while (e.turn == null && total > budget
          && (lower = cheaperTier(e.segment, e.tier, e.tokens)) != null) {
        int cost = pageCost(e.segment, lower);
        total -= e.tokens - cost;
        e.tier = lower;
        e.tokens = cost;
        e.reason = "recency: the oldest page that could get cheaper";
      }
    }
    for (int i = 0; i < entries.size() && total > budget; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn == null && !e.removed) {
        total -= e.tokens;
        e.removed = true;
        e.reason = "recency: the oldest page, with none left to make cheaper";
      }
    }
    return total;
  }

  /**
   * A change to one page: to a lower tier, or out ({@code to} null), losing {@code rate} value per
   * token saved; {@code order} is the page's place in the plan (older first).
   */
  private record Move(ContextEntry entry, Tier to, double rate, double weight, int order) {}

  /** The cheapest loss first; ties to the lighter page, then the older. */
  private static final Comparator<Move> CHEAPEST = Comparator.comparingDouble(Move::rate)
      .thenComparingDouble(Move::weight).thenComparingInt(Move::order);

  /**
   * By value per token: repeatedly the change (a page to a lower tier that costs less, or out)
   * that loses the least weight times legibility per token saved; ties to the lighter page, then
   * the older. Pinned pages go below BASE or out only in a second pass, when nothing else is left.
   * Each page's best change is kept in a queue and worked out again only when that page changes,
   * so a plan of P pages costs O(P log P) per change. Returns the total after.
   */
  private long byImportance(List<ContextEntry> entries, long total, int budget) {
    Legibility legibility = reader.legibility();
    for (int pass = 0; pass < 2 && total > budget; pass++) {
      boolean protect = pass == 0;
      PriorityQueue<Move> queue = new PriorityQueue<>(CHEAPEST);
      for (int i = 0; i < entries.size(); i++) {
        ContextEntry e = entries.get(i);
        if (e.turn == null && !e.removed) {
          Move m = bestMove(e, i, protect, legibility);
          if (m != null) {
            queue.add(m);
          }
        }
      }
      while (total > budget && !queue.isEmpty()) {
        Move m = queue.poll();
        ContextEntry e = m.entry();
        String why = String.format(java.util.Locale.ROOT, "importance: the least value lost per"
            + " token saved (%.5f; weight %.2f: %s; legibility %.2f at %s)", m.rate(), m.weight(),
            e.segment.importance().describe(), legibility.of(e.tier, e.segment.textTokens()),
            e.tier) + (protect ? "" : "; pinned, but nothing else was left");
        e.reason = why;
        if (m.to() == null) {
          total -= e.tokens;
          e.removed = true;
        } else {
          int cost = pageCost(e.segment, m.to());
          total -= e.tokens - cost;
          e.tier = m.to();
          e.tokens = cost;
          Move next = bestMove(e, m.order(), protect, legibility);
          if (next != null) {
            queue.add(next);
          }
        }
      }
    }
    return total;
  }

  /**
   * The page's change that loses the least value per token saved (the smaller step on a tie), or
   * null if none saves a token; a pinned page is kept at BASE or above when {@code protect}.
   */
  private Move bestMove(ContextEntry e, int order, boolean protect, Legibility legibility) {
    double weight = e.weight;
    boolean keep = protect && e.segment.importance().pinned();
    double now = weight * legibility.of(e.tier, e.segment.textTokens());
    Move best = null;
    for (Tier t = e.tier.next(); ; t = t.next()) {
      boolean out = !t.isImage();
      if (keep && (out || Tier.BASE.isAbove(t))) {
        break;
      }
      int saved = e.tokens - (out ? 0 : pageCost(e.segment, t));
      if (saved > 0) {
        double lost = now - (out ? 0 : weight * legibility.of(t, e.segment.textTokens()));
        double rate = Math.max(0, lost) / saved;
        if (best == null || rate < best.rate()) {
          best = new Move(e, out ? null : t, rate, weight, order);
        }
      }
      if (out) {
        break;
      }
    }
    return best;
  }

  /**
   * The rendered page of a closed TEXT segment, as an entry at LARGE, if the whole segment can give
   * way (none of its turns under the floor or already left out) and the page costs less than its
   * text; else null.
   */
  private ContextEntry asPage(String conversation, List<ContextEntry> entries, ContextEntry e,
      Set<Long> checked, Map<Long, Double> focus) {
    Segment s = e.segment;
    if (!textToPages || s.open() || s.tier() != Tier.TEXT || !checked.add(s.id())) {
      return null;
    }
    List<ContextEntry> texts = ContextEntry.ofSegment(entries, s);
    if (texts.stream().anyMatch(t -> t.pinned || t.removed)) {
      return null;
    }
    int cost = pageCost(s, Tier.LARGE);
    if (cost >= texts.stream().mapToInt(t -> t.tokens).sum() || !s.rendered()) {
      return null;
    }
    ContextEntry page = new ContextEntry(s, null, -1, null, Tier.LARGE, cost);
    page.weight = s.importance().weight() * (1 + focus.getOrDefault(s.id(), 0.0));
    page.reason = "its text did not fit: the page (every word) costs " + cost + " tokens, the"
        + " text " + texts.stream().mapToInt(t -> t.tokens).sum();
    return page;
  }

  /** An open segment's turns as last read, and the number of the next turn to read. */
  private record OpenTurns(List<MemoryTurn> turns, int next) {}

  /**
   * Open segments' turns, read again only from where they were last read: a segment only grows
   * while open, and a turn can be megabytes (a chat message with a user's photo).
   */
  private final Cache<Long, OpenTurns> openTurns = Caffeine.newBuilder().maximumSize(256).build();

  private List<MemoryTurn> turns(String conversation, Segment s) {
    if (s.open()) {
      List<MemoryTurn> list = grown(conversation, s, openTurns.getIfPresent(s.id()));
      openTurns.put(s.id(), new OpenTurns(list, s.lastTurn() + 1));
      return list;
    }
    return closedTurns.get(s.id(), id -> {
      // A segment just closed was read while open: only what it gained since is read.
      OpenTurns known = openTurns.getIfPresent(id);
      openTurns.invalidate(id);
      return grown(conversation, s, known);
    });
  }

  /** The segment's turns: those known, and the ones after them read from the memory. */
  private List<MemoryTurn> grown(String conversation, Segment s, OpenTurns known) {
    int next = s.lastTurn() + 1;
    if (known == null || known.next() > next) {
      return List.copyOf(memory.operations().turns(conversation, s.id()));
    }
    if (known.next() == next) {
      return known.turns();
    }
    List<MemoryTurn> more = new ArrayList<>(known.turns());
    more.addAll(memory.operations().turns(conversation, s.id(), known.next()));
    return List.copyOf(more);
  }


  /** A page's price at a tier: its image as the reader counts it, and its label as the caller's. */
  private int pageCost(Segment page, Tier tier) {
    return reader.delivery(tier).tokens() + pricing.pageLabelPrice(page);
  }

  /** The next lower image tier at which a page costs less than {@code tokens}, or null. */
  private Tier cheaperTier(Segment page, Tier from, int tokens) {
    for (Tier t = from.next(); t.isImage(); t = t.next()) {
      if (pageCost(page, t) < tokens) {
        return t;
      }
    }
    return null;
  }

  private void pinNewest(List<ContextEntry> entries) {
    int left = floor;
    for (int i = entries.size() - 1; i >= 0 && left > 0; i--) {
      ContextEntry e = entries.get(i);
      if (e.turn != null && !e.pinned) {
        for (ContextEntry member : ContextEntry.group(entries, e)) {
          member.pinned = true;
        }
        left--;
      }
    }
  }


  /**
   * The PNG of an image item, at the size it is sent: the stored page, downscaled (area averaging)
   * when the item's side is smaller, in the builder's {@code sentEncoding}.
   *
   * @param conversation the conversation id
   * @param item an image item of a context assembled from it
   * @return the PNG
   * @throws IllegalArgumentException if the item's segment has no image now
   *     (it was forgotten since the context was assembled)
   */
  public byte[] png(String conversation, PageItem item) {
    Objects.requireNonNull(item, "item");
    return png(conversation, item.segment(), item.storedTier(), item.side());
  }

  private byte[] png(String conversation, long segment, Tier storedTier, int side) {
    Tier source = storedTier.isImage() ? storedTier : Tier.LARGE;
    byte[] stored = memory.operations().image(conversation, segment, source).orElseThrow(() ->
        new IllegalArgumentException("segment " + segment + " of '" + conversation
            + "' has no image now (it was forgotten)"));
    BufferedImage page = PageImages.toGray(PageImages.decode(stored));
    if (page.getWidth() > side || page.getHeight() > side) {
      double scale = (double) side / Math.max(page.getWidth(), page.getHeight());
      page = PageImages.downscale(page, Math.max(1, (int) Math.round(page.getWidth() * scale)),
          Math.max(1, (int) Math.round(page.getHeight() * scale)));
    }
    byte[] png = PageImages.encode(page, sentEncoding);
    pngSizes.put(sizeKey(segment, storedTier, side), png.length);
    return png;
  }

  private String sizeKey(long segment, Tier storedTier, int side) {
    return segment + "/" + storedTier + "/" + side + "/" + sentEncoding;
  }

  /** A page's PNG size as sent: made once, or known from a page {@link #png} made. */
  private int pngSize(String conversation, long segment, Tier storedTier, int side) {
    Integer known = pngSizes.getIfPresent(sizeKey(segment, storedTier, side));
    if (known != null) {
      return known;
    }
    try {
      return png(conversation, segment, storedTier, side).length;
    } catch (IllegalArgumentException e) {
      // Forgotten since it was listed: weighed at the most it could weigh, never less.
      return (int) Math.min(Integer.MAX_VALUE, limits.pageBytesAtMost(side) * 3 / 4);
    }
  }

  /** Settings of an assembler; {@link #memory(OpticalMemory)} is required. */
  public static final class Builder {
    private OpticalMemory memory;
    private VisionReader reader = VisionReader.deepSeekOcr();
    private int floor = 4;
    private boolean textToPages = true;
    private Spending spending = Spending.IMPORTANCE;
    private TurnPricing pricing;
    private boolean floorGivesWay;
    private boolean pagesBeforeText;
    private PageEncoding sentEncoding = PageEncoding.GRAY16_PNG;
    private Integer maxImages;
    private Long maxRequestBytes;

    private Builder() {}

    /**
     * The most bytes one request may weigh: turns' text as UTF-8, their images and the pages as
     * base64 (default: the reader's {@link VisionReader#maxRequestBytes()}). Beyond it users'
     * images above the floor leave first, oldest first, then pages step down a tier or leave, the
     * least value lost per byte saved first, then the floor's images; the newest turn's images
     * stay. Pages are made to be weighed only when the request could be over the limit.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if bytes is below 1
     */
    public Builder maxRequestBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1, but is: " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The most images one request may carry, pages and users' images together (default: the
     * reader's {@link VisionReader#maxImagesPerRequest()}). Beyond it users' images above the
     * floor leave first, oldest first, then pages, the least valuable first, then the floor's
     * images; the newest turn's images leave last of all.
     *
     * @param images at least 1
     * @return this builder
     * @throws IllegalArgumentException if images is below 1
     */
    public Builder maxImages(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("maxImages must be at least 1, but is: " + images);
      }
      this.maxImages = images;
      return this;
    }

    /**
     * The PNG form of pages {@link #png} gives to send (default {@link PageEncoding#GRAY16_PNG}:
     * 16 grey levels, read by PP-OCR as well as 8-bit grey in fewer bytes; see the guide).
     *
     * @param encoding {@link PageEncoding#GRAY8_PNG}, {@link PageEncoding#GRAY16_PNG} or
     *     {@link PageEncoding#GRAY4_PNG}
     * @return this builder
     * @throws IllegalArgumentException for an encoding that is not a PNG
     */
    public Builder sentEncoding(PageEncoding encoding) {
      Objects.requireNonNull(encoding, "encoding");
      if (!encoding.format().equals("png")) {
        throw new IllegalArgumentException("encoding must be a PNG a model can read (GRAY8_PNG,"
            + " GRAY16_PNG or GRAY4_PNG), but is: " + encoding);
      }
      this.sentEncoding = encoding;
      return this;
    }

    /**
     * How turns sent as text are priced (default: their labelled text, counted by the reader's text
     * counter). A caller that sends turns in another form prices them here, media included.
     *
     * @param pricing the pricing
     * @return this builder
     */
    public Builder turnPricing(TurnPricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /**
     * Whether the newest turns under the floor give way when they alone exceed the budget (default
     * false: {@link #assemble} then throws {@link ContextBudgetException}). When they do, their
     * media leave first, then their turns, oldest first; the newest turn and its tool call group
     * always stay, even over budget.
     *
     * @param allowed whether the floor gives way
     * @return this builder
     */
    public Builder floorGivesWay(boolean allowed) {
      this.floorGivesWay = allowed;
      return this;
    }

    /**
     * Whether, when the context does not fit, the turns above the floor leave before any page is
     * blurred or left out (default false: recent text first, pages give way before it). On, the
     * budget goes to the whole history as pages, and the floor's newest turns as text: for a caller
     * that adds the turns the user's message needs by retrieval (see the guide), where recent text
     * above the floor is worth less than the pages.
     *
     * @param allowed whether pages come before text above the floor
     * @return this builder
     */
    public Builder pagesBeforeText(boolean allowed) {
      this.pagesBeforeText = allowed;
      return this;
    }

    /**
     * How pages get cheaper when they do not fit (default {@link Spending#IMPORTANCE}, weighed
     * with the reader's {@link VisionReader#legibility()}); {@link Spending#RECENCY} is the
     * oldest-first rule of earlier releases.
     *
     * @param spending the rule
     * @return this builder
     */
    public Builder spending(Spending spending) {
      this.spending = Objects.requireNonNull(spending, "spending");
      return this;
    }

    /**
     * Whether a closed TEXT segment may be sent as its rendered page when its text does not fit
     * (default true). Off, text only ever gives way turn by turn: a plain text window.
     *
     * @param allowed whether closed text segments may give way as pages
     * @return this builder
     */
    public Builder textToPages(boolean allowed) {
      this.textToPages = allowed;
      return this;
    }

    /**
     * The memory to assemble from; required.
     *
     * @param memory the memory
     * @return this builder
     */
    public Builder memory(OpticalMemory memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /**
     * Who reads the context; default {@link VisionReader#deepSeekOcr()}.
     *
     * @param reader the reader
     * @return this builder
     */
    public Builder reader(VisionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /**
     * How many of the newest turns are always sent as text, 0 to 10,000; default 4. A tool call and
     * its results count as one.
     *
     * @param turns the newest turns always sent as text
     * @return this builder
     */
    public Builder recentTurnsFloor(int turns) {
      if (turns < 0 || turns > 10_000) {
        throw new IllegalArgumentException("recentTurnsFloor must be between 0 and 10000, but is: "
            + turns);
      }
      this.floor = turns;
      return this;
    }

    /**
     * The assembler.
     *
     * @return the assembler
     * @throws IllegalArgumentException if no memory was given
     */
    public ContextAssembler build() {
      if (memory == null) {
        throw new IllegalArgumentException("memory is required: builder().memory(memory)");
      }
      return new ContextAssembler(this);
    }
  }
}
