package dev.opticalmemory.eval;

import dev.langchain4j.model.chat.ChatModel;
import dev.opticalmemory.memory.context.VisionReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The settings of a {@link QaExperiment}: LoCoMo files, a chat model and its name are required. */
public final class QaExperimentBuilder extends ExperimentBuilder<QaExperimentBuilder> {
  ChatModel chat;
  ChatModel judge;
  String modelName;
  String url;
  VisionReader reader = VisionReader.openAi();
  int budget = 4_000;
  int maxContext = 120_000;
  List<String> systems = QaExperiment.SYSTEMS;
  List<Integer> categories = List.of(1, 2, 3, 4, 5);
  int limit = Integer.MAX_VALUE;
  int maxQuestions = 2_000;
  int maxOutputTokens = 200;
  int recallRounds = 3;
  int maxConsecutiveErrors = 5;
  Duration timeout = Duration.ofSeconds(120);
  int retries = 2;
  String secret;
  Duration backoff = Duration.ofSeconds(2);
  Clock clock = Clock.systemUTC();

  QaExperimentBuilder() {}

  public QaExperimentBuilder locomo(List<Path> files) {
    return locomoFiles(files);
  }

  /**
   * The model that answers, its name as served (for reports and resuming) and its URL (for
   * reports; null if none). Build it with no retries of its own: the experiment retries.
   */
  public QaExperimentBuilder chatModel(ChatModel chat, String modelName, String url) {
    this.chat = Objects.requireNonNull(chat, "chat");
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("modelName must not be blank, but is: " + modelName);
    }
    this.modelName = modelName;
    this.url = url;
    return this;
  }

  /** A judge model (the "J" score); default none. */
  public QaExperimentBuilder judge(ChatModel judge) {
    this.judge = judge;
    return this;
  }

  /** Whose token counts the budget is spent in, and at what size pages go; default OpenAI. */
  public QaExperimentBuilder reader(VisionReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
    return this;
  }

  /** The context budget of the text-window and optical systems, at least 500; default 4,000. */
  public QaExperimentBuilder budget(int tokens) {
    if (tokens < 500) {
      throw new IllegalArgumentException("budget must be at least 500 tokens, but is: " + tokens);
    }
    this.budget = tokens;
    return this;
  }

  /** The largest context full-text sends; longer conversations are skipped; default 120,000. */
  public QaExperimentBuilder maxContext(int tokens) {
    if (tokens < 1) {
      throw new IllegalArgumentException("maxContext must be at least 1, but is: " + tokens);
    }
    this.maxContext = tokens;
    return this;
  }

  /** Systems from {@link QaExperiment#SYSTEMS}; default all. */
  public QaExperimentBuilder systems(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("systems must not be empty");
    }
    for (String n : names) {
      if (!QaExperiment.SYSTEMS.contains(n)) {
        throw new IllegalArgumentException("systems must be among " + QaExperiment.SYSTEMS
            + ", but has: " + n);
      }
    }
    this.systems = List.copyOf(new java.util.LinkedHashSet<>(names));
    return this;
  }

  /** Question categories to ask, 1 to 5; default all. */
  public QaExperimentBuilder categories(List<Integer> categories) {
    if (categories == null || categories.isEmpty()
        || categories.stream().anyMatch(c -> c == null || c < 1 || c > 5)) {
      throw new IllegalArgumentException("categories must be among 1 to 5, but are: "
          + categories);
    }
    this.categories = List.copyOf(categories);
    return this;
  }

  /** At most this many questions per conversation (a quick run); default all. */
  public QaExperimentBuilder limit(int questions) {
    if (questions < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but is: " + questions);
    }
    this.limit = questions;
    return this;
  }

  /** At most this many questions in all, 1 to 100,000; default 2,000. */
  public QaExperimentBuilder maxQuestions(int questions) {
    if (questions < 1 || questions > 100_000) {
      throw new IllegalArgumentException("maxQuestions must be between 1 and 100000, but is: "
          + questions);
    }
    this.maxQuestions = questions;
    return this;
  }

  /** Rounds of recall the model may call before it must answer, 0 to 10; default 3. */
  public QaExperimentBuilder recallRounds(int rounds) {
    if (rounds < 0 || rounds > 10) {
      throw new IllegalArgumentException("recallRounds must be between 0 and 10, but is: "
          + rounds);
    }
    this.recallRounds = rounds;
    return this;
  }

  /** The deadline of one request, body included, 1 ms to 1 hour; default 120 s. */
  public QaExperimentBuilder timeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()
        || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("timeout must be between 1 ms and 1 hour, but is: "
          + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** The server's key, taken out of every error text kept or thrown; none by default. */
  public QaExperimentBuilder secret(String key) {
    this.secret = key == null || key.isBlank() || key.equals("none") ? null : key;
    return this;
  }

  /** Retries of a failed request (not of a client error), 0 to 10; default 2. */
  public QaExperimentBuilder retries(int retries) {
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries must be between 0 and 10, but is: " + retries);
    }
    this.retries = retries;
    return this;
  }

  /** The first retry's wait, doubled at each next; default 2 s. */
  public QaExperimentBuilder backoff(Duration backoff) {
    if (backoff == null || backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must be 0 or more, but is: " + backoff);
    }
    this.backoff = backoff;
    return this;
  }

  /** The run stops after this many failed questions in a row, 1 to 1,000; default 5. */
  public QaExperimentBuilder maxConsecutiveErrors(int errors) {
    if (errors < 1 || errors > 1_000) {
      throw new IllegalArgumentException("maxConsecutiveErrors must be between 1 and 1000, but"
          + " is: " + errors);
    }
    this.maxConsecutiveErrors = errors;
    return this;
  }

  /** The longest answer, 1 to 4,096 tokens; default 200. */
  public QaExperimentBuilder maxOutputTokens(int tokens) {
    if (tokens < 1 || tokens > 4_096) {
      throw new IllegalArgumentException("maxOutputTokens must be between 1 and 4096, but is: "
          + tokens);
    }
    this.maxOutputTokens = tokens;
    return this;
  }

  /** Measures latency and dates the report; default the system clock. */
  public QaExperimentBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  public QaExperiment build() {
    if (files.isEmpty() || chat == null) {
      throw new IllegalArgumentException("LoCoMo files and a chat model are required");
    }
    return new QaExperiment(this);
  }
}
