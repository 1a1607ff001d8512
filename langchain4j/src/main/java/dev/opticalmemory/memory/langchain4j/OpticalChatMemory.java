package dev.opticalmemory.memory.langchain4j;

import static java.lang.System.Logger.Level.WARNING;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A LangChain4j {@link ChatMemory} backed by an {@link OpticalMemory}: every message is appended to
 * the memory, where older turns become page images that fade tier by tier; {@link #messages()}
 * gives the LLM, within a token budget counted the reader's way:
 *
 * <ol>
 *   <li>the system message, if any;
 *   <li>one user message with a short header and the old pages as {@link ImageContent} (base64 PNG,
 *       oldest first; OpenAI's low detail for a tier the reader sends at low detail);
 *   <li>the recent messages as they were added, tool calls with their results.
 * </ol>
 *
 * <pre>{@code
 * ChatMemory chatMemory = OpticalChatMemory.builder()
 *     .id("user-42").memory(memory).budget(8_000).reader(VisionReader.openAi()).build();
 * }</pre>
 *
 * <p>It keeps LangChain4j's chat-memory promises: every message type is stored and given back in
 * order (a {@link dev.langchain4j.data.message.CustomMessage} with its attributes); a tool call
 * stays with its results; the system message is one per conversation, the latest wins, kept in the
 * memory beside the conversation and first again after a restart; and {@link #messages()} never
 * throws for a chat. Every message is priced as the reader will pay for it: a user's image at the
 * reader's price for its size and detail ({@link VisionTokenCountEstimator}), once, where the
 * context is assembled. When old images no longer fit they leave as other old content does: the
 * turn's text stays, with a short marker where the image was (the memory keeps the image, and a
 * later context with more room sends it again). If even the newest turns under the floor exceed
 * the budget, the newest messages that fit are returned, always the latest one and the tool call
 * its result answers; that is logged once per conversation. {@link #clear()} forgets the
 * conversation and its system message. Thread-safe as far as the memory is: one conversation's
 * messages are appended in order.
 */
public final class OpticalChatMemory implements ChatMemory {
  private static final System.Logger LOG = System.getLogger(OpticalChatMemory.class.getName());

  /** Where a conversation's system message is kept: a conversation of its own in the memory. */
  static final String SYSTEM_PREFIX = "langchain4j.system:";

  /** The default header before the page images. */
  public static final String DEFAULT_HEADER = "Earlier in this conversation, as page images, oldest"
      + " first, each after its page number and turns (older pages are smaller and may be blurred;"
      + " to read exact words, use the read tool with a page and turn, or the recall tool with"
      + " keywords):";

  /** The default header where the memory draws region marks on its pages. */
  public static final String MARKED_HEADER = "Earlier in this conversation, as page images, oldest"
      + " first, each after its page number and turns; on a page, the number that starts a turn is"
      + " its turn number (older pages are smaller and may be blurred; to read exact words, use the"
      + " read tool with a page and turn, or the recall tool with keywords):";

  private final Object id;
  private final String conversation;
  private final OpticalMemory memory;
  private final int budget;
  private final int floor;
  private final ContextAssembler assembler;
  private final VisionTokenCountEstimator estimator;
  private final String header;
  private final VisionReader reader;
  /**
   * Turns as messages, by {@link #key}, so a request does not parse stored JSON again; bounded by
   * characters (32 Mi), as a user's image comes back as base64.
   */
  private final Cache<TurnKey, ChatMessage> messages = Caffeine.newBuilder()
      .maximumWeight(32L << 20).<TurnKey, ChatMessage>weigher((key, m) -> weight(m)).build();
  private volatile SystemMessage system;
  private volatile boolean systemLoaded;
  private final String systemConversation;
  /**
   * The images this memory was given last, as the base64 they came in, by reference (16 Mi
   * characters, newest kept): the request that follows an add sends the same string rather than
   * encoding the stored bytes again.
   */
  private final NewestImages sentImages = new NewestImages(16L << 20);
  /**
   * The turns of the last request as messages: the next request sends most of them again, and the
   * cache above may refuse a new photo's message (its admission favours entries read often).
   */
  private volatile Map<TurnKey, ChatMessage> lastSent = Map.of();
  /**
   * Prices of turns as messages (with and without media) and their image counts, by a key of the
   * turn's content: a photo is read from the store and encoded once, not on every request.
   */
  private final Cache<TurnKey, Priced> prices = Caffeine.newBuilder().maximumSize(4096).build();
  /** Page labels' prices by segment id; a page is a closed segment, whose turns never change. */
  private final Cache<Long, Integer> labelPrices = Caffeine.newBuilder().maximumSize(4096).build();

  /** A turn's price as a message, with and without its media, and its weight in bytes. */
  private record Priced(int tokens, int bareTokens, int images, long bytes, long bareBytes) {}

  /** What a message weighs in a request: its text as UTF-8, its images as their base64. */
  static long bytes(ChatMessage message) {
    if (message instanceof UserMessage user) {
      long bytes = 0;
      for (Content c : user.contents()) {
        if (c instanceof TextContent t) {
          bytes += t.text().getBytes(StandardCharsets.UTF_8).length;
        } else if (c instanceof ImageContent image) {
          bytes += image.image().base64Data() != null ? image.image().base64Data().length()
              : String.valueOf(image.image().url()).length();
        }
      }
      return bytes;
    }
    String text = ChatTurns.text(message);
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
  private final dev.opticalmemory.memory.context.PagesAhead<String> pages;
  private final AtomicBoolean warnedOverBudget = new AtomicBoolean();
  private final AtomicBoolean warnedOverBytes = new AtomicBoolean();
  private String callGroup;
  private volatile AssembledContext lastContext;
  /** Page labels by segment id; a page is a closed segment, whose turns never change. */
  private final Map<Long, String> labelCache = new java.util.concurrent.ConcurrentHashMap<>();

  /** Bytes of a request kept for the system message and the pages' labels. */
  static final long REQUEST_RESERVE_BYTES = 64 * 1024;
  private final long maxRequestBytes;

  private OpticalChatMemory(Builder b) {
    this.id = b.id;
    this.conversation = String.valueOf(b.id);
    this.memory = b.memory;
    this.budget = b.budget;
    this.floor = b.floor;
    this.estimator = new VisionTokenCountEstimator(b.reader);
    this.systemConversation = SYSTEM_PREFIX + conversation;
    this.header = b.header != null ? b.header
        : b.memory.operations().regionMarks() ? MARKED_HEADER : DEFAULT_HEADER;
    ContextAssembler.Builder assembly = ContextAssembler.builder().memory(b.memory)
        .reader(b.reader).recentTurnsFloor(b.floor).turnPricing(new MessagePricing())
        .floorGivesWay(true);
    if (b.maxImages != null) {
      assembly.maxImages(b.maxImages);
    }
    this.maxRequestBytes = b.maxRequestBytes != null ? b.maxRequestBytes
        : b.reader.maxRequestBytes();
    if (maxRequestBytes != Long.MAX_VALUE) {
      // The system message, the header and the pages' labels are not the assembler's.
      assembly.maxRequestBytes(Math.max(1, maxRequestBytes - REQUEST_RESERVE_BYTES
          - header.getBytes(StandardCharsets.UTF_8).length));
    }
    this.assembler = assembly.build();
    this.reader = b.reader;
    this.pages = dev.opticalmemory.memory.context.PagesAhead.of(assembler, conversation,
        b.executor != null ? b.executor
            : dev.opticalmemory.memory.context.PagesAhead.defaultExecutor(),
        png -> Base64.getEncoder().encodeToString(png), String::length);
    b.memory.operations().subscribe(new PageListener(this));
  }

  /**
   * Hears the memory's page moves for one chat memory, which it holds weakly: a chat memory that is
   * no longer used is collected, and its listener then leaves at the next transition.
   */
  private static final class PageListener implements dev.opticalmemory.memory.TransitionListener {
    private final java.lang.ref.WeakReference<OpticalChatMemory> chat;
    private final String conversation;
    private final OpticalMemory memory;

    PageListener(OpticalChatMemory chat) {
      this.chat = new java.lang.ref.WeakReference<>(chat);
      this.conversation = chat.conversation;
      this.memory = chat.memory;
    }

    @Override
    public void onTransition(dev.opticalmemory.memory.Transition transition) {
      OpticalChatMemory c = chat.get();
      if (c == null) {
        memory.operations().unsubscribe(this);
      } else if (transition.conversation().equals(conversation)) {
        c.pages.moved(c.lastContext, transition.segment(), transition.to());
      }
    }

    @Override
    public void onPageDrawn(String conversation, long segmentId, int index) {
      OpticalChatMemory c = chat.get();
      if (c != null && conversation.equals(this.conversation)) {
        c.pages.moved(c.lastContext, segmentId, Tier.TEXT);
      }
    }
  }

  /**
   * A builder; id, memory and budget are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Object id() {
    return id;
  }

  /**
   * The conversation id in the memory: {@code String.valueOf(id)}.
   *
   * @return the conversation id
   */
  public String conversation() {
    return conversation;
  }

  /**
   * Prices a turn in the form {@link #render} sends it: its LangChain4j message (a tool result whose
   * call is on a page goes as "Result of ..." text, so that is priced when dearer), and without
   * media, the same message with markers for its images.
   */
  private final class MessagePricing implements dev.opticalmemory.memory.context.TurnPricing {
    @Override
    public int price(dev.opticalmemory.memory.MemoryTurn turn) {
      return prices(turn).tokens();
    }

    @Override
    public int priceWithoutMedia(dev.opticalmemory.memory.MemoryTurn turn) {
      return prices(turn).bareTokens();
    }

    @Override
    public int images(dev.opticalmemory.memory.MemoryTurn turn) {
      return prices(turn).images();
    }

    @Override
    public long bytes(dev.opticalmemory.memory.MemoryTurn turn) {
      return prices(turn).bytes();
    }

    @Override
    public long bytesWithoutMedia(dev.opticalmemory.memory.MemoryTurn turn) {
      return prices(turn).bareBytes();
    }

    @Override
    public int pageLabelPrice(Segment page) {
      return labelPrices.get(page.id(), id -> estimator.estimateTokenCountInText(pageLabel(page)));
    }

    private Priced prices(dev.opticalmemory.memory.MemoryTurn turn) {
      return OpticalChatMemory.this.prices.get(key(turn), k -> {
        ChatMessage message = message(turn);
        int full = estimator.estimateTokenCountInMessage(message);
        if (message instanceof ToolExecutionResultMessage result) {
          full = Math.max(full, estimator.estimateTokenCountInText(orphan(result)));
        }
        ChatMessage bareMessage = ChatTurns.withoutMedia(message, turn.timestamp());
        int bare = bareMessage == message ? full
            : estimator.estimateTokenCountInMessage(bareMessage);
        int images = message instanceof UserMessage user ? (int) user.contents().stream()
            .filter(c -> c instanceof ImageContent).count() : 0;
        long bytes = OpticalChatMemory.bytes(message);
        long bareBytes = bareMessage == message ? bytes : OpticalChatMemory.bytes(bareMessage);
        return new Priced(full, Math.min(full, bare), images, bytes, Math.min(bytes, bareBytes));
      });
    }
  }

  /**
   * A turn's identity for the caches: its time, role and the hashes of its text and stored message
   * (a String keeps its hash), so that pricing and rendering parse a message's JSON once.
   */
  private record TurnKey(long seconds, int nanos, int text, int jsonLength, int json, Role role) {}

  private static TurnKey key(dev.opticalmemory.memory.MemoryTurn turn) {
    String json = turn.attributes().get(ChatTurns.MESSAGE_ATTRIBUTE);
    Instant at = turn.timestamp();
    return new TurnKey(at == null ? Long.MIN_VALUE : at.getEpochSecond(),
        at == null ? 0 : at.getNano(), turn.text().hashCode(), json == null ? -1 : json.length(),
        json == null ? 0 : json.hashCode(), turn.role());
  }

  /** About how many characters a message holds: its images' base64 and a share for the rest. */
  private static int weight(ChatMessage message) {
    int weight = 256;
    if (message instanceof UserMessage user) {
      for (Content c : user.contents()) {
        if (c instanceof ImageContent image && image.image().base64Data() != null) {
          weight += image.image().base64Data().length();
        } else if (c instanceof TextContent t) {
          weight += t.text().length();
        }
      }
    }
    return weight;
  }

  /** The turn as the message it was made from, parsed once. */
  private ChatMessage message(dev.opticalmemory.memory.MemoryTurn turn) {
    return messages.get(key(turn), k -> ChatTurns.restored(ChatTurns.message(turn),
        reference -> {
          String sent = sentImages.get(reference);
          return sent != null ? Optional.of(sent) : memory.operations().attachment(conversation, reference)
              .map(bytes -> Base64.getEncoder().encodeToString(bytes));
        }));
  }

  private static String orphan(ToolExecutionResultMessage result) {
    return "Result of " + result.toolName() + ": " + result.text();
  }

  /** The conversation's system message, kept in the memory: the newest one appended. */
  private SystemMessage system() {
    if (!systemLoaded) {
      synchronized (this) {
        if (!systemLoaded) {
          system = storedSystem();
          systemLoaded = true;
        }
      }
    }
    return system;
  }

  private SystemMessage storedSystem() {
    if (!memory.operations().contains(systemConversation)) {
      return null;
    }
    List<Segment> segments = memory.segments(systemConversation);
    for (int i = segments.size() - 1; i >= 0; i--) {
      List<dev.opticalmemory.memory.MemoryTurn> turns =
          memory.operations().turns(systemConversation, segments.get(i).id());
      if (!turns.isEmpty() && ChatTurns.message(turns.get(turns.size() - 1))
          instanceof SystemMessage s) {
        return s;
      }
    }
    return null;
  }

  @Override
  public synchronized void add(ChatMessage message) {
    Objects.requireNonNull(message, "message");
    if (message instanceof SystemMessage s) {
      SystemMessage now = system();
      if (now == null || !now.equals(s)) {
        memory.append(systemConversation, ChatTurns.turn(s, null));
        system = s;
      }
      return;
    }
    String group = null;
    if (message instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
      String first = ai.toolExecutionRequests().get(0).id();
      callGroup = "call-" + (first != null ? first : java.util.UUID.randomUUID().toString());
      group = callGroup;
    } else if (message instanceof ToolExecutionResultMessage) {
      group = callGroup;
    } else {
      callGroup = null;
    }
    ChatMessage stored = ChatTurns.attached(message, (bytes, base64) -> {
      String reference = memory.operations().attach(conversation, bytes);
      sentImages.put(reference, base64);
      return reference;
    });
    memory.append(conversation, ChatTurns.turn(stored, group));
  }

  @Override
  public List<ChatMessage> messages() {
    SystemMessage sys = system();
    List<ChatMessage> head = new ArrayList<>();
    if (sys != null) {
      head.add(sys);
    }
    if (!memory.operations().contains(conversation)) {
      return head;
    }
    // The system message and the header are kept aside; every turn and page (with its label) is
    // priced by the assembler as it is sent, so one plan fits.
    int base = estimator.estimateTokenCountInMessages(head)
        + estimator.estimateTokenCountInText(header);
    AssembledContext context = assembler.assemble(conversation, Math.max(1, budget - base));
    List<ChatMessage> out = new ArrayList<>(head);
    out.addAll(render(context));
    int cost = estimator.estimateTokenCountInMessages(out);
    if (cost > budget || !floorKept(context)) {
      warnOnce(cost);
    }
    if (maxRequestBytes != Long.MAX_VALUE) {
      long weight = out.stream().mapToLong(OpticalChatMemory::bytes).sum();
      if (weight > maxRequestBytes && warnedOverBytes.compareAndSet(false, true)) {
        LOG.log(WARNING,
            "a request of '" + conversation + "' weighs " + weight + " bytes, over the "
            + maxRequestBytes + " set: the system message or the newest turn's own images are"
            + " heavier than the room kept for them; raise maxRequestBytes");
      }
    }
    lastContext = context;
    pages.ahead(context);
    return out;
  }

  /** Whether the newest turns under the floor are all there as text. */
  private boolean floorKept(AssembledContext context) {
    Set<Integer> shown = new HashSet<>();
    context.texts().forEach(t -> shown.add(t.turnNumber()));
    for (int n = context.turns() - 1; n >= Math.max(0, context.turns() - floor); n--) {
      if (!shown.contains(n)) {
        return false;
      }
    }
    return true;
  }

  /** Once per conversation: the newest turns alone do not fit, so fewer (or more) were sent. */
  private void warnOnce(int cost) {
    if (warnedOverBudget.compareAndSet(false, true)) {
      LOG.log(WARNING, "budget of " + budget + " tokens cannot hold the system message and the"
          + " newest turns of '" + conversation + "' (this request costs " + cost + "): the newest"
          + " messages that fit were sent, and at least the latest one; raise the budget or lower"
          + " the floor");
    }
  }

  /**
   * The context behind the last {@link #messages()}: every item, its tier and its cost.
   *
   * @return the last context, or null before the first call
   */
  public AssembledContext lastContext() {
    return lastContext;
  }

  private List<ChatMessage> render(AssembledContext context) {
    Map<TurnKey, ChatMessage> last = lastSent;
    Map<TurnKey, ChatMessage> sent = new java.util.HashMap<>();
    List<ChatMessage> texts = new ArrayList<>();
    Set<String> calls = new HashSet<>();
    List<String> orphans = new ArrayList<>();
    for (TextItem item : context.texts()) {
      // A turn whose images are left out is not restored: its images are not read or encoded.
      ChatMessage message = item.mediaOmitted()
          ? ChatTurns.withoutMedia(ChatTurns.message(item.turn()), item.turn().timestamp())
          : sent.computeIfAbsent(key(item.turn()),
              k -> Objects.requireNonNullElseGet(last.get(k), () -> message(item.turn())));
      if (message instanceof AiMessage ai) {
        ai.toolExecutionRequests().forEach(r -> calls.add(String.valueOf(r.id())));
      }
      if (message instanceof ToolExecutionResultMessage result
          && !calls.contains(String.valueOf(result.id()))) {
        // Its call is on a page: keep the result, as text beside the pages.
        orphans.add(orphan(result));
        continue;
      }
      texts.add(message);
    }
    List<ChatMessage> out = new ArrayList<>();
    List<PageItem> images = context.images();
    if (!images.isEmpty() || !orphans.isEmpty()) {
      List<Content> contents = new ArrayList<>();
      contents.add(TextContent.from(header));
      Map<Long, String> labels = labels(images);
      for (PageItem image : images) {
        String label = labels.get(image.segment());
        if (label != null) {
          contents.add(TextContent.from(label));
        }
        contents.add(ImageContent.from(pages.request(image), "image/png",
            image.detail() == Detail.LOW ? ImageContent.DetailLevel.LOW
                : ImageContent.DetailLevel.HIGH));
      }
      for (String orphan : orphans) {
        contents.add(TextContent.from(orphan));
      }
      out.add(UserMessage.from(contents));
    }
    out.addAll(texts);
    lastSent = sent;
    return out;
  }

  /**
   * The labels of these pages, from the cache; the memory's segments are listed only when a page
   * is new (a closed segment's numbers never change).
   */
  private Map<Long, String> labels(List<PageItem> images) {
    if (images.stream().anyMatch(i -> !labelCache.containsKey(i.segment()))) {
      for (Segment s : memory.segments(conversation)) {
        if (!s.open()) {
          labelCache.putIfAbsent(s.id(), pageLabel(s));
        }
      }
    }
    return labelCache;
  }

  /**
   * What the model reads before a page image: the numbers {@link ReadTool} takes.
   *
   * @param page a closed segment
   * @return "page N, turns A-B:"
   */
  public static String pageLabel(Segment page) {
    return "page " + page.index() + ", turns " + page.firstTurn() + "-" + page.lastTurn() + ":";
  }











  /** Images requests had to make themselves, not found made ahead (for tests and benchmarks). */
  long imagesMadeOnRequest() {
    return pages.imagesMadeOnRequest();
  }

  /** Waits until the images made ahead have all been made (for tests). */
  boolean awaitPagesAhead(Duration timeout) throws InterruptedException {
    return pages.awaitAhead(timeout);
  }

  /** Forgets the whole conversation in the memory, and its system message. */
  @Override
  public synchronized void clear() {
    memory.forget(conversation);
    memory.forget(systemConversation);
    system = null;
    systemLoaded = true;
    prices.invalidateAll();
    labelPrices.invalidateAll();
    callGroup = null;
    lastContext = null;
    labelCache.clear();
    pages.clear();
    messages.invalidateAll();
    sentImages.clear();
    lastSent = Map.of();
  }

  /** Settings; {@code id}, {@code memory} and {@code budget} are required. */
  public static final class Builder {
    private Object id;
    private OpticalMemory memory;
    private int budget;
    private VisionReader reader = VisionReader.openAi();
    private Long maxRequestBytes;
    private int floor = 4;
    private Integer maxImages;
    private String header;
    private java.util.concurrent.Executor executor;

    private Builder() {}

    /**
     * Runs the page images made ahead of the requests that will send them (after a request, and
     * when the memory moves a page the last request sent). Default: one daemon thread shared by
     * the process's chat memories, started on first use and ended after 30 s idle; not the
     * memory's executor, whose queue holds each page's rendering, aging and decoding, behind which
     * an image made ahead comes too late for the next request.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The chat memory id (AiServices' {@code @MemoryId}); the conversation is its string form.
     *
     * @param id the chat memory id
     * @return this builder
     */
    public Builder id(Object id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * The memory the chat is kept in; required.
     *
     * @param memory the memory
     * @return this builder
     */
    public Builder memory(OpticalMemory memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /**
     * The most tokens {@link #messages()} may cost the reader, 100 to 10,000,000.
     *
     * @param tokens the budget
     * @return this builder
     */
    public Builder budget(int tokens) {
      if (tokens < 100 || tokens > 10_000_000) {
        throw new IllegalArgumentException("budget must be between 100 and 10000000 tokens, but is: "
            + tokens);
      }
      this.budget = tokens;
      return this;
    }

    /**
     * Who reads the messages; default {@link VisionReader#openAi()}.
     *
     * @param reader the reader
     * @return this builder
     */
    public Builder reader(VisionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /**
     * The most images one request may carry, pages and users' images together; default the
     * reader's {@link VisionReader#maxImagesPerRequest()} (see
     * {@link ContextAssembler.Builder#maxImages}).
     *
     * @param images at least 1
     * @return this builder
     * @throws IllegalArgumentException if images is below 1
     */
    public Builder maxImages(int images) {
      ContextAssembler.builder().maxImages(images); // validates
      this.maxImages = images;
      return this;
    }

    /**
     * The most bytes one request may weigh, images as base64; default the reader's
     * {@link VisionReader#maxRequestBytes()}. The system message and the pages' labels are given
     * 64 KiB of it; the rest is fitted as {@link ContextAssembler.Builder#maxRequestBytes} says.
     *
     * @param bytes at least 128 KiB
     * @return this builder
     * @throws IllegalArgumentException if bytes is below 128 KiB
     */
    public Builder maxRequestBytes(long bytes) {
      if (bytes < 2 * REQUEST_RESERVE_BYTES) {
        throw new IllegalArgumentException("maxRequestBytes must be at least "
            + 2 * REQUEST_RESERVE_BYTES + ", but is: " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * How many newest turns always stay as text (a tool call with its results is one); default 4.
     *
     * @param turns the newest turns kept as text
     * @return this builder
     */
    public Builder recentTurnsFloor(int turns) {
      ContextAssembler.builder().recentTurnsFloor(turns); // validates
      this.floor = turns;
      return this;
    }

    /**
     * The text before the page images; default {@link #DEFAULT_HEADER}, or
     * {@link #MARKED_HEADER} where the memory draws region marks.
     *
     * @param header the header
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
     * The chat memory.
     *
     * @return the chat memory
     * @throws IllegalArgumentException if the id, memory or budget is missing or invalid
     */
    public OpticalChatMemory build() {
      if (id == null || memory == null || budget == 0) {
        throw new IllegalArgumentException("id, memory and budget are required, but "
            + (id == null ? "id" : memory == null ? "memory" : "budget") + " is missing");
      }
      return new OpticalChatMemory(this);
    }
  }
}
