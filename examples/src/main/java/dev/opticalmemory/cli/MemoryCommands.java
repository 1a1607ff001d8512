package dev.opticalmemory.cli;

import dev.opticalmemory.memory.RecallRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.ConversationStats;
import dev.opticalmemory.memory.Embedder;
import dev.opticalmemory.memory.MemoryException;
import dev.opticalmemory.memory.JdbcUrls;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.Retrieval;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stats}, {@code recall} and {@code pin}, and what every command that opens a memory shares:
 * the {@code --db} value read, checked and opened, passwords kept out of messages.
 */
final class MemoryCommands {
  private MemoryCommands() {}

  /** The PostgreSQL password, from the environment: never from the command line. */
  static String password() {
    String password = System.getenv("OPTICAL_MEMORY_DB_PASSWORD");
    if (password == null || password.isEmpty()) {
      password = System.getenv("PGPASSWORD");
    }
    return password;
  }

  /**
   * A memory builder for {@code --db}: an H2 file's path (without {@code .mv.db}), or a
   * {@code jdbc:postgresql://} URL whose password comes from {@code OPTICAL_MEMORY_DB_PASSWORD} or
   * {@code PGPASSWORD}.
   */
  static OpticalMemoryBuilder builder(String db, boolean mustExist) {
    if (db == null || db.isEmpty()) {
      throw CliException.usage("--db must name a database file or a jdbc:postgresql:// URL, but is"
          + " empty");
    }
    try {
      if (db.startsWith("jdbc:")) {
        if (carriesPassword(db)) {
          throw CliException.usage("--db: the URL carries a password (in its user part or a"
              + " password parameter); put it in OPTICAL_MEMORY_DB_PASSWORD or PGPASSWORD, not in"
              + " the URL (a command line is visible to every user of the machine)");
        }
        OpticalMemoryBuilder builder = OpticalMemory.builder().jdbcUrl(db);
        String password = db.startsWith("jdbc:postgresql:") ? password() : null;
        return password == null ? builder : builder.password(password);
      }
      Path path = Path.of(db);
      Path file = db.endsWith(".mv.db") ? path : Path.of(db + ".mv.db");
      if (mustExist && !Files.exists(file)) {
        throw new CliException("--db: no memory database at " + db + " (the file would be " + file
            + "); run ingest first");
      }
      return OpticalMemory.builder().path(path);
    } catch (IllegalArgumentException e) {
      throw new CliException("--db " + db + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a JDBC URL carries a password: a {@code password=} parameter or a {@code user:pw@}
   * part, percent-encoded or not.
   */
  static boolean carriesPassword(String url) {
    String decoded = percentDecoded(url);
    return decoded.matches("(?is).*[?&;]\\s*password\\s*=.*")
        || decoded.matches("(?s)^jdbc:[a-z0-9]+:(//)?[^/?;@]*:[^/?;@]*@.*")
        || url.matches("(?s)^jdbc:[a-z0-9]+:(//)?[^/?;@]*:[^/?;@]*@.*");
  }

  private static String percentDecoded(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Refuses an in-memory database for a command that stores or reads what was stored: it starts
   * empty in every process, so whatever it is given is gone when the command exits.
   */
  static void refuseInMemory(String db) {
    if (db != null && db.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:")) {
      throw CliException.usage("--db " + db + " is an in-memory database: it starts empty in each"
          + " process and nothing stored in it outlives the command; give an H2 file path or a"
          + " jdbc:postgresql:// URL");
    }
  }

  /** A URL with its password hidden, for messages. */
  static String redact(String url) {
    return JdbcUrls.redact(url);
  }

  static OpticalMemory open(String db, boolean mustExist) {
    return build(builder(db, mustExist), db);
  }

  /** Builds, with a failure to open named by {@code --db}. */
  static OpticalMemory build(OpticalMemoryBuilder builder, String db) {
    try {
      return builder.build();
    } catch (MemoryException | IllegalArgumentException e) {
      throw new CliException("--db " + redact(db) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The memory's embedding model by its {@code --embedder} name, or the builder as it is for
   * {@code none}; a bad name is a usage error naming the option.
   */
  static OpticalMemoryBuilder embedder(OpticalMemoryBuilder builder, String name,
      boolean noneAllowed) {
    if (noneAllowed && "none".equals(name)) {
      return builder;
    }
    Embedder model;
    try {
      model = Embedder.named(name);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--embedder must be " + (noneAllowed ? "none, " : "")
          + Embedder.namesInWords() + ", but is: '" + name + "'", e);
    }
    return builder.retrieval(Retrieval.HYBRID).embedder(model);
  }

  static Map<String, Object> statsJson(ConversationStats stats) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("turns", stats.turns());
    row.put("segments", stats.segments());
    Map<String, Integer> tiers = new LinkedHashMap<>();
    for (Tier t : Tier.values()) {
      tiers.put(t.name(), stats.tiers().get(t));
    }
    row.put("tiers", tiers);
    row.put("textTokens", stats.textTokens());
    row.put("storedBytes", stats.storedBytes());
    return row;
  }

  @Command(name = "stats", mixinStandardHelpOptions = true,
      description = "A conversation's turns, segments per tier, text tokens and stored bytes.")
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoredConversation conversation;

    /** What {@code --json} prints, as the help and the README show it (CliPromisesTest checks). */
    static final String JSON_SHAPE = "{\"turns\", \"segments\", \"tiers\": {\"TEXT\", \"LARGE\","
        + " \"BASE\", \"SMALL\", \"TINY\", \"FORGOTTEN\"}, \"textTokens\", \"storedBytes\","
        + " \"fidelity\"}";

    @Option(names = "--json", description = "Prints " + JSON_SHAPE + "; fidelity has, for each"
        + " image tier where pages were decoded against their kept source, {\"pages\","
        + " \"precision\", \"wordAccuracy\"} (means over those pages).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (OpticalMemory memory = conversation.open()) {
        ConversationStats stats = memory.stats(conversation.id);
        Map<String, Map<String, Object>> fidelity = fidelity(memory.segments(conversation.id));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> row = statsJson(stats);
          row.put("fidelity", fidelity);
          out.println(new ObjectMapper().writeValueAsString(row));
        } else {
          out.printf("%d turns, %d segments, tiers %s, %d text tokens, %d bytes stored%n",
              stats.turns(), stats.segments(), statsJson(stats).get("tiers"), stats.textTokens(),
              stats.storedBytes());
          fidelity.forEach((tier, f) -> out.printf("fidelity at %s: precision %.4f, word accuracy"
              + " %s (%d pages decoded against their source)%n", tier, f.get("precision"),
              f.get("wordAccuracy") == null ? "not measured"
                  : String.format(java.util.Locale.ROOT, "%.4f", f.get("wordAccuracy")),
              f.get("pages")));
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      return 0;
    }
  }

  /**
   * Per image tier, the means of the fidelity measured on the segments' pages (each page counted at
   * every tier it was measured at): pages, precision and word accuracy (null where none has it).
   */
  static Map<String, Map<String, Object>> fidelity(List<Segment> segments) {
    Map<String, Map<String, Object>> result = new LinkedHashMap<>();
    for (Tier tier : Tier.values()) {
      double precision = 0;
      double words = 0;
      int pages = 0;
      int worded = 0;
      for (Segment s : segments) {
        Double p = s.fidelity().get(tier);
        if (p != null) {
          precision += p;
          pages++;
        }
        Double w = s.wordAccuracy().get(tier);
        if (w != null) {
          words += w;
          worded++;
        }
      }
      if (pages > 0) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("pages", pages);
        f.put("precision", Math.round(precision / pages * 10_000) / 10_000.0);
        f.put("wordAccuracy", worded == 0 ? null : Math.round(words / worded * 10_000) / 10_000.0);
        result.put(tier.name(), f);
      }
    }
    return result;
  }

  @Command(name = "pin", mixinStandardHelpOptions = true,
      description = "Pins a turn (keeps its page at BASE or sharper, never forgotten), or unpins it;"
          + " with no --turn, lists the pinned turns.")
  static final class Pin implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoredConversation conversation;

    @Option(names = "--turn", paramLabel = "N", description = "The turn's number, from 0.")
    Integer turn;

    @Option(names = "--unpin", description = "Unpins the turn instead.")
    boolean unpin;

    @Override
    public Integer call() throws Exception {
      if (unpin && turn == null) {
        throw CliException.usage("--unpin needs --turn");
      }
      try (OpticalMemory memory = conversation.open()) {
        PrintWriter out = spec.commandLine().getOut();
        if (turn == null) {
          out.println("pinned turns of '" + conversation.id + "': " + memory.pins(conversation.id));
        } else if (unpin) {
          out.println(memory.unpin(conversation.id, turn) ? "unpinned turn " + turn
              : "turn " + turn + " was not pinned");
        } else {
          out.println(memory.pin(conversation.id, turn) ? "pinned turn " + turn
              : "turn " + turn + " was already pinned");
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      return 0;
    }
  }

  @Command(name = "recall", mixinStandardHelpOptions = true,
      description = "Finds the segments that match a query and reads them back (OCR for image tiers).")
  static final class Recall implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoredConversation conversation;

    @Option(names = "--query", required = true, paramLabel = "TEXT", description = "Words to look for.")
    String query;

    @Option(names = "--k", defaultValue = "3", description = "Segments at most, 1 to 100. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--retrieval", defaultValue = "lexical", paramLabel = "MODE",
        description = "lexical (BM25 over the words), dense (by meaning) or hybrid (both fused);"
            + " dense and hybrid need a memory ingested with --embedder. Default: ${DEFAULT-VALUE}.")
    String retrieval;

    @Option(names = "--embedder", defaultValue = "minilm", paramLabel = "NAME",
        description = "For dense and hybrid: the model the memory was ingested with, minilm,"
            + " bge-small or e5-small (another model is refused). Default: ${DEFAULT-VALUE}.")
    String embedder;

    /** What {@code --json} prints for each match, as the help and the README show it. */
    static final String JSON_SHAPE = "{\"segment\", \"segmentId\", \"tier\", \"text\", \"fidelity\","
        + " \"wordAccuracy\", \"missingFonts\", \"firstTurn\", \"lastTurn\", \"time\", \"score\","
        + " \"turns\":"
        + " [{\"turn\", \"time\", \"text\", \"match\"}]}";

    @Option(names = "--json", description = "A JSON array, best first, of " + JSON_SHAPE
        + ": segment is the page's number in the conversation (0 is the"
        + " oldest, as in stats and context), segmentId its id in the database, fidelity and"
        + " wordAccuracy how well the page reads at its tier (null if not measured), time when the"
        + " first returned turn was appended (ISO-8601, or null), turns the returned turns: match"
        + " is false for a neighbour of a matching turn.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Retrieval mode;
      try {
        mode = Retrieval.valueOf(retrieval.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--retrieval must be lexical, dense or hybrid, but is: '"
            + retrieval + "'", e);
      }
      if (k < 1 || k > 100) {
        throw CliException.usage("--k must be between 1 and 100, but is: " + k);
      }
      if (query == null || query.isBlank()) {
        throw CliException.usage("--query must have a word to look for, but is blank");
      }
      OpticalMemoryBuilder builder = builder(conversation.db, true);
      if (mode != Retrieval.LEXICAL) {
        builder = embedder(builder, embedder, false);
      }
      try (OpticalMemory memory = build(builder, conversation.db)) {
        List<Recollection> found = memory.recall(conversation.id, RecallRequest.of(query).k(k).leaveOut(Set.of()).retrieval(mode));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (Recollection r : found) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("segment", r.index());
            row.put("segmentId", r.segment());
            row.put("tier", r.tier().name());
            row.put("text", r.text());
            row.put("fidelity", r.fidelity().isEmpty() ? null : r.fidelity().getAsDouble());
            row.put("wordAccuracy", r.wordAccuracy().isEmpty() ? null
                : r.wordAccuracy().getAsDouble());
            row.put("missingFonts", r.missingFonts());
            row.put("firstTurn", r.firstTurn());
            row.put("lastTurn", r.lastTurn());
            row.put("time", r.time() == null ? null : r.time().toString());
            row.put("score", r.score().isEmpty() ? null
                : Math.round(r.score().getAsDouble() * 1000) / 1000.0);
            List<Map<String, Object>> turns = new ArrayList<>();
            for (RecalledTurn t : r.turns()) {
              Map<String, Object> turn = new LinkedHashMap<>();
              turn.put("turn", t.turn());
              turn.put("time", t.time() == null ? null : t.time().toString());
              turn.put("text", t.text());
              turn.put("match", t.match());
              turns.add(turn);
            }
            row.put("turns", turns);
            rows.add(row);
          }
          out.println(new ObjectMapper().writeValueAsString(rows));
        } else if (found.isEmpty()) {
          out.printf("no matches for '%s' in '%s'%n", printable(query), printable(conversation.id));
        } else {
          for (Recollection r : found) {
            out.printf("== segment %d (turns %d-%d, %s%s) ==%n", r.index(),
                r.firstTurn(), r.lastTurn(), r.tier(), r.score().isEmpty() ? ""
                    : String.format(Locale.ROOT, ", score %.2f", r.score().getAsDouble()));
            for (RecalledTurn t : r.turns()) {
              out.printf("[turn %d%s%s] %s%n", t.turn(), t.time() == null ? "" : ", " + t.time(),
                  t.match() ? "" : ", context", printable(t.text()));
            }
          }
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      return 0;
    }
  }

  /**
   * Text with control characters shown, not obeyed: a stored turn with terminal escape sequences
   * (ANSI colours, cursor moves) is printed as {@code \x1b[31m}, never run by the terminal.
   */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
      if (control && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (control) {
          out.append(String.format("\\x%02x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Waits for the memory's background work with a progress line on {@code err} every second:
   * pages rendered so far and seconds waited. Returns whether it finished within {@code limit}.
   */
  static boolean awaitIdle(OpticalMemory memory, String conversation, PrintWriter err,
      String label, Duration limit) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    boolean idle = false;
    while (!idle && System.nanoTime() < deadline) {
      idle = memory.operations().awaitIdle(Duration.ofSeconds(1));
      List<Segment> segments = memory.segments(conversation);
      long closed = segments.stream().filter(s -> !s.open()).count();
      long rendered = segments.stream().filter(s -> !s.open() && s.rendered()).count();
      err.printf("\r%s: %d/%d pages rendered, %.0f s%s", label, rendered, closed,
          (System.nanoTime() - start) / 1e9, idle ? ", done" + System.lineSeparator() : "");
      err.flush();
    }
    return idle;
  }
}
