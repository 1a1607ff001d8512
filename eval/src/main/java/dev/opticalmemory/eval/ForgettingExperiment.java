package dev.opticalmemory.eval;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Retention;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How memory fades as a conversation ages ("answer-span survival"): each LoCoMo conversation is fed
 * turn by turn into a fresh memory per policy; at checkpoints the context a reader would get within
 * a budget is assembled, and for every question whose answer appears verbatim in an evidence turn
 * already appended we check whether that answer can still be read: verbatim if the turn is sent as
 * text, else in the OCR of the page holding it, at the tier it is sent at. No LLM is involved.
 *
 * <p>Policies, compared at equal budgets: {@code text-window} (everything stays text; the oldest
 * turns fall out of the budget, as LangChain4j's token window memory does), {@code tier-large},
 * {@code tier-base}, {@code tier-small}, {@code tier-tiny} (the newest 2,000 tokens as text, every
 * older segment at that one tier) and {@code tiered} (the memory's default policy).
 */
public final class ForgettingExperiment {
  /** The policy names {@link Builder#policies} accepts. */
  public static final List<String> POLICIES = List.of("text-window", "tier-large", "tier-base",
      "tier-small", "tier-tiny", "tiered");

  static final List<String> COLUMNS = List.of("conversation", "policy", "budget", "checkpoint",
      "question", "category", "answer", "evidenceTurn", "ageTurns", "ageTokens", "storedTier",
      "sentAs", "survived", "contextTokens");
  static final List<String> COST_COLUMNS = List.of("conversation", "policy", "budget", "checkpoint",
      "contextTokens", "textTokens", "imageTokens", "fullTextTokens", "turns", "coveredTurns");

  private final List<Path> files;
  private final List<String> policies;
  private final List<Integer> budgets;
  private final VisionReader reader;
  private final OcrEngine ocr;
  private final int every;
  private final int limit;
  private final FontSet fonts;
  private final ProgressListener progress;
  private final String commandLine;
  private final Map<String, String> decoded = new HashMap<>();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private ForgettingExperiment(Builder b) {
    this.files = List.copyOf(b.files);
    this.policies = List.copyOf(b.policies);
    this.budgets = List.copyOf(b.budgets);
    this.reader = b.reader;
    this.ocr = b.ocr;
    this.every = b.every;
    this.limit = b.limit;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a run wrote. */
  public record Result(Path csv, Path costCsv, Path summary, Path curve, Path cost, Path html,
      List<Map<String, Object>> rows, List<Map<String, Object>> costs) {}

  /** A question whose answer is in an evidence turn, with that turn's index. */
  private record Probe(int index, Locomo.Question question, int turn) {}

  static AgingPolicy policy(String name) {
    long max = Long.MAX_VALUE;
    switch (name) {
      case "text-window":
        return AgingPolicy.fixed(Tier.TEXT);
      case "tier-large":
        return AgingPolicy.byTokens(2_000, max, max, max, max);
      case "tier-base":
        return AgingPolicy.byTokens(2_000, 2_000, max, max, max);
      case "tier-small":
        return AgingPolicy.byTokens(2_000, 2_000, 2_000, max, max);
      case "tier-tiny":
        return AgingPolicy.byTokens(2_000, 2_000, 2_000, 2_000, max);
      case "tiered":
        return AgingPolicy.defaults();
      default:
        throw new IllegalArgumentException("policy must be one of " + POLICIES + ", but is: " + name);
    }
  }

  static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
  }

  /**
   * Runs the experiment, writing {@code forgetting.csv}, {@code forgetting-cost.csv},
   * {@code forgetting-summary.md}, {@code forgetting-curve.png}, {@code forgetting-cost.png} and
   * {@code forgetting.html} into {@code out}.
   */
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
    int steps = 0;
    for (Locomo.Conversation c : conversations) {
      steps += policies.size() * Math.min(c.turns().size(), limit);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> costs = new ArrayList<>();
    int done = 0;
    progress.progress("feeding turns", 0, steps);
    TokenCounter counter = TokenCounter.o200k();
    for (Locomo.Conversation c : conversations) {
      List<MemoryTurn> turns = c.turns().subList(0, Math.min(c.turns().size(), limit));
      List<Probe> probes = probes(c, turns.size());
      long[] tokensBefore = new long[turns.size() + 1];
      for (int i = 0; i < turns.size(); i++) {
        MemoryTurn t = turns.get(i);
        tokensBefore[i + 1] = tokensBefore[i] + counter.count(t.speaker() + ": " + t.text());
      }
      for (String policyName : policies) {
        try (OpticalMemory memory = OpticalMemory.builder()
            .jdbcUrl("jdbc:h2:mem:forgetting-" + NAMES.incrementAndGet()).fonts(fonts)
            .ocr(ocr).retention(Retention.KEEP).agingPolicy(policy(policyName))
            .executor(Runnable::run).build()) {
          for (int t = 0; t < turns.size(); t++) {
            memory.append(c.id(), turns.get(t));
            progress.progress("feeding turns", ++done, steps);
            if ((t + 1) % every == 0 || t == turns.size() - 1) {
              checkpoint(memory, c, policyName, t, probes, tokensBefore, rows, costs);
            }
          }
        }
      }
    }
    return write(out, conversations, rows, costs);
  }

  private List<Probe> probes(Locomo.Conversation c, int turns) {
    List<Probe> probes = new ArrayList<>();
    List<Locomo.Question> questions = c.questions();
    for (int i = 0; i < questions.size(); i++) {
      Locomo.Question q = questions.get(i);
      String answer = normalize(q.answer());
      if (q.category() < 1 || q.category() > 4 || answer.isEmpty()) {
        continue;
      }
      for (String dia : q.evidence()) {
        int turn = c.turnOf(dia);
        if (turn >= 0 && turn < turns
            && (" " + normalize(c.turns().get(turn).text()) + " ").contains(" " + answer + " ")) {
          probes.add(new Probe(i, q, turn));
          break;
        }
      }
    }
    return probes;
  }

  private void checkpoint(OpticalMemory memory, Locomo.Conversation c, String policyName, int t,
      List<Probe> probes, long[] tokensBefore, List<Map<String, Object>> rows,
      List<Map<String, Object>> costs) {
    List<Segment> segments = memory.segments(c.id());
    for (int budget : budgets) {
      ContextAssembler assembler = ContextAssembler.builder().memory(memory).reader(reader)
          .textToPages(!policyName.equals("text-window")).build();
      AssembledContext context = assembler.assemble(c.id(), budget);
      Set<String> textDias = new HashSet<>();
      Map<Long, ContextItem> pages = new HashMap<>();
      for (ContextItem item : context.items()) {
        if (item.kind() == ContextItem.Kind.TEXT) {
          textDias.add(item.turn().attributes().get("dia_id"));
        } else {
          pages.put(item.segment(), item);
        }
      }
      Map<String, Object> cost = new LinkedHashMap<>();
      cost.put("conversation", c.id());
      cost.put("policy", policyName);
      cost.put("budget", budget);
      cost.put("checkpoint", t + 1);
      cost.put("contextTokens", context.totalTokens());
      cost.put("textTokens", context.textTokens());
      cost.put("imageTokens", context.imageTokens());
      cost.put("fullTextTokens", context.fullTextTokens());
      cost.put("turns", context.turns());
      cost.put("coveredTurns", context.coveredTurns());
      costs.add(cost);
      for (Probe p : probes) {
        if (p.turn() > t) {
          continue;
        }
        Segment holder = null;
        for (Segment s : segments) {
          if (s.firstTurn() <= p.turn() && p.turn() <= s.lastTurn()) {
            holder = s;
            break;
          }
        }
        String dia = c.turns().get(p.turn()).attributes().get("dia_id");
        String sentAs;
        boolean survived;
        if (textDias.contains(dia)) {
          sentAs = "TEXT";
          survived = true;
        } else if (holder != null && pages.containsKey(holder.id())) {
          ContextItem page = pages.get(holder.id());
          sentAs = page.tier().name();
          String text = decode(assembler.png(c.id(), page));
          survived = (" " + normalize(text) + " ").contains(" " + normalize(p.question().answer())
              + " ");
        } else {
          sentAs = holder != null && holder.tier() == Tier.FORGOTTEN ? "FORGOTTEN" : "LEFT_OUT";
          survived = false;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("conversation", c.id());
        row.put("policy", policyName);
        row.put("budget", budget);
        row.put("checkpoint", t + 1);
        row.put("question", p.index());
        row.put("category", p.question().category());
        row.put("answer", p.question().answer());
        row.put("evidenceTurn", p.turn());
        row.put("ageTurns", t - p.turn());
        row.put("ageTokens", tokensBefore[t + 1] - tokensBefore[p.turn() + 1]);
        row.put("storedTier", holder == null ? "" : holder.tier().name());
        row.put("sentAs", sentAs);
        row.put("survived", survived ? 1 : 0);
        row.put("contextTokens", context.totalTokens());
        rows.add(row);
      }
    }
  }

  /** OCR of a page, cached by the page's bytes (the same page recurs across policies). */
  private String decode(byte[] png) {
    String key;
    try {
      key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return decoded.computeIfAbsent(key, k -> ocr.read(PageImages.decode(png)).text());
  }

  private Result write(Path out, List<Locomo.Conversation> conversations,
      List<Map<String, Object>> rows, List<Map<String, Object>> costs) {
    Path csv = out.resolve("forgetting.csv");
    Path costCsv = out.resolve("forgetting-cost.csv");
    Reports.csv(csv, COLUMNS, rows);
    Reports.csv(costCsv, COST_COLUMNS, costs);
    List<String> sections = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    // Survival by age (tokens since the evidence, 2,000-token buckets) per policy and budget.
    int bucket = 2_000;
    Map<String, TreeMap<Long, int[]>> byAge = new TreeMap<>();
    Map<String, Map<String, int[]>> bySentAs = new TreeMap<>();
    for (Map<String, Object> r : rows) {
      String series = r.get("policy") + " @ " + r.get("budget");
      int[] a = byAge.computeIfAbsent(series, k -> new TreeMap<>())
          .computeIfAbsent(((Long) r.get("ageTokens")) / bucket, k -> new int[2]);
      a[0] += (Integer) r.get("survived");
      a[1]++;
      int[] s = bySentAs.computeIfAbsent(series, k -> new TreeMap<>())
          .computeIfAbsent((String) r.get("sentAs"), k -> new int[2]);
      s[0] += (Integer) r.get("survived");
      s[1]++;
    }
    List<Reports.Series> curves = new ArrayList<>();
    long maxBucket = byAge.values().stream().filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey)
        .max().orElse(0);
    List<String> header = new ArrayList<>(List.of("policy @ budget"));
    for (long b = 0; b <= maxBucket; b++) {
      header.add((b * bucket / 1000) + "-" + ((b + 1) * bucket / 1000) + "k");
    }
    header.add("all");
    List<List<String>> table = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, int[]>> e : byAge.entrySet()) {
      List<double[]> points = new ArrayList<>();
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      int survived = 0;
      int total = 0;
      for (long b = 0; b <= maxBucket; b++) {
        int[] a = e.getValue().get(b);
        if (a == null) {
          cells.add("");
          continue;
        }
        points.add(new double[] {(b + 0.5) * bucket / 1000.0, (double) a[0] / a[1]});
        cells.add(String.format("%.0f%% (%d)", 100.0 * a[0] / a[1], a[1]));
        survived += a[0];
        total += a[1];
      }
      cells.add(String.format("%.0f%% (%d)", total == 0 ? 0 : 100.0 * survived / total, total));
      table.add(cells);
      curves.add(new Reports.Series(e.getKey(), points));
    }
    md.append("### Answer survival by age (thousands of tokens since the evidence turn)\n\n")
        .append(Reports.markdown(header, table)).append('\n');
    sections.add("<h2>Answer survival by age</h2><p>Share of probes (question at a checkpoint)"
        + " whose answer can still be read from what the reader is sent, by tokens appended since"
        + " the evidence turn; in brackets, how many probes.</p><img src=\"forgetting-curve.png\""
        + " alt=\"forgetting curves\">" + Reports.table(header, table));
    List<String> tiers = List.of("TEXT", "LARGE", "BASE", "SMALL", "TINY", "LEFT_OUT", "FORGOTTEN");
    List<String> tierHeader = new ArrayList<>(List.of("policy @ budget"));
    tierHeader.addAll(tiers);
    List<List<String>> tierTable = new ArrayList<>();
    for (Map.Entry<String, Map<String, int[]>> e : bySentAs.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      for (String tier : tiers) {
        int[] s = e.getValue().get(tier);
        cells.add(s == null ? "" : String.format("%.0f%% (%d)", 100.0 * s[0] / s[1], s[1]));
      }
      tierTable.add(cells);
    }
    md.append("### Answer survival by how the evidence is sent\n\n")
        .append(Reports.markdown(tierHeader, tierTable)).append('\n');
    sections.add("<h2>Answer survival by how the evidence is sent</h2>"
        + Reports.table(tierHeader, tierTable));
    // Cost: context tokens against turns appended, and the whole conversation as text.
    Map<String, List<double[]>> costSeries = new TreeMap<>();
    Map<Integer, double[]> full = new TreeMap<>();
    for (Map<String, Object> r : costs) {
      costSeries.computeIfAbsent(r.get("policy") + " @ " + r.get("budget"), k -> new ArrayList<>())
          .add(new double[] {(Integer) r.get("checkpoint"), (Integer) r.get("contextTokens")});
      full.putIfAbsent((Integer) r.get("checkpoint"), new double[] {(Integer) r.get("checkpoint"),
          ((Long) r.get("fullTextTokens")).doubleValue()});
    }
    List<Reports.Series> costLines = new ArrayList<>();
    if (conversations.size() == 1) {
      costLines.add(new Reports.Series("whole conversation as text", new ArrayList<>(full.values())));
    }
    costSeries.forEach((k, v) -> costLines.add(new Reports.Series(k, v)));
    Path curve = out.resolve("forgetting-curve.png");
    Path costPlot = out.resolve("forgetting-cost.png");
    Reports.plot(curve, "Answer survival against age", "thousands of tokens since the evidence",
        "share of answers still readable", curves, 0.0, 1.0);
    Reports.plot(costPlot, "Context cost as the conversation grows", "turns appended",
        "tokens (" + reader.name() + ")", costLines, 0.0, null);
    sections.add("<h2>Context cost</h2><p>Tokens of the assembled context (" + reader.name()
        + ") at each checkpoint. Data: <a href=\"forgetting-cost.csv\">forgetting-cost.csv</a>,"
        + " <a href=\"forgetting.csv\">forgetting.csv</a>.</p><img src=\"forgetting-cost.png\""
        + " alt=\"cost curves\">");
    Path summary = out.resolve("forgetting-summary.md");
    try {
      Files.writeString(summary, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + summary, e);
    }
    Path html = out.resolve("forgetting.html");
    Reports.html(html, "Forgetting curves", Provenance.of(commandLine, ocr.name(), fonts, 0,
        Map.of("conversations", files.toString(), "policies", policies.toString(), "budgets",
            budgets.toString(), "reader", reader.name(), "checkpoint every", every + " turns",
            "turns per conversation", limit == Integer.MAX_VALUE ? "all" : Integer.toString(limit),
            "probes", Integer.toString(rows.size()))), sections);
    return new Result(csv, costCsv, summary, curve, costPlot, html, rows, costs);
  }

  /** Settings; LoCoMo files and an OCR engine are required. */
  public static final class Builder {
    private final List<Path> files = new ArrayList<>();
    private List<String> policies = List.of("text-window", "tier-small", "tiered");
    private List<Integer> budgets = List.of(4_000);
    private VisionReader reader = VisionReader.deepSeekOcr();
    private OcrEngine ocr;
    private int every = 50;
    private int limit = Integer.MAX_VALUE;
    private FontSet fonts = FontSet.defaults();
    private ProgressListener progress = ProgressListener.none();
    private String commandLine;

    private Builder() {}

    public Builder locomo(List<Path> files) {
      if (files == null || files.isEmpty()) {
        throw new IllegalArgumentException("locomo must name at least one file");
      }
      this.files.addAll(files);
      return this;
    }

    /** Policy names from {@link #POLICIES}; default text-window, tier-small, tiered. */
    public Builder policies(List<String> names) {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("policies must not be empty");
      }
      names.forEach(ForgettingExperiment::policy);
      this.policies = List.copyOf(names);
      return this;
    }

    /** Context budgets to compare at, each at least 500 tokens; default 4,000. */
    public Builder budgets(List<Integer> budgets) {
      if (budgets == null || budgets.isEmpty() || budgets.stream().anyMatch(b -> b < 500)) {
        throw new IllegalArgumentException("budgets must be at least 500 tokens each, but are: "
            + budgets);
      }
      this.budgets = List.copyOf(budgets);
      return this;
    }

    public Builder reader(VisionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /** Decodes the pages (not closed by the experiment). */
    public Builder ocr(OcrEngine ocr) {
      this.ocr = Objects.requireNonNull(ocr, "ocr");
      return this;
    }

    /** Turns between checkpoints, at least 1; default 50. */
    public Builder checkpointEvery(int turns) {
      if (turns < 1) {
        throw new IllegalArgumentException("checkpointEvery must be at least 1, but is: " + turns);
      }
      this.every = turns;
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

    public Builder fonts(FontSet fonts) {
      this.fonts = Objects.requireNonNull(fonts, "fonts");
      return this;
    }

    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public Builder commandLine(String commandLine) {
      this.commandLine = commandLine;
      return this;
    }

    public ForgettingExperiment build() {
      if (files.isEmpty() || ocr == null) {
        throw new IllegalArgumentException("LoCoMo files and an OCR engine are required");
      }
      return new ForgettingExperiment(this);
    }
  }
}
