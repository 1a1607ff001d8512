package dev.opticalmemory.memory.springai;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.PagesAhead;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.TurnPricing;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

/**
 * The optical memory as a Spring AI {@link ChatMemory}: what is added is appended to the memory,
 * and {@link #get} gives the newest turns as messages and older history as one {@link UserMessage}
 * of PNG pages, within a token budget counted for the configured reader by the memory's {@link
 * ContextAssembler}. Each message is priced as sent: a user's image at the reader's price for its
 * size. When old images no longer fit, their turn's text stays with a marker. A conversation's
 * system message is kept beside it and comes first. Tool calls and results are kept and sent back
 * as text. Thread-safe.
 *
 * <pre>{@code
 * ChatMemory chatMemory = OpticalSpringChatMemory.builder(memory).budget(8000).build();
 * }</pre>
 */
public final class OpticalSpringChatMemory implements ChatMemory {
  /** Where a conversation's system message is kept: a conversation of its own in the memory. */
  static final String SYSTEM_PREFIX = "spring-ai.system:";

  /** The default text before the page images. */
  public static final String DEFAULT_HEADER = "Earlier in this conversation, as page images, oldest"
      + " first (older pages are smaller and may be blurred; to read exact words, use the read tool"
      + " with a page and turn, or the recall tool with keywords):";

  /** The default text before the page images where the memory draws region marks. */
  public static final String MARKED_HEADER = "Earlier in this conversation, as page images, oldest"
      + " first; on a page, the number that starts a turn is its turn number (older pages are"
      + " smaller and may be blurred; to read exact words, use the read tool with a page and turn,"
      + " or the recall tool with keywords):";

  private final OpticalMemory memory;
  private final int budget;
  private final int floor;
  private final VisionReader reader;
  private final String header;
  private final ContextAssembler assembler;
  private final int focus;
  private final io.micrometer.core.instrument.Timer contextTimer;
  /** The turns sent as text by the last {@link #get} of each conversation, for the tools. */
  private final Cache<String, Set<Integer>> shown = Caffeine.newBuilder().maximumSize(16_384)
      .build();
  /**
   * Each conversation's page images, made ahead of the requests that send them (on a page move,
   * and after each request), and the last context it was sent; bounded, as one chat memory serves
   * every conversation of an application.
   */
  private final Cache<String, Conversation> conversations = Caffeine.newBuilder()
      .maximumSize(1024).expireAfterAccess(java.time.Duration.ofMinutes(30)).build();
  private final java.util.concurrent.Executor executor;

  /** A conversation's images and the context it was last sent. */
  private static final class Conversation {
    final PagesAhead<byte[]> pages;
    volatile AssembledContext last;

    Conversation(PagesAhead<byte[]> pages) {
      this.pages = pages;
    }
  }

  /** Page labels by segment id (segment ids are never reused). */
  private final Cache<Long, String> labels = Caffeine.newBuilder().maximumSize(65_536).build();
  private final Cache<String, Optional<SystemMessage>> systems = Caffeine.newBuilder()
      .maximumSize(16_384).build();

  private OpticalSpringChatMemory(Builder b) {
    this.memory = b.memory;
    this.budget = b.budget;
    this.floor = b.floor;
    // Spring AI's Media carries no detail level: pages are priced as the server's default reads.
    this.reader = b.reader.withHighDetailOnly();
    this.header = b.header != null ? b.header
        : b.memory.operations().regionMarks() ? MARKED_HEADER : DEFAULT_HEADER;
    this.focus = b.focus;
    this.contextTimer = b.registry == null ? null
        : dev.opticalmemory.memory.metrics.MemoryMetrics.contextTimer(b.registry);
    this.executor = b.executor != null ? b.executor : PagesAhead.defaultExecutor();
    this.assembler = ContextAssembler.builder().memory(b.memory).reader(reader)
        .recentTurnsFloor(b.floor).floorGivesWay(true).turnPricing(new Pricing()).build();
    b.memory.operations().subscribe(new PageListener(this));
  }

  private Conversation conversation(String id) {
    return conversations.get(id, c -> new Conversation(PagesAhead.of(assembler, c, executor,
        png -> png, png -> png.length)));
  }

  /**
   * Hears the memory's page moves for one chat memory, which it holds weakly: a chat memory no
   * longer used is collected, and its listener then leaves at the next transition.
   */
  private static final class PageListener implements dev.opticalmemory.memory.TransitionListener {
    private final java.lang.ref.WeakReference<OpticalSpringChatMemory> chat;
    private final OpticalMemory memory;

    PageListener(OpticalSpringChatMemory chat) {
      this.chat = new java.lang.ref.WeakReference<>(chat);
      this.memory = chat.memory;
    }

    @Override
    public void onTransition(dev.opticalmemory.memory.Transition transition) {
      OpticalSpringChatMemory c = chat.get();
      if (c == null) {
        memory.operations().unsubscribe(this);
        return;
      }
      Conversation conversation = c.conversations.getIfPresent(transition.conversation());
      if (conversation != null) {
        conversation.pages.moved(conversation.last, transition.segment(), transition.to());
      }
    }

    @Override
    public void onPageDrawn(String conversationId, long segmentId, int index) {
      OpticalSpringChatMemory c = chat.get();
      Conversation conversation = c == null ? null : c.conversations.getIfPresent(conversationId);
      if (conversation != null) {
        conversation.pages.moved(conversation.last, segmentId, dev.opticalmemory.memory.Tier.TEXT);
      }
    }
  }

  /**
   * Settings for a chat memory on {@code memory}.
   *
   * @param memory the memory, which stays the caller's to close
   * @return a builder with budget 8,000, DeepSeek-OCR's reader and a floor of 4 turns
   */
  public static Builder builder(OpticalMemory memory) {
    return new Builder(memory);
  }

  /**
   * The memory this chat memory appends to.
   *
   * @return the memory
   */
  public OpticalMemory memory() {
    return memory;
  }

  /**
   * The reader whose prices the budget is counted in.
   *
   * @return the reader
   */
  public VisionReader reader() {
    return reader;
  }

  /**
   * The budget {@link #get(String)} fits.
   *
   * @return tokens, counted for the reader
   */
  public int budget() {
    return budget;
  }

  @Override
  public void add(String conversationId, List<Message> messages) {
    String conversation = checkId(conversationId);
    if (messages == null) {
      throw new IllegalArgumentException("messages must not be null");
    }
    for (int i = 0; i < messages.size(); i++) {
      SpringTurns.check(messages.get(i), i);
    }
    // Checked whole before the first append: a batch is refused, not kept in part.
    for (Message message : messages) {
      if (message instanceof SystemMessage s) {
        Optional<SystemMessage> now = system(conversation);
        if (now.isEmpty() || !now.get().equals(s)) {
          memory.append(SYSTEM_PREFIX + conversation, SpringTurns.turn(s, bytes -> {
            throw new IllegalStateException("a system message has no media");
          }));
          systems.put(conversation, Optional.of(s));
        }
        continue;
      }
      memory.append(conversation, SpringTurns.turn(message,
          bytes -> memory.operations().attach(conversation, bytes)));
    }
  }

  @Override
  public List<Message> get(String conversationId) {
    return get(conversationId, budget, "");
  }

  /**
   * The conversation within {@code budget} tokens, its pages weighed toward {@code question}.
   *
   * @param conversationId the conversation
   * @param budget tokens, at least 1
   * @param question the user's new message (pages that match it stay sharper), or empty
   * @return the system message, the pages and the newest turns, oldest first
   */
  public List<Message> get(String conversationId, int budget, String question) {
    String conversation = checkId(conversationId);
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be at least 1, but is: " + budget);
    }
    List<Message> out = new ArrayList<>();
    Optional<SystemMessage> system = system(conversation);
    int base = reader.textCounter().count(header);
    if (system.isPresent()) {
      out.add(system.get());
      base += reader.textCounter().count(Objects.toString(system.get().getText(), ""));
    }
    if (!memory.operations().contains(conversation)) {
      shown.put(conversation, Set.of());
      return out;
    }
    Map<Long, Double> weights = new HashMap<>();
    if (question != null && !question.isBlank() && focus > 0) {
      try {
        memory.operations().relevance(conversation, question)
            .forEach((id, w) -> weights.put(id, w * focus));
      } catch (IllegalArgumentException e) {
        // a question without searchable words: no page is weighed more
      }
    }
    long start = System.nanoTime();
    AssembledContext context = assembler.assemble(conversation, Math.max(1, budget - base),
        weights);
    Conversation state = conversation(conversation);
    out.addAll(render(conversation, context, state.pages));
    state.last = context;
    state.pages.ahead(context);
    if (contextTimer != null) {
      contextTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    Set<Integer> sent = new HashSet<>();
    context.texts().forEach(t -> sent.add(t.turnNumber()));
    shown.put(conversation, Set.copyOf(sent));
    return out;
  }

  /**
   * The turns the last {@link #get} of a conversation sent as text: the tools leave them out.
   *
   * @param conversationId the conversation
   * @return turn numbers, empty before the first get
   */
  public Set<Integer> shownTurns(String conversationId) {
    Set<Integer> s = shown.getIfPresent(conversationId);
    return s == null ? Set.of() : s;
  }

  @Override
  public void clear(String conversationId) {
    String conversation = checkId(conversationId);
    memory.forget(conversation);
    memory.forget(SYSTEM_PREFIX + conversation);
    systems.put(conversation, Optional.empty());
    shown.invalidate(conversation);
    Conversation state = conversations.getIfPresent(conversation);
    if (state != null) {
      state.pages.clear();
      conversations.invalidate(conversation);
    }
  }

  private List<Message> render(String conversation, AssembledContext context,
      PagesAhead<byte[]> images) {
    List<Message> out = new ArrayList<>();
    List<PageItem> pages = context.images();
    if (!pages.isEmpty()) {
      if (pages.stream().anyMatch(p -> labels.getIfPresent(p.segment()) == null)) {
        // The segments are listed only when a page is new: a closed page's turns never change.
        for (Segment s : memory.segments(conversation)) {
          if (!s.open()) {
            labels.put(s.id(), pageLabel(s));
          }
        }
      }
      StringBuilder text = new StringBuilder(header);
      List<Media> media = new ArrayList<>();
      int n = 1;
      for (PageItem page : pages) {
        String label = labels.getIfPresent(page.segment());
        text.append('\n').append("image ").append(n++).append(": ")
            .append(label == null ? "page " + page.segmentIndex() : label);
        byte[] png = images.request(page);
        media.add(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(png)
            .name("page-" + page.segmentIndex()).build());
      }
      out.add(UserMessage.builder().text(text.toString()).media(media).build());
    }
    List<TextItem> texts = context.texts();
    // As Spring AI's window does, turns that begin after some were left out start at a user
    // message (a reply whose question is gone would open the request with the assistant, which
    // some APIs refuse), unless no user message is left: the newest turns always go.
    int from = 0;
    if (out.isEmpty() && !texts.isEmpty() && texts.get(0).turnNumber() > 0) {
      while (from < texts.size() && texts.get(from).turn().role() != Role.USER) {
        from++;
      }
      if (from == texts.size()) {
        from = 0;
      }
    }
    for (TextItem item : texts.subList(from, texts.size())) {
      out.add(SpringTurns.message(item.turn(), !item.mediaOmitted(),
          reference -> memory.operations().attachment(conversation, reference)));
    }
    return out;
  }

  /**
   * What the model reads for a page: the numbers the read tool takes.
   *
   * @param page a closed segment
   * @return "page N, turns A-B"
   */
  public static String pageLabel(Segment page) {
    return "page " + page.index() + ", turns " + page.firstTurn() + "-" + page.lastTurn();
  }

  private Optional<SystemMessage> system(String conversation) {
    return systems.get(conversation, c -> {
      String id = SYSTEM_PREFIX + c;
      if (!memory.operations().contains(id)) {
        return Optional.empty();
      }
      List<Segment> segments = memory.segments(id);
      for (int i = segments.size() - 1; i >= 0; i--) {
        List<MemoryTurn> turns = memory.operations().turns(id, segments.get(i).id());
        if (!turns.isEmpty()) {
          return Optional.of(new SystemMessage(turns.get(turns.size() - 1).text()));
        }
      }
      return Optional.empty();
    });
  }

  private static String checkId(String conversationId) {
    if (conversationId == null || conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank, but is: "
          + (conversationId == null ? "null" : "'" + conversationId + "'"));
    }
    return conversationId;
  }

  /** Prices a turn as {@link SpringTurns#message} sends it. */
  private final class Pricing implements TurnPricing {
    @Override
    public int price(MemoryTurn turn) {
      int tokens = reader.textCounter().count(turn.text());
      for (SpringTurns.StoredMedia m : SpringTurns.media(turn)) {
        tokens += imageTokens(m);
      }
      return tokens;
    }

    @Override
    public int priceWithoutMedia(MemoryTurn turn) {
      List<SpringTurns.StoredMedia> media = SpringTurns.media(turn);
      if (media.isEmpty()) {
        return price(turn);
      }
      return reader.textCounter().count(turn.text())
          + media.size() * reader.textCounter().count("\n" + SpringTurns.omittedMarker(turn));
    }

    @Override
    public int images(MemoryTurn turn) {
      return SpringTurns.media(turn).size();
    }

    @Override
    public int pageLabelPrice(Segment page) {
      return reader.textCounter().count("\nimage 99: " + pageLabel(page));
    }

    private int imageTokens(SpringTurns.StoredMedia m) {
      // An image whose size could not be read (a URL, which is not fetched) costs the most an
      // image can: never an under-count.
      return m.width() == 0 || m.height() == 0 ? reader.largestImageTokens()
          : reader.price(m.width(), m.height(), Detail.HIGH).tokens();
    }
  }

  /** Settings; validated as they are given. */
  public static final class Builder {
    private final OpticalMemory memory;
    private int budget = 8000;
    private int floor = 4;
    private VisionReader reader = VisionReader.deepSeekOcr();
    private String header;
    private int focus = 16;
    private io.micrometer.core.instrument.MeterRegistry registry;
    private java.util.concurrent.Executor executor;

    private Builder(OpticalMemory memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * The most tokens {@link #get(String)} returns, counted for the reader.
     *
     * @param tokens 1 to 10,000,000
     * @return this builder
     */
    public Builder budget(int tokens) {
      if (tokens < 1 || tokens > 10_000_000) {
        throw new IllegalArgumentException("budget must be between 1 and 10000000 tokens, but is: "
            + tokens);
      }
      this.budget = tokens;
      return this;
    }

    /**
     * The reader whose prices the budget is counted in.
     *
     * @param reader a reader, such as {@code VisionReader.named("openai")}
     * @return this builder
     */
    public Builder reader(VisionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /**
     * The newest turns kept as text before any page, where they fit.
     *
     * @param turns 0 to 1,000
     * @return this builder
     */
    public Builder recentTurnsFloor(int turns) {
      if (turns < 0 || turns > 1000) {
        throw new IllegalArgumentException("recentTurnsFloor must be between 0 and 1000, but is: "
            + turns);
      }
      this.floor = turns;
      return this;
    }

    /**
     * The text before the page images; default {@link #DEFAULT_HEADER}, or
     * {@link #MARKED_HEADER} where the memory draws region marks.
     *
     * @param header not blank
     * @return this builder
     */
    public Builder header(String header) {
      if (header == null || header.isBlank()) {
        throw new IllegalArgumentException("header must not be blank, but is: " + header);
      }
      this.header = header;
      return this;
    }

    /**
     * How much more the pages that match the user's message weigh when pages must get cheaper:
     * their weight is multiplied by one plus this times the match (0 to 1); 0 turns it off.
     *
     * @param focus 0 to 1,000
     * @return this builder
     */
    public Builder focus(int focus) {
      if (focus < 0 || focus > 1000) {
        throw new IllegalArgumentException("focus must be between 0 and 1000, but is: " + focus);
      }
      this.focus = focus;
      return this;
    }

    /**
     * Where page images are made ahead of the requests that send them; by default one daemon
     * thread shared by the process.
     *
     * @param executor an executor
     * @return this builder
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      this.executor = java.util.Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where each context assembly is timed ({@code optical.memory.context}); none by default.
     *
     * @param registry a Micrometer registry
     * @return this builder
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.registry = java.util.Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The chat memory.
     *
     * @return a chat memory on the builder's memory
     */
    public OpticalSpringChatMemory build() {
      return new OpticalSpringChatMemory(this);
    }
  }
}
