package dev.opticalmemory.cli;

import dev.opticalmemory.memory.ConversationStats;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Segment;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest}: a conversation file appended to a memory, whole or not at all. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Appends every turn of a conversation file to a memory, in order, and waits "
        + "until background rendering and aging have caught up.")
final class IngestCommand implements Callable<Integer> {
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

  @Option(names = "--region-marks", description = "Draw each turn's number before its first line"
      + " on the pages this process draws, so that a model can name the turn it wants read back;"
      + " it puts more text on each page (docs/benchmarks.md).")
  boolean regionMarks;

  @Override
  public Integer call() {
    MemoryCommands.refuseInMemory(db);
    OpticalMemoryBuilder builder = MemoryCommands.embedder(MemoryCommands.builder(db, false),
        embedder, true).regionMarks(regionMarks);
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
    try (OpticalMemory memory = MemoryCommands.build(builder, db)) {
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
      if (!MemoryCommands.awaitIdle(memory, conversation, err,
          "ingest: rendering, aging and decoding pages", Duration.ofMinutes(30))) {
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
          stats.segments(), MemoryCommands.statsJson(stats).get("tiers"), stats.textTokens(),
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
}
