package dev.opticalmemory.eval;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import dev.opticalmemory.memory.langchain4j.OpticalChatMemory;
import dev.opticalmemory.memory.langchain4j.ReadTool;
import dev.opticalmemory.memory.langchain4j.RecallTool;
import dev.opticalmemory.renderer.FontSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LoCoMo question answering through a vision LLM: for each question, at the end of its
 * conversation, each system's context is sent with the question to a chat model, and the answer is
 * scored with LoCoMo's token F1 ({@link LocomoScore}) and, optionally, an LLM judge.
 *
 * <p>Systems, with the same model in the same run:
 * <ul>
 *   <li>{@code full-text}: the whole conversation as text (where it fits {@code maxContext});
 *   <li>{@code text-window}: the newest turns as text within the budget;
 *   <li>{@code optical}: what {@link ContextAssembler} gives the reader within the budget: older
 *       segments as page images, the newest turns as text;
 *   <li>{@code optical-recall}: the same, and the model may call the memory's recall tool.
 *   <li>{@code optical-read}: the same with each page after its label ("page N, turns A-B:",
 *       priced in the budget), and the model may call the read tool (a page's turns, exactly)
 *       and the recall tool.
 * </ul>
 *
 * <p>The date of each of LoCoMo's conversation sittings is written before its first turn ("[sitting 3, 8 May 2023]"), in every
 * system alike, so that temporal questions can be answered from the text and from the pages.
 * Rows are appended to {@code qa.csv} as they are answered; a second run with the same output
 * folder, model and settings keeps its answered rows and asks only the rest (rows that failed are
 * asked again).
 */
public final class QaExperiment {
  /** The systems {@link QaExperimentBuilder#systems} accepts. */
  public static final List<String> SYSTEMS = List.of("full-text", "text-window", "optical",
      "optical-recall", "optical-read");


  /** What the model is told, before the context and the question. */
  public static final String SYSTEM_PROMPT = "You answer questions about a long conversation"
      + " between two people. Earlier parts of it may be shown as page images, oldest first, and"
      + " the latest part as text; each session begins with its date in square brackets. Answer"
      + " with a short phrase, in the conversation's own words where you can. If the conversation"
      + " does not say, answer: No information available.";
  /** Added to the system prompt when the recall tool is offered. */
  public static final String RECALL_PROMPT = " You can call the recall tool to read back the exact"
      + " words of earlier parts of the conversation, including parts no longer shown.";
  /** Added to the system prompt when the read and recall tools are offered. */
  public static final String READ_PROMPT = " Each page image follows a label 'page N, turns A-B'."
      + " You can call the read tool with a page and a first turn to read those turns back"
      + " exactly, and the recall tool with keywords to find parts no longer shown.";
  /** Before the page images. */
  public static final String PAGES_HEADER = "Earlier in the conversation, as page images, oldest"
      + " first:";
  /** Before the turns given as text. */
  public static final String TEXT_HEADER = "The conversation (latest part) as text:";
  /** The judge's instructions; {question}, {gold} and {answer} are filled in. */
  public static final String JUDGE_PROMPT = "You grade an answer to a question about a long"
      + " conversation.\nQuestion: {question}\nGold answer: {gold}\nAnswer given: {answer}\n"
      + "The answer is CORRECT if it states the same fact as the gold answer, in any words and at"
      + " any length, and a date counts if it names the same day, month or period; it is WRONG"
      + " if it misses the fact, contradicts it, or says the conversation does not tell. Reply"
      + " with one word: CORRECT or WRONG.";

  private static final AtomicInteger NAMES = new AtomicInteger();

  final List<Path> files;
  private final ChatModel chat;
  final ChatModel judge;
  final String modelName;
  final String url;
  final VisionReader reader;
  final int budget;
  private final int maxContext;
  final List<String> systems;
  final Set<Integer> categories;
  final int limit;
  private final int maxQuestions;
  private final int maxOutputTokens;
  private final int recallRounds;
  private final int maxConsecutiveErrors;
  private final Duration timeout;
  private final int retries;
  /** The server's key, never written: taken out of every error text before it is kept. */
  private final String secret;
  private final Duration backoff;
  final FontSet fonts;
  private final ProgressListener progress;
  final String commandLine;
  final Clock clock;

  QaExperiment(QaExperimentBuilder b) {
    this.files = List.copyOf(b.files);
    this.chat = b.chat;
    this.judge = b.judge;
    this.modelName = b.modelName;
    this.url = b.url;
    this.reader = b.reader;
    this.budget = b.budget;
    this.maxContext = b.maxContext;
    this.systems = List.copyOf(b.systems);
    this.categories = Set.copyOf(b.categories);
    this.limit = b.limit;
    this.maxQuestions = b.maxQuestions;
    this.maxOutputTokens = b.maxOutputTokens;
    this.recallRounds = b.recallRounds;
    this.maxConsecutiveErrors = b.maxConsecutiveErrors;
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.secret = b.secret;
    this.backoff = b.backoff;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
    this.clock = b.clock;
  }

  public static QaExperimentBuilder builder() {
    return new QaExperimentBuilder();
  }

  /** What a run wrote, and every row of {@code qa.csv} (earlier runs' included). */
  public record Result(Path csv, Path summary, Path plot, Path html, List<QaRow> rows,
      boolean stoppedEarly) {}

  /** One system's context for a conversation: the content before the question, and its cost. */
  private record Context(List<Content> contents, int images, boolean fits) {}

  /**
   * Runs the experiment into {@code out}: {@code qa.csv}, {@code qa-summary.md}, {@code qa.png},
   * {@code qa.html}.
   *
   * @throws IllegalArgumentException if {@code out} holds a {@code qa.csv} of another model,
   *     budget or layout
   */
  public Result run(Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + out, e);
    }
    Path csv = out.resolve("qa.csv");
    Map<String, QaRow> done = QaCsv.resume(csv, modelName, budget);
    List<Locomo.Conversation> conversations = new ArrayList<>();
    for (Path file : files) {
      conversations.add(Locomo.read(file));
    }
    int total = 0;
    for (Locomo.Conversation c : conversations) {
      total += Math.min(limit, (int) c.questions().stream()
          .filter(q -> categories.contains(q.category())).count());
    }
    total = Math.min(total, maxQuestions);
    boolean stopped = false;
    int asked = 0;
    int failuresInARow = 0;
    String lastFailure = null;
    progress.progress("answering questions", 0, total);
    String where = (url == null ? "the chat model" : url) + " (model " + modelName + ")";
    try (BoundedChat bounded = new BoundedChat(chat, where, timeout, retries, backoff);
        BoundedChat judging = judge == null ? null
            : new BoundedChat(judge, where + " as judge", timeout, retries, backoff);
        QaCsv writer = QaCsv.open(csv, done.isEmpty())) {
      conversations:
      for (Locomo.Conversation c : conversations) {
        List<Integer> questions = new ArrayList<>();
        for (int i = 0; i < c.questions().size() && questions.size() < limit; i++) {
          if (categories.contains(c.questions().get(i).category())) {
            questions.add(i);
          }
        }
        List<MemoryTurn> turns = dated(c.turns());
        OpticalMemory memory = null;
        Map<String, Context> contexts = new LinkedHashMap<>();
        try {
          for (int index : questions) {
            if (asked >= maxQuestions) {
              break conversations;
            }
            asked++;
            Locomo.Question q = c.questions().get(index);
            for (String system : systems) {
              String key = c.id() + "/" + index + "/" + system;
              if (done.containsKey(key)) {
                continue;
              }
              if (memory == null && system.startsWith("optical")) {
                memory = memory(c.id(), turns);
              }
              QaRow row = ask(bounded, judging, c.id(), memory, turns, contexts,
                  system, index, q);
              writer.append(row);
              done.put(key, row);
              if (row.status() == QaRow.Status.ERROR) {
                failuresInARow++;
                lastFailure = row.error();
                if (failuresInARow >= maxConsecutiveErrors) {
                  stopped = true;
                  break conversations;
                }
              } else {
                failuresInARow = 0;
              }
            }
            progress.progress("answering questions", asked, total);
          }
        } finally {
          if (memory != null) {
            memory.close();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv, e);
    }
    List<QaRow> rows = new ArrayList<>(done.values());
    Result result = QaReport.write(this, out, csv, rows, stopped);
    if (stopped) {
      throw new QaStoppedException("stopped after " + maxConsecutiveErrors + " failed requests in a"
          + " row; the last: " + redact(lastFailure) + ". What was answered is in " + csv + "; run the same"
          + " command again to go on from there", result);
    }
    return result;
  }

  /** The text with the server's key taken out, wherever it appears. */
  String redact(String text) {
    if (text == null || secret == null || secret.length() < 4) {
      return text;
    }
    return text.replace(secret, "[key]");
  }

  /** Thrown when the server keeps failing; what was answered is written and a re-run resumes. */
  public static final class QaStoppedException extends RuntimeException {
    private final transient Result result;

    QaStoppedException(String message, Result result) {
      super(message);
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  /** The turns with each session's date written before its first turn. */
  static List<MemoryTurn> dated(List<MemoryTurn> turns) {
    List<MemoryTurn> out = new ArrayList<>(turns.size());
    String session = null;
    for (MemoryTurn t : turns) {
      String dia = t.attributes().getOrDefault("dia_id", "");
      String s = dia.contains(":") ? dia.substring(0, dia.indexOf(':')) : "";
      if (!s.equals(session)) {
        session = s;
        String date = t.timestamp() == null ? "" : ", " + java.time.format.DateTimeFormatter
            .ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC)
            .format(t.timestamp());
        String label = "[sitting " + (s.startsWith("D") ? s.substring(1) : s) + date + "] ";
        t = new MemoryTurn(t.role(), t.speaker(), label + t.text(), t.timestamp(), t.attributes());
      }
      out.add(t);
    }
    return out;
  }

  private OpticalMemory memory(String conversation, List<MemoryTurn> turns) {
    OpticalMemory memory = OpticalMemory.builder()
        .jdbcUrl("jdbc:h2:mem:qa-" + NAMES.incrementAndGet()).fonts(fonts)
        .executor(Runnable::run).build();
    for (MemoryTurn t : turns) {
      memory.append(conversation, t);
    }
    return memory;
  }

  private Context context(String conversation, OpticalMemory memory, List<MemoryTurn> turns,
      String system) {
    TokenCounter counter = reader.textCounter();
    List<Content> contents = new ArrayList<>();
    switch (system) {
      case "full-text": {
        StringBuilder text = new StringBuilder(TEXT_HEADER);
        long tokens = 0;
        for (MemoryTurn t : turns) {
          text.append('\n').append(t.labelledText());
          tokens += counter.count(t.labelledText());
        }
        contents.add(TextContent.from(text.toString()));
        return new Context(contents, 0, tokens <= maxContext);
      }
      case "text-window": {
        List<String> kept = new ArrayList<>();
        long tokens = counter.count(TEXT_HEADER);
        for (int i = turns.size() - 1; i >= 0; i--) {
          int cost = counter.count(turns.get(i).labelledText());
          if (tokens + cost > budget) {
            break;
          }
          tokens += cost;
          kept.add(0, turns.get(i).labelledText());
        }
        contents.add(TextContent.from(TEXT_HEADER + "\n" + String.join("\n", kept)));
        return new Context(contents, 0, true);
      }
      default: {
        ContextAssembler assembler = ContextAssembler.builder().memory(memory).reader(reader)
            .build();
        AssembledContext assembled = assembler.assemble(conversation, budget);
        boolean labelled = system.equals("optical-read");
        Map<Long, Segment> pages = new HashMap<>();
        memory.segments(conversation).forEach(seg -> pages.put(seg.id(), seg));
        for (int tries = 0; labelled && tries < 4; tries++) {
          // The labels are priced once the pages are known: plan again below them.
          int labels = 0;
          for (PageItem image : assembled.images()) {
            labels += counter.count(OpticalChatMemory.pageLabel(pages.get(image.segment())));
          }
          if (assembled.totalTokens() + labels <= budget) {
            break;
          }
          assembled = assembler.assemble(conversation, Math.max(1, assembled.totalTokens()
              - (assembled.totalTokens() + labels - budget)));
        }
        List<PageItem> images = assembled.images();
        if (!images.isEmpty()) {
          contents.add(TextContent.from(PAGES_HEADER));
          for (PageItem image : images) {
            if (labelled) {
              contents.add(TextContent.from(
                  OpticalChatMemory.pageLabel(pages.get(image.segment()))));
            }
            contents.add(ImageContent.from(
                Base64.getEncoder().encodeToString(assembler.png(conversation, image)),
                "image/png", image.detail() == Detail.LOW ? ImageContent.DetailLevel.LOW
                    : ImageContent.DetailLevel.HIGH));
          }
        }
        StringBuilder text = new StringBuilder(TEXT_HEADER);
        for (TextItem item : assembled.texts()) {
          text.append('\n').append(item.text());
        }
        contents.add(TextContent.from(text.toString()));
        return new Context(contents, images.size(), true);
      }
    }
  }

  private QaRow ask(BoundedChat bounded, BoundedChat judging, String conversation,
      OpticalMemory memory, List<MemoryTurn> turns, Map<String, Context> contexts, String system,
      int index, Locomo.Question q) {
    Context context = contexts.computeIfAbsent(system.equals("optical-recall") ? "optical" : system,
        s -> context(conversation, memory, turns, s));
    if (!context.fits()) {
      return new QaRow(conversation, index, q.category(), system, modelName, budget,
          QaRow.Status.SKIPPED, "", q.answer(), OptionalDouble.empty(), OptionalDouble.empty(),
          OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(),
          OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
          OptionalDouble.empty(), "", "the whole conversation is more than maxContext = "
              + maxContext + " tokens");
    }
    boolean reads = system.equals("optical-read");
    boolean tools = reads || system.equals("optical-recall");
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(SYSTEM_PROMPT + (reads ? READ_PROMPT
        : tools ? RECALL_PROMPT : "")));
    List<Content> user = new ArrayList<>(context.contents());
    user.add(TextContent.from("Question: " + q.question()));
    messages.add(UserMessage.from(user));
    long started = clock.millis();
    int requests = 0;
    int toolCalls = 0;
    long apiIn = 0;
    long apiOut = 0;
    boolean apiReported = true;
    long counted = 0;
    QaRow.Status status;
    String prediction = "";
    OptionalDouble f1 = OptionalDouble.empty();
    OptionalDouble mem0F1 = OptionalDouble.empty();
    OptionalDouble judged = OptionalDouble.empty();
    String finish = "";
    String error = "";
    RecallTool recall = tools ? new RecallTool(memory, 3) : null;
    ReadTool read = reads ? new ReadTool(memory) : null;
    try {
      ChatResponse response;
      int round = 0;
      while (true) {
        boolean offerTools = tools && round < recallRounds;
        ChatRequest.Builder request = ChatRequest.builder().messages(messages)
            .maxOutputTokens(maxOutputTokens).temperature(0.0);
        if (offerTools) {
          request.toolSpecifications(reads ? List.of(QaTools.READ_SPEC, QaTools.RECALL_SPEC)
              : List.of(QaTools.RECALL_SPEC));
        }
        counted += count(messages);
        BoundedChat.Answer answer = bounded.chat(request.build());
        requests += answer.attempts();
        response = answer.response();
        TokenUsage usage = response.tokenUsage();
        if (usage == null || usage.inputTokenCount() == null) {
          apiReported = false;
        } else {
          apiIn += usage.inputTokenCount();
          apiOut += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        }
        AiMessage ai = response.aiMessage();
        if (ai == null || !ai.hasToolExecutionRequests()) {
          break;
        }
        if (!offerTools) {
          throw new BoundedChat.ChatFailure("the model still calls tools after " + recallRounds
              + " rounds of recall, with no tool offered", null, 0);
        }
        messages.add(ai);
        for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
          toolCalls++;
          messages.add(ToolExecutionResultMessage.from(call, QaTools.run(recall, read,
              conversation, call)));
        }
        round++;
      }
      prediction = response.aiMessage().text() == null ? ""
          : response.aiMessage().text().strip();
      status = QaRow.Status.OK;
      AnswerScores.Scored scored = AnswerScores.score(q.question(), q.category(), prediction,
          q.answer());
      f1 = OptionalDouble.of(scored.locomo());
      mem0F1 = OptionalDouble.of(scored.mem0());
      finish = response.finishReason() == null ? ""
          : response.finishReason().name().toLowerCase(Locale.ROOT);
      if (response.finishReason() == FinishReason.LENGTH) {
        error = "cut at maxOutputTokens = " + maxOutputTokens;
      }
      if (judging != null && q.category() != 5) {
        BoundedChat.Answer verdict = judging.chat(ChatRequest.builder()
            .messages(UserMessage.from(JUDGE_PROMPT.replace("{question}", q.question())
                .replace("{gold}", q.answer()).replace("{answer}", prediction)))
            .maxOutputTokens(10).temperature(0.0).build());
        String label = verdict.response().aiMessage().text() == null ? ""
            : verdict.response().aiMessage().text().toUpperCase(Locale.ROOT);
        judged = OptionalDouble.of(label.contains("CORRECT") && !label.contains("INCORRECT")
            ? 1.0 : 0.0);
      }
    } catch (BoundedChat.ChatFailure e) {
      status = QaRow.Status.ERROR;
      error = redact(e.getMessage());
      requests += Math.max(e.attempts(), 1);
    }
    boolean reported = apiReported && requests > 0;
    return new QaRow(conversation, index, q.category(), system, modelName, budget, status,
        prediction, q.answer(), f1, mem0F1, judged,
        reported ? OptionalLong.of(apiIn) : OptionalLong.empty(),
        reported ? OptionalLong.of(apiOut) : OptionalLong.empty(), OptionalLong.of(counted),
        OptionalInt.of(context.images()), OptionalInt.of(requests), OptionalInt.of(toolCalls),
        OptionalDouble.of(clock.millis() - started), finish, error);
  }

  /**
   * What a request's input costs this reader by our own count: every text part, tool call
   * argument and tool result with the reader's text counter, every image at the reader's price
   * for its size and detail. No per-message overhead is added (APIs add a few tokens per message).
   */
  private long count(List<ChatMessage> messages) {
    TokenCounter counter = reader.textCounter();
    long tokens = 0;
    for (ChatMessage m : messages) {
      if (m instanceof SystemMessage s) {
        tokens += counter.count(s.text());
      } else if (m instanceof UserMessage u) {
        for (Content c : u.contents()) {
          if (c instanceof TextContent t) {
            tokens += counter.count(t.text());
          } else if (c instanceof ImageContent i) {
            java.awt.image.BufferedImage image = dev.opticalmemory.renderer.PageImages.decode(
                Base64.getDecoder().decode(i.image().base64Data()));
            tokens += reader.cost().tokens(image.getWidth(), image.getHeight(),
                i.detailLevel() == ImageContent.DetailLevel.LOW ? Detail.LOW : Detail.HIGH);
          }
        }
      } else if (m instanceof AiMessage a) {
        if (a.text() != null) {
          tokens += counter.count(a.text());
        }
        for (ToolExecutionRequest r : a.toolExecutionRequests()) {
          tokens += counter.count(r.arguments() == null ? "" : r.arguments());
        }
      } else if (m instanceof ToolExecutionResultMessage r) {
        tokens += counter.count(r.text());
      }
    }
    return tokens;
  }
}
