package dev.opticalmemory.eval;

import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.Embedder;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.Retrieval;
import dev.opticalmemory.renderer.FontSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recall on LoCoMo: each conversation is appended to a memory with its defaults (pages rendered,
 * aged, decoded in the background) and turns embedded ({@link Retrieval#HYBRID}), then every
 * question of categories 1-4 with evidence is asked of {@link OpticalMemory#recall} as it stands,
 * ranked three ways in the same run: BM25, dense (the chosen embedding model) and hybrid
 * ({@link Retrieval#description}).
 * <ul>
 *   <li>Evidence recall@k: the share of questions where the turns returned in the first k
 *       recollections (matching turns and their neighbours) include an evidence turn; beside it, the
 *       stricter share where an evidence turn is among the matching turns themselves.
 *   <li>Answer recall@k: of the questions whose answer appears verbatim in an evidence turn, the
 *       share where it can be read in the returned text, which comes through the decoded pages.
 *   <li>Latency of each recall.
 * </ul>
 * The memory's constants (fusion, how turns are embedded) were chosen on conversation 26 alone;
 * report the others as held out.
 */
public final class RecallExperiment {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final List<Path> files;
  private final int k;
  private final int limit;
  private final FontSet fonts;
  private final ProgressListener progress;
  private final String commandLine;
  private final Model model;

  /** The embedding models a run can use, by the name the command line takes. */
  public enum Model {
    /** The memory's default, LangChain4j's quantized all-MiniLM-L6-v2. */
    MINILM("minilm", "all-MiniLM-L6-v2 (quantized)"),
    /** LangChain4j's quantized BGE small English v1.5 ({@link Embedder#bgeSmallEnV15()}). */
    BGE_SMALL("bge-small", "BGE small English v1.5 (quantized)"),
    /** LangChain4j's quantized E5 small v2 ({@link Embedder#e5SmallV2()}). */
    E5_SMALL("e5-small", "E5 small v2 (quantized)");

    private final String key;
    private final String title;

    Model(String key, String title) {
      this.key = key;
      this.title = title;
    }

    /** The name the command line takes. */
    public String key() {
      return key;
    }

    /** The model by its command-line name ({@code minilm}, {@code bge-small}, {@code e5-small}). */
    public static Model of(String key) {
      for (Model m : values()) {
        if (m.key.equals(key)) {
          return m;
        }
      }
      throw new IllegalArgumentException("embedder must be " + Embedder.namesInWords()
          + ", but is: '" + key + "'");
    }

    /**
     * The model, loaded once per process on first use.
     *
     * @return the embedder
     */
    public Embedder embedder() {
      return Embedder.named(key);
    }
  }

  private RecallExperiment(Builder b) {
    this.files = List.copyOf(b.files);
    this.k = b.k;
    this.limit = b.limit;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
    this.model = b.model;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a run wrote. */
  public record Result(Path csv, Path summary, Path plot, Path html,
      List<RecallRow> rows) {}

  public Result run(Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + out, e);
    }
    List<Locomo.Conversation> conversations = new ArrayList<>();
    for (Path file : files) {
      conversations.add(Locomo.read(file));
    }
    List<RecallRow> rows = new ArrayList<>();
    int total = conversations.stream().mapToInt(c -> Math.min(limit, c.turns().size())).sum();
    int done = 0;
    for (Locomo.Conversation c : conversations) {
      List<MemoryTurn> turns = c.turns().subList(0, Math.min(limit, c.turns().size()));
      try (OpticalMemory memory = OpticalMemory.builder()
          .jdbcUrl("jdbc:h2:mem:recall-" + NAMES.incrementAndGet()).fonts(fonts)
          .retrieval(Retrieval.HYBRID).embedder(model.embedder()).executor(Runnable::run)
          .build()) {
        for (MemoryTurn t : turns) {
          memory.append(c.id(), t);
          progress.progress("appending, rendering, decoding", ++done, total);
        }
        List<Locomo.Question> questions = c.questions();
        for (int i = 0; i < questions.size(); i++) {
          Locomo.Question q = questions.get(i);
          List<Integer> evidence = new ArrayList<>();
          for (String dia : q.evidence()) {
            int turn = c.turnOf(dia);
            if (turn >= 0 && turn < turns.size()) {
              evidence.add(turn);
            }
          }
          if (q.category() < 1 || q.category() > 4 || evidence.isEmpty()
              || q.question().isBlank()) {
            continue;
          }
          String answer = ForgettingExperiment.normalize(q.answer());
          boolean verbatim = !answer.isEmpty() && evidence.stream().anyMatch(t ->
              (" " + ForgettingExperiment.normalize(turns.get(t).text()) + " ")
                  .contains(" " + answer + " "));
          for (Retrieval mode : Retrieval.values()) {
            long start = System.nanoTime();
            List<Recollection> found = memory.recall(c.id(), RecallRequest.of(q.question()).k(k).leaveOut(Set.of()).retrieval(mode));
            double millis = (System.nanoTime() - start) / 1e6;
            int rank = 0;
            int matchedRank = 0;
            StringBuilder text = new StringBuilder();
            for (int r = 0; r < found.size(); r++) {
              Recollection hit = found.get(r);
              text.append(' ').append(hit.text());
              if (rank == 0 && hit.turns().stream().anyMatch(t -> evidence.contains(t.turn()))) {
                rank = r + 1;
              }
              if (matchedRank == 0 && hit.turns().stream()
                  .anyMatch(t -> t.match() && evidence.contains(t.turn()))) {
                matchedRank = r + 1;
              }
            }
            RecallRow row = new RecallRow(c.id(), i, q.category(),
                mode.name().toLowerCase(Locale.ROOT), k, rank, matchedRank, verbatim,
                verbatim ? java.util.Optional.of((" " + ForgettingExperiment.normalize(
                    text.toString()) + " ").contains(" " + answer + " "))
                    : java.util.Optional.empty(), millis);
            rows.add(row);
          }
        }
      }
    }
    return write(out, rows);
  }

  private Result write(Path out, List<RecallRow> rows) {
    Path csv = out.resolve("recall.csv");
    Reports.table(csv, RecallRow.COLUMNS, rows);
    List<String> header = new ArrayList<>(List.of("retrieval"));
    for (int j : atK()) {
      header.add("evidence@" + j);
    }
    header.addAll(List.of("evidence matched@" + k, "answer@" + k, "latency p50 / p99 (ms)",
        "questions"));
    List<List<String>> table = new ArrayList<>();
    List<Reports.Series> curves = new ArrayList<>();
    for (Retrieval mode : Retrieval.values()) {
      String name = mode.name().toLowerCase(Locale.ROOT);
      List<RecallRow> mine = rows.stream().filter(r -> name.equals(r.retrieval())).toList();
      List<String> cells = new ArrayList<>(List.of(name));
      List<double[]> points = new ArrayList<>();
      for (int j = 1; j <= k; j++) {
        int at = j;
        long hits = mine.stream().filter(r -> {
          int rank = r.evidenceRank();
          return rank > 0 && rank <= at;
        }).count();
        double share = mine.isEmpty() ? 0 : (double) hits / mine.size();
        points.add(new double[] {j, share});
        if (atK().contains(j)) {
          cells.add(String.format(Locale.ROOT, "%.3f", share));
        }
      }
      long matched = mine.stream().filter(r -> {
        int rank = r.evidenceMatchedRank();
        return rank > 0 && rank <= k;
      }).count();
      cells.add(String.format(Locale.ROOT, "%.3f", mine.isEmpty() ? 0
          : (double) matched / mine.size()));
      List<RecallRow> verbatim = mine.stream().filter(RecallRow::answerVerbatim).toList();
      long answered = verbatim.stream().filter(r -> r.answerFound().orElse(false)).count();
      cells.add(verbatim.isEmpty() ? "" : String.format(Locale.ROOT, "%.3f (%d)",
          (double) answered / verbatim.size(), verbatim.size()));
      double[] latency = mine.stream().mapToDouble(RecallRow::latencyMillis).sorted()
          .toArray();
      cells.add(latency.length == 0 ? "" : String.format(Locale.ROOT, "%.1f / %.1f",
          Reports.percentile(latency, 0.5), Reports.percentile(latency, 0.99)));
      cells.add(Integer.toString(mine.size()));
      table.add(cells);
      curves.add(new Reports.Series(name, points));
    }
    Path summary = out.resolve("recall-summary.md");
    try {
      Files.writeString(summary, "Evidence recall@k (questions of categories 1-4 with evidence:"
          + " an evidence turn among the turns returned, matching turns and their neighbours;"
          + " matched: among the matching turns alone),"
          + " answer recall@" + k + " (questions whose answer is verbatim in an evidence turn;"
          + " in brackets, how many), latency of each recall. Embedding model: " + model.title
          + "; hybrid: " + Retrieval.HYBRID.description() + ".\n\n"
          + Reports.markdown(header, table));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + summary, e);
    }
    Path plot = out.resolve("recall.png");
    Reports.plot(plot, "Evidence recall@k on LoCoMo", "k (passages returned)",
        "share of questions with an evidence turn returned", curves, 0.0, 1.0);
    Path html = out.resolve("recall.html");
    Reports.html(html, "Recall on LoCoMo", Provenance.of(commandLine, "paddle (decoded in the"
        + " background)", fonts, 0, Map.of("conversations", files.toString(), "k",
            Integer.toString(k), "turns per conversation", limit == Integer.MAX_VALUE ? "all"
                : Integer.toString(limit), "embedding model", model.title,
            "fusion", Retrieval.HYBRID.description())),
        List.of("<h2>Evidence and answer recall</h2>"
                + Reports.table(header, table) + "<img src=\"recall.png\" alt=\"recall@k\"><p>"
                + "Data: <a href=\"recall.csv\">recall.csv</a>.</p>"));
    return new Result(csv, summary, plot, html, rows);
  }

  private List<Integer> atK() {
    List<Integer> at = new ArrayList<>();
    for (int j : new int[] {1, 3, 5, 10}) {
      if (j <= k) {
        at.add(j);
      }
    }
    if (!at.contains(k)) {
      at.add(k);
    }
    return at;
  }

  /** Settings; LoCoMo files are required. */
  public static final class Builder extends ExperimentBuilder<Builder> {
    private int k = 5;
    private int limit = Integer.MAX_VALUE;
    private Model model = Model.MINILM;

    private Builder() {}

    public Builder locomo(List<Path> files) {
      return locomoFiles(files);
    }

    /** Passages returned per question, 1 to 20; default 5. */
    public Builder k(int k) {
      if (k < 1 || k > 20) {
        throw new IllegalArgumentException("k must be between 1 and 20, but is: " + k);
      }
      this.k = k;
      return this;
    }

    /** The embedding model of dense and hybrid recall; default {@link Model#MINILM}. */
    public Builder model(Model model) {
      if (model == null) {
        throw new IllegalArgumentException("model must not be null");
      }
      this.model = model;
      return this;
    }

    /** At most this many turns of each conversation (a quick run); default all. */
    public Builder limit(int turns) {
      if (turns < 1) {
        throw new IllegalArgumentException("limit must be at least 1, but is: " + turns);
      }
      this.limit = turns;
      return this;
    }

    public RecallExperiment build() {
      if (files.isEmpty()) {
        throw new IllegalArgumentException("LoCoMo files are required");
      }
      return new RecallExperiment(this);
    }
  }
}
