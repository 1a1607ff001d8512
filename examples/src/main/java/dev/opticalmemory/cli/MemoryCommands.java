package dev.opticalmemory.cli;

import dev.opticalmemory.memory.RecallRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.ConversationStats;
import dev.opticalmemory.memory.Embedder;
import dev.opticalmemory.memory.MemoryException;
import dev.opticalmemory.memory.MemoryTurn;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest}, {@code stats} and {@code recall}: the memory from the command line. */
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

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Appends every turn of a conversation file to a memory, in order, and waits "
          + "until background rendering and aging have caught up.")
  static final class Ingest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "PATH|URL",
        description = "Memory database: the H2 file PATH.mv.db (created if missing), or a"
            + " jdbc:postgresql:// URL (password from OPTICAL_MEMORY_DB_PASSWORD or PGPASSWORD).")
    String db;

    @Option(names = "--conversation", required = true, paramLabel = "ID",
        description = "Conversation id to append to.")
    String conversation;

    static final class Source {
      @Option(names = "--locomo", paramLabel = "FILE", description = "A LoCoMo conversation JSON file.")
      Path locomo;

      @Option(names = "--jsonl", paramLabel = "FILE",
          description = "One JSON turn per line: {\"role\", \"speaker\", \"text\", \"timestamp\", \"attributes\"}.")
      Path jsonl;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--embedder", defaultValue = "none", paramLabel = "NAME",
        description = "Embeds each turn (after the turn before it) for recall by meaning: minilm"
            + " (all-MiniLM-L6-v2), bge-small (BGE small English v1.5), e5-small (E5 small v2), or"
            + " none (recall by words"
            + " only). recall --retrieval dense or hybrid must name the same model. Default:"
            + " ${DEFAULT-VALUE}.")
    String embedder;

    @Override
    public Integer call() {
      refuseInMemory(db);
      OpticalMemoryBuilder builder = embedder(builder(db, false), embedder, true);
      List<TurnFiles.SourceTurn> turns = source.locomo != null ? TurnFiles.locomo(source.locomo)
          : TurnFiles.jsonl(source.jsonl);
      if (turns.isEmpty()) {
        throw new CliException((source.locomo != null ? source.locomo : source.jsonl)
            + ": holds no turns; nothing was ingested");
      }
      Path created = db.startsWith("jdbc:") ? null
          : db.endsWith(".mv.db") ? Path.of(db) : Path.of(db + ".mv.db");
      if (created != null && Files.exists(created)) {
        created = null;
      }
      try {
        return ingest(builder, turns);
      } catch (CliException e) {
        if (created != null && appended == 0) {
          deleteCreated(created);
        }
        throw e;
      }
    }

    /** Turns this run stored (not those another writer stored first). */
    private int appended;

    /** A database this run created and stored nothing in is removed, not left empty. */
    private static void deleteCreated(Path file) {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file.toString().replaceFirst("\\.mv\\.db$", ".trace.db")));
      } catch (java.io.IOException e) {
        // Best effort: the error that brought us here is what the user needs to see.
      }
    }

    private int ingest(OpticalMemoryBuilder builder, List<TurnFiles.SourceTurn> turns) {
      PrintWriter err = spec.commandLine().getErr();
      long start = System.nanoTime();
      try (OpticalMemory memory = build(builder, db)) {
        int stored = checkSettled(memory, turns);
        int done = 0;
        for (TurnFiles.SourceTurn turn : turns.subList(stored, turns.size())) {
          try {
            // Another ingest of the same file may have stored it since the check: not ours.
            if (memory.operations().appendIfAbsent(conversation, turn.turn(), turn.key())) {
              appended++;
            }
          } catch (IllegalArgumentException e) {
            throw new CliException(turn.where() + ": " + e.getMessage(), e);
          }
          done++;
          if (done % 50 == 0 || done == turns.size() - stored) {
            err.printf("\ringest: %d/%d turns", stored + done, turns.size());
            err.flush();
          }
        }
        err.println();
        if (!awaitIdle(memory, conversation, err, "ingest: rendering, aging and decoding pages",
            Duration.ofMinutes(30))) {
          throw new CliException("background encoding did not finish within 30 minutes");
        }
        ConversationStats stats = memory.stats(conversation);
        PrintWriter out = spec.commandLine().getOut();
        int already = stored + done - appended;
        out.printf("ingested %d turns into '%s' in %.1f s%s: %d segments, tiers %s, %d text tokens,"
            + " %d bytes stored%n", appended, conversation, (System.nanoTime() - start) / 1e9,
            already == 0 ? "" : " (" + already + " of the file's turns were already stored"
                + (already > stored ? ", " + (already - stored) + " of them by another writer"
                    + " while this one ran" : "") + ")",
            stats.segments(), statsJson(stats).get("tiers"), stats.textTokens(),
            stats.storedBytes());
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      return 0;
    }

    /**
     * {@link #checkAll}, again while another writer (an ingest of the same file) is appending to
     * the conversation: a refusal that a growing conversation may have caused is checked again
     * once it has grown, and stands only when it did not change during the check.
     */
    private int checkSettled(OpticalMemory memory, List<TurnFiles.SourceTurn> turns) {
      for (int attempt = 1; ; attempt++) {
        int before = new StoredTurns(memory, conversation).count();
        try {
          return checkAll(memory, turns);
        } catch (CliException e) {
          if (new StoredTurns(memory, conversation).count() == before || attempt == 100) {
            throw e;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }

    /**
     * Checks the whole file before the first append: every turn against the memory's own rules,
     * no key twice, and turns already stored (by an earlier run cut short) only as a prefix of the
     * file that holds what is stored under each key (its hash of role, speaker and text) and ends
     * where the conversation ends. Returns how many are stored.
     */
    private int checkAll(OpticalMemory memory, List<TurnFiles.SourceTurn> turns) {
      Map<String, String> keys = new HashMap<>();
      int stored = 0;
      String firstNew = null;
      StoredTurns storedTurns = new StoredTurns(memory, conversation);
      int expected = -1;
      for (TurnFiles.SourceTurn turn : turns) {
        try {
          memory.operations().validate(conversation, turn.turn());
        } catch (IllegalArgumentException e) {
          throw new CliException(turn.where() + ": " + e.getMessage() + "; nothing was ingested",
              e);
        }
        String before = keys.put(turn.key(), turn.where());
        if (before != null) {
          throw new CliException(turn.where() + ": the key '" + turn.key() + "' is also on "
              + before + "; keys must be unique; nothing was ingested");
        }
        java.util.OptionalInt number = memory.operations().turnOf(conversation, turn.key());
        if (number.isPresent()) {
          if (firstNew != null) {
            throw new CliException(turn.where() + ": this turn (key '" + turn.key() + "') is"
                + " already stored in '" + conversation + "', but " + firstNew + " before it is"
                + " not: the file does not continue what is stored; nothing was ingested");
          }
          storedTurns.checkSame(turn, number.getAsInt());
          if (expected >= 0 && number.getAsInt() != expected) {
            throw new CliException(turn.where() + ": this turn (key '" + turn.key() + "') is"
                + " stored as turn " + number.getAsInt() + ", not right after the file's turn"
                + " before it (turn " + (expected - 1) + "): the file does not continue what is"
                + " stored; nothing was ingested");
          }
          expected = number.getAsInt() + 1;
          stored++;
        } else if (firstNew == null) {
          firstNew = turn.where();
          if (stored > 0 && expected != storedTurns.count()) {
            throw new CliException(turn.where() + ": the file's turns before this line are stored"
                + " as turns up to " + (expected - 1) + ", but '" + conversation + "' goes on to"
                + " turn " + (storedTurns.count() - 1) + ": the file does not continue what is"
                + " stored; nothing was ingested");
          }
        }
      }
      return stored;
    }
  }

  /** The turns stored in a conversation, read a segment at a time, for checks before ingest. */
  static final class StoredTurns {
    private final OpticalMemory memory;
    private final String conversation;
    private final List<Segment> segments;
    private final Map<Long, List<MemoryTurn>> bySegment = new HashMap<>();

    StoredTurns(OpticalMemory memory, String conversation) {
      this.memory = memory;
      this.conversation = conversation;
      this.segments = memory.operations().contains(conversation) ? memory.segments(conversation) : List.of();
    }

    /** Turns in the conversation. */
    int count() {
      return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastTurn() + 1;
    }

    /** The stored turn {@code number}, or null if it cannot be read. */
    MemoryTurn turn(int number) {
      for (Segment s : segments) {
        if (s.firstTurn() <= number && number <= s.lastTurn()) {
          List<MemoryTurn> turns = bySegment.computeIfAbsent(s.id(),
              id -> memory.operations().turns(conversation, id));
          int i = number - s.firstTurn();
          return i < turns.size() ? turns.get(i) : null;
        }
      }
      return null;
    }

    /**
     * Refuses a file turn whose key is stored with other content: by the hash kept with it, or by
     * its text where an older ingest kept no hash.
     */
    void checkSame(TurnFiles.SourceTurn turn, int number) {
      MemoryTurn stored = turn(number);
      if (stored == null) {
        return;
      }
      String hash = stored.attributes().get(TurnFiles.HASH_ATTRIBUTE);
      boolean same = hash != null ? hash.equals(turn.hash())
          : stored.text() == null || stored.text().isEmpty()
              || TurnFiles.contentHash(stored).equals(turn.hash());
      if (!same) {
        String storedText = stored.text() == null || stored.text().isEmpty()
            ? "(its text is no longer kept: the page is an image now)"
            : "\"" + start(stored.text()) + "\"";
        throw new CliException(turn.where() + ": the key '" + turn.key() + "' is stored as turn "
            + number + " with other content: stored " + storedText + ", the file has \""
            + start(turn.turn().text()) + "\"; the file does not continue what is stored; nothing"
            + " was ingested");
      }
    }

    private static String start(String text) {
      String line = text.strip().replaceAll("\\s+", " ");
      return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }
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
        + " \"wordAccuracy\", \"firstTurn\", \"lastTurn\", \"time\", \"score\", \"turns\":"
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
