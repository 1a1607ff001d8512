package dev.opticalmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.mcp.ToolArguments.ToolException;
import dev.opticalmemory.memory.ConversationStats;
import dev.opticalmemory.memory.MemoryException;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.Retrieval;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.ToolText;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.ContextBudgetException;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/** The server's tools over one memory: their schemas, their descriptions and their handlers. */
final class MemoryTools {
  static final int MAX_TEXT_CHARS = OpticalMemory.DEFAULT_MAX_TURN_CHARS;
  static final int MAX_QUERY_CHARS = 2_000;
  static final int MAX_K = 20;
  static final int MAX_READ_TURNS = 20;
  static final int MAX_BUDGET = 1_000_000;

  private static final System.Logger LOG = System.getLogger(MemoryTools.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpticalMemory memory;
  private final ConversationScope conversations;
  private final Clock clock;
  private final String defaultReader;
  private final long maxContextBytes;
  private final Map<String, ContextAssembler> assemblers = new ConcurrentHashMap<>();
  private final Cancellations cancellations;

  MemoryTools(OpticalMemory memory, ConversationScope conversations, Clock clock, String defaultReader,
      long maxContextBytes, Cancellations cancellations) {
    this.cancellations = cancellations;
    this.memory = memory;
    this.conversations = conversations;
    this.clock = clock;
    this.defaultReader = defaultReader;
    this.maxContextBytes = maxContextBytes;
  }

  List<SyncToolSpecification> specifications() {
    List<SyncToolSpecification> tools = new ArrayList<>();
    tools.add(tool("remember", "Remember",
        "Stores a turn of the conversation (give text), or keeps an earlier part sharp for the long"
            + " term (give keywords: the turns that best match are pinned, so they never fade).",
        schema(Map.of(
            "text", prop("string", "the turn's text, to append to the conversation"),
            "role", Map.of("type", "string", "enum", List.of("user", "assistant", "system",
                "tool"), "description", "who said it (default user)"),
            "speaker", prop("string", "the speaker's name, written before the text on the page"),
            "key", prop("string", "an idempotency key: a turn sent again with the same key is"
                + " stored once"),
            "keywords", prop("string", "instead of text: distinctive words of what to keep sharp")),
            List.of()),
        this::remember));
    tools.add(tool("recall", "Recall",
        "Reads back the exact words of earlier parts of the conversation, including those kept only"
            + " as page images or no longer shown. Give a few distinctive keywords: names, numbers,"
            + " places.",
        schema(Map.of(
            "query", prop("string", "what to look for, as distinctive keywords"),
            "k", Map.of("type", "integer", "minimum", 1, "maximum", MAX_K,
                "description", "how many pages at most (default 5)"),
            "retrieval", Map.of("type", "string", "enum", List.of("lexical", "dense", "hybrid"),
                "description", "how to rank pages: lexical (BM25, the default), dense (by"
                    + " meaning) or hybrid")),
            List.of("query")),
        this::recall));
    tools.add(tool("read", "Read a page",
        "Reads back, exactly, turns of an earlier page. Pages sent as images are labelled 'page N,"
            + " turns A-B' (where a turn on a page starts with a number, that is its turn number);"
            + " give the page and the first turn to read.",
        schema(Map.of(
            "page", Map.of("type", "integer", "minimum", 0, "description", "the page number"),
            "fromTurn", Map.of("type", "integer", "minimum", 0,
                "description", "the first turn to read, within the page's turns"),
            "count", Map.of("type", "integer", "minimum", 1, "maximum", MAX_READ_TURNS,
                "description", "how many turns (default 10)")),
            List.of("page", "fromTurn")),
        this::read));
    tools.add(tool("context", "Context at a budget",
        "The conversation as a vision model should see it within a token budget: recent turns as"
            + " text, older ones as page images (PNG), each labelled with its page, turns and"
            + " token price for the reader.",
        schema(Map.of(
            "budget", Map.of("type", "integer", "minimum", 1, "maximum", MAX_BUDGET,
                "description", "tokens the context may cost the reader"),
            "reader", Map.of("type", "string", "enum", VisionReader.NAMES,
                "description", "the model that will read the context, which sets what an image"
                    + " costs (default " + defaultReader + ")")),
            List.of("budget")),
        this::context));
    tools.add(tool("pin", "Pin a turn",
        "Keeps one turn sharp: its page stays at full resolution, whatever its age.",
        schema(Map.of("turn", Map.of("type", "integer", "minimum", 0,
            "description", "the turn's number")), List.of("turn")),
        (args, x) -> pin(args, true)));
    tools.add(tool("unpin", "Unpin a turn",
        "Lets a pinned turn age again like the others.",
        schema(Map.of("turn", Map.of("type", "integer", "minimum", 0,
            "description", "the turn's number")), List.of("turn")),
        (args, x) -> pin(args, false)));
    tools.add(tool("stats", "Statistics",
        "The conversation's figures: turns, pages per tier, text tokens, bytes stored, work left.",
        schema(Map.of(), List.of()), (args, x) -> stats(args)));
    tools.add(tool("forget", "Forget a conversation",
        "Deletes a whole conversation, with its pages and pins. It cannot be undone: give confirm"
            + " equal to the conversation id.",
        schema(Map.of("confirm", prop("string", "the conversation id again, to confirm")),
            List.of("confirm")),
        (args, x) -> forget(args)));
    return tools;
  }

  private interface Handler extends BiFunction<Call, McpSyncServerExchange, CallToolResult> {
  }

  /**
   * A call's arguments, with its conversation resolved, and whether its client has cancelled it.
   */
  record Call(String conversation, ToolArguments args, CallToolRequest request,
      java.util.function.BooleanSupplier cancelled) {
    /** Ends the call with an error result if its client has cancelled it. */
    void stopIfCancelled(String tool) {
      if (cancelled.getAsBoolean()) {
        throw new ToolException(tool + ": cancelled by the client");
      }
    }
  }

  private SyncToolSpecification tool(String name, String title, String description,
      Map<String, Object> schema, Handler handler) {
    @SuppressWarnings("unchecked")
    Set<String> known = ((Map<String, Object>) schema.get("properties")).keySet();
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(title)
        .description(description).inputSchema(schema).build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
      try {
        ToolArguments args = new ToolArguments(name, request.arguments());
        args.refuseOthers(known);
        String conversation = conversations.resolve(name, args);
        return handler.apply(new Call(conversation, args, request,
            cancellations.cancelled(request)), exchange);
      } catch (ToolException | IllegalArgumentException | ContextBudgetException e) {
        String message = e.getMessage();
        return error(e instanceof ToolException || message.startsWith(name + ":") ? message
            : name + ": " + message);
      } catch (MemoryException e) {
        LOG.log(System.Logger.Level.WARNING, name + " failed", e);
        return error(name + ": the memory failed: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, name + " failed", e);
        return error(name + ": failed: " + e);
      } finally {
        cancellations.finished(request);
      }
    }).build();
  }

  static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }

  private static Map<String, Object> prop(String type, String description) {
    return Map.of("type", type, "description", description);
  }

  /** A tool's input schema: the conversation id beside its own properties. */
  private static Map<String, Object> schema(Map<String, Object> own, List<String> required) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(ConversationScope.ARGUMENT, prop("string", "the conversation id"));
    properties.putAll(new java.util.TreeMap<>(own));
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  private CallToolResult remember(Call call, McpSyncServerExchange exchange) {
    ToolArguments a = call.args();
    String text = a.optionalString("text", MAX_TEXT_CHARS);
    String keywords = a.optionalString("keywords", MAX_QUERY_CHARS);
    if ((text == null) == (keywords == null)) {
      throw a.refuse("give either text (to store a turn) or keywords (to keep turns sharp),"
          + " not " + (text == null ? "neither" : "both"));
    }
    if (keywords != null) {
      for (String other : List.of("role", "speaker", "key")) {
        if (call.request().arguments().containsKey(other)) {
          throw a.refuse(other + " goes with text, not with keywords");
        }
      }
      return keepSharp(call.conversation(), keywords);
    }
    Role role = Role.valueOf(a.choice("role", "user", List.of("user", "assistant", "system",
        "tool")).toUpperCase(Locale.ROOT));
    String speaker = a.optionalString("speaker", 200);
    String key = a.optionalString("key", 200);
    MemoryTurn turn = new MemoryTurn(role, speaker == null ? "" : speaker, text, clock.instant(),
        Map.of());
    int n = key == null ? memory.append(call.conversation(), turn)
        : memory.append(call.conversation(), turn, key);
    return text("Stored as turn " + n + " of conversation " + call.conversation() + ".");
  }

  private CallToolResult keepSharp(String conversation, String keywords) {
    if (!memory.operations().contains(conversation)) {
      return text("Nothing is in conversation " + conversation + " yet to keep.");
    }
    List<Recollection> found = memory.recall(conversation, RecallRequest.of(keywords).k(1));
    if (found.isEmpty()) {
      return text("Nothing in the conversation matches: " + keywords);
    }
    List<Integer> turns = new ArrayList<>();
    found.get(0).turns().stream().filter(RecalledTurn::match).forEach(t -> turns.add(t.turn()));
    int pinned = 0;
    for (int turn : turns) {
      if (memory.pin(conversation, turn)) {
        pinned++;
      }
    }
    return text("Kept sharp: turn" + (turns.size() == 1 ? " " : "s ")
        + turns.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
        + " (" + (pinned == 0 ? "already pinned" : pinned + " newly pinned") + ").");
  }

  private CallToolResult recall(Call call, McpSyncServerExchange exchange) {
    ToolArguments a = call.args();
    String query = a.string("query", MAX_QUERY_CHARS);
    int k = a.integer("k", RecallRequest.DEFAULT_K, 1, MAX_K);
    String retrieval = a.choice("retrieval", null, List.of("lexical", "dense", "hybrid"));
    if (!memory.operations().contains(call.conversation())) {
      return text("Nothing is remembered in conversation " + call.conversation() + " yet.");
    }
    RecallRequest request = RecallRequest.of(query).k(k);
    if (retrieval != null) {
      request = request.retrieval(Retrieval.valueOf(retrieval.toUpperCase(Locale.ROOT)));
    }
    List<Recollection> found = memory.recall(call.conversation(), request);
    if (found.isEmpty()) {
      return text("Nothing in the memory matches: " + query);
    }
    return text(ToolText.recollections(found, t -> false));
  }

  private CallToolResult read(Call call, McpSyncServerExchange exchange) {
    ToolArguments a = call.args();
    int page = a.integer("page", null, 0, Integer.MAX_VALUE);
    int from = a.integer("fromTurn", null, 0, Integer.MAX_VALUE);
    int count = a.integer("count", 10, 1, MAX_READ_TURNS);
    if (!memory.operations().contains(call.conversation())) {
      return text("Nothing is remembered in conversation " + call.conversation() + " yet.");
    }
    return text(ToolText.read(memory, call.conversation(), page, from, count));
  }

  private CallToolResult context(Call call, McpSyncServerExchange exchange) {
    ToolArguments a = call.args();
    int budget = a.integer("budget", null, 1, MAX_BUDGET);
    String readerName = a.choice("reader", defaultReader, VisionReader.NAMES);
    if (!memory.operations().contains(call.conversation())) {
      return text("Nothing is remembered in conversation " + call.conversation() + " yet.");
    }
    Progress progress = new Progress(exchange, call.request());
    ContextAssembler assembler = assemblers.computeIfAbsent(readerName, r -> ContextAssembler
        .builder().reader(VisionReader.named(r)).memory(memory).maxRequestBytes(maxContextBytes)
        .build());
    progress.step(0, "assembling the context");
    call.stopIfCancelled("context");
    AssembledContext context = assembler.assemble(call.conversation(), budget);
    List<PageItem> pages = context.images();
    Map<Integer, Segment> byIndex = new java.util.HashMap<>();
    if (!pages.isEmpty()) {
      for (Segment s : memory.segments(call.conversation())) {
        byIndex.put(s.index(), s);
      }
    }
    List<Content> content = new ArrayList<>();
    content.add(new TextContent(String.format(Locale.ROOT, "Context of conversation %s for %s at"
        + " a budget of %d tokens: %d tokens (%d text, %d image) showing %d of %d turns, %d as"
        + " text; %d item%s left out. Page images are labelled 'page N, turns A-B'; the read tool"
        + " gives their turns back exactly.", call.conversation(), context.reader(), budget,
        context.totalTokens(), context.textTokens(), context.imageTokens(),
        context.coveredTurns(), context.turns(), context.texts().size(), context.omitted(),
        context.omitted() == 1 ? "" : "s")));
    StringBuilder texts = new StringBuilder();
    int done = 0;
    for (ContextItem item : context.items()) {
      if (item instanceof TextItem t) {
        texts.append(ToolText.turn(t.turnNumber(), t.turn().timestamp(), t.turn().labelledText()));
        continue;
      }
      PageItem p = (PageItem) item;
      if (texts.length() > 0) {
        content.add(new TextContent(texts.toString().strip()));
        texts.setLength(0);
      }
      call.stopIfCancelled("context");
      Segment s = byIndex.get(p.segmentIndex());
      content.add(new TextContent(String.format(Locale.ROOT,
          "[page %d, turns %s, sent as %s at %d px, %d tokens for %s]", p.segmentIndex(),
          s == null ? "?" : s.firstTurn() + "-" + s.lastTurn(), p.tier(), p.side(), p.tokens(),
          context.reader())));
      byte[] png = assembler.png(call.conversation(), p);
      content.add(new ImageContent(null, Base64.getEncoder().encodeToString(png), "image/png"));
      progress.step(++done, "page " + p.segmentIndex() + " drawn");
    }
    if (texts.length() > 0) {
      content.add(new TextContent(texts.toString().strip()));
    }
    return CallToolResult.builder().content(content).isError(false).build();
  }

  private CallToolResult pin(Call call, boolean pin) {
    int turn = call.args().integer("turn", null, 0, Integer.MAX_VALUE);
    boolean changed = pin ? memory.pin(call.conversation(), turn)
        : memory.unpin(call.conversation(), turn);
    return text("Turn " + turn + (pin ? (changed ? " pinned." : " was already pinned.")
        : (changed ? " unpinned." : " was not pinned.")));
  }

  private CallToolResult stats(Call call) {
    return text(statsJson(memory, call.conversation()));
  }

  /** A conversation's figures as JSON, for the stats tool and resource. */
  static String statsJson(OpticalMemory memory, String conversation) {
    ConversationStats s = memory.stats(conversation);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("conversation", conversation);
    row.put("turns", s.turns());
    row.put("pages", s.segments());
    Map<String, Integer> tiers = new LinkedHashMap<>();
    for (Tier t : Tier.values()) {
      tiers.put(t.name(), s.tiers().getOrDefault(t, 0));
    }
    row.put("pagesByTier", tiers);
    row.put("textTokens", s.textTokens());
    row.put("storedBytes", s.storedBytes());
    row.put("pendingTransitions", s.pendingTransitions());
    row.put("pins", memory.pins(conversation));
    try {
      return JSON.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stats of " + conversation + " could not be written", e);
    }
  }

  private CallToolResult forget(Call call) {
    String confirm = call.args().string("confirm", 400);
    if (!confirm.equals(call.conversation())) {
      throw call.args().refuse("confirm must equal the conversation id " + call.conversation()
          + ", but is: " + confirm);
    }
    boolean gone = memory.forget(call.conversation());
    return text(gone ? "Conversation " + call.conversation() + " forgotten."
        : "Conversation " + call.conversation() + " held nothing.");
  }

  /** Progress notifications of one call, sent only where the client asked with a token. */
  private static final class Progress {
    private final McpSyncServerExchange exchange;
    private final Object token;

    Progress(McpSyncServerExchange exchange, CallToolRequest request) {
      this.exchange = exchange;
      this.token = request.meta() == null ? null : request.meta().get("progressToken");
    }

    void step(int done, String message) {
      if (token != null && exchange != null) {
        exchange.progressNotification(new McpSchema.ProgressNotification(token, (double) done,
            null, message));
      }
    }
  }
}
