package dev.opticalmemory.eval;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.Legibility;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of {@code eval forgetting}: its two CSVs, the Markdown summary, the plots and the HTML
 * page, from the typed rows of a run and the settings it ran with.
 */
final class ForgettingReport {
  private final List<Path> files;
  private final List<String> policies;
  private final List<Integer> budgets;
  private final List<Double> shares;
  private final int ragFloor;
  private final VisionReader reader;
  private final List<AgedPageReader> pageReaders;
  private final int every;
  private final int limit;
  private final FontSet fonts;
  private final String commandLine;
  private final String retrieval;

  ForgettingReport(ForgettingExperiment run) {
    this.files = run.files;
    this.policies = run.policies;
    this.budgets = run.budgets;
    this.shares = run.shares;
    this.ragFloor = run.ragFloor;
    this.reader = run.reader;
    this.pageReaders = run.pageReaders;
    this.every = run.every;
    this.limit = run.limit;
    this.fonts = run.fonts;
    this.commandLine = run.commandLine;
    this.retrieval = run.embedder == null ? "BM25 over turns"
        : "hybrid: BM25 and " + run.embedder.key() + " over turns";
  }

  private static String label(AgedPageReader r) {
    return ForgettingExperiment.label(r);
  }

  ForgettingExperiment.Result write(Path out, List<Locomo.Conversation> conversations,
      List<ForgettingRow> rows, List<CostRow> costs) {
    Path csv = out.resolve("forgetting.csv");
    Path costCsv = out.resolve("forgetting-cost.csv");
    Reports.table(csv, ForgettingRow.COLUMNS, rows);
    Reports.table(costCsv, CostRow.COLUMNS, costs);
    List<String> sections = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    Map<String, AgedPageReader> byName = new LinkedHashMap<>();
    pageReaders.forEach(r -> byName.put(r.name(), r));
    md.append("Readers: ");
    StringBuilder readersHtml = new StringBuilder("<ul>");
    for (AgedPageReader r : pageReaders) {
      md.append("\n- ").append(r.description());
      readersHtml.append("<li>").append(Reports.escape(r.description())).append("</li>");
    }
    md.append("\n\n");
    sections.add("<h2>Readers</h2><p>Who reads the pages. A modelled reader never looks at the"
        + " pixels: its figures come from a published table, not from a measurement.</p>"
        + readersHtml + "</ul>");

    // 0. Every system at equal tokens: answers available over every checkpoint, by budget, with
    //    the tokens spent per query; then by category.
    Map<String, Map<Integer, long[]>> pooledAll = new LinkedHashMap<>();
    Map<String, Map<Integer, int[]>> byCategory = new LinkedHashMap<>();
    for (ForgettingRow r : rows) {
      String policy = r.policy();
      String system = policy.split(" ")[0];
      // Text alone reads the same for every reader: one row, not one per reader.
      String key = system.equals("text-window") || ForgettingExperiment.base(system) == null ? policy + " (text)"
          : label(byName.get(r.reader())) + " · " + policy;
      long[] a = pooledAll.computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(r.budget(), k -> new long[4]);
      a[0] += (r.survived() ? 1 : 0);
      a[1]++;
      a[2] += r.contextTokens();
      a[3] = Math.max(a[3], r.contextTokens());
      int[] c = byCategory.computeIfAbsent(key + " @ " + r.budget(), k -> new TreeMap<>())
          .computeIfAbsent(r.category(), k -> new int[2]);
      c[0] += (r.survived() ? 1 : 0);
      c[1]++;
    }
    List<String> systemHeader = new ArrayList<>(List.of("reader · system"));
    budgets.forEach(b -> systemHeader.add(b + " tokens (mean / most spent)"));
    List<List<String>> systemTable = new ArrayList<>();
    List<Reports.Series> spentLines = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, long[]>> e : pooledAll.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      List<double[]> points = new ArrayList<>();
      for (int b : budgets) {
        long[] a = e.getValue().get(b);
        cells.add(a == null || a[1] == 0 ? "" : String.format(Locale.ROOT, "%.3f (%d / %d)",
            (double) a[0] / a[1], a[2] / a[1], a[3]));
        if (a != null && a[1] > 0 && !e.getKey().endsWith(" · full-text")) {
          points.add(new double[] {a[2] / (double) a[1] / 1000.0, (double) a[0] / a[1]});
        }
      }
      systemTable.add(cells);
      if (!points.isEmpty()) {
        spentLines.add(new Reports.Series(e.getKey(), points));
      }
    }
    md.append("### Answers available, every checkpoint pooled, by budget\n\n")
        .append("Share of probes (a question at a checkpoint after its evidence) whose answer the"
            + " reader can read in what it is sent; in brackets, the tokens spent per query (mean"
            + " / most), counted for ").append(reader.name()).append(". full-text is the ceiling"
            + " at whatever it costs. R = ").append(shares).append(" of the budget").append(
            ragFloor > 0 ? ", at least " + ragFloor + " tokens for the systems that retrieve" : "")
        .append(". Retrieval: ")
        .append(retrieval).append(".\n\n")
        .append(Reports.markdown(systemHeader, systemTable)).append('\n');
    Path spentPlot = out.resolve("forgetting-systems.png");
    Reports.plot(spentPlot, "Answers available against tokens spent (models marked)",
        "tokens spent per query, thousands (mean)", "share of answers available", spentLines,
        0.0, 1.0);
    List<String> categoryHeader = new ArrayList<>(List.of("reader · system @ budget"));
    for (int c = 1; c <= 4; c++) {
      categoryHeader.add("category " + c);
    }
    List<List<String>> categoryTable = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, int[]>> e : byCategory.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      for (int c = 1; c <= 4; c++) {
        int[] a = e.getValue().get(c);
        cells.add(a == null ? "" : share(a));
      }
      categoryTable.add(cells);
    }
    md.append("### Answers available by LoCoMo category, every checkpoint pooled\n\n")
        .append(Reports.markdown(categoryHeader, categoryTable)).append('\n');
    sections.add("<h2>Systems at equal tokens</h2><p>Answers available over every checkpoint,"
        + " against the tokens each query spent.</p><img src=\"forgetting-systems.png\""
        + " alt=\"answers against tokens\">" + Reports.table(systemHeader, systemTable)
        + "<h3>By category</h3>" + Reports.table(categoryHeader, categoryTable));

    // 1. Answers readable at the end of each conversation, by budget.
    Map<String, Integer> last = new HashMap<>();
    for (ForgettingRow r : rows) {
      last.merge(r.conversation(), r.checkpoint(), Math::max);
    }
    Map<String, Map<Integer, int[]>> atEnd = new LinkedHashMap<>();
    for (ForgettingRow r : rows) {
      if (r.checkpoint() == last.get(r.conversation())) {
        int[] a = atEnd.computeIfAbsent(label(byName.get(r.reader())) + " · "
            + r.policy(), k -> new TreeMap<>()).computeIfAbsent(r.budget(),
                k -> new int[2]);
        a[0] += (r.survived() ? 1 : 0);
        a[1]++;
      }
    }
    List<String> budgetHeader = new ArrayList<>(List.of("reader · policy"));
    budgets.forEach(b -> budgetHeader.add(b + " tokens"));
    List<List<String>> budgetTable = new ArrayList<>();
    List<Reports.Series> budgetLines = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, int[]>> e : atEnd.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      List<double[]> points = new ArrayList<>();
      for (int b : budgets) {
        int[] a = e.getValue().get(b);
        cells.add(a == null ? "" : share(a));
        if (a != null) {
          points.add(new double[] {b / 1000.0, (double) a[0] / a[1]});
        }
      }
      budgetTable.add(cells);
      budgetLines.add(new Reports.Series(e.getKey(), points));
    }
    md.append("### Answers readable at the end of each conversation, by budget\n\n")
        .append(Reports.markdown(budgetHeader, budgetTable)).append('\n');
    Path budgetPlot = out.resolve("forgetting-budget.png");
    Reports.plot(budgetPlot, "Answers readable at the end, by budget (models marked)",
        "budget, thousands of tokens", "share of answers still readable", budgetLines, 0.0, 1.0);
    sections.add("<h2>Answers readable at the end of each conversation</h2><p>By reader, policy"
        + " and budget; in brackets, how many questions.</p><img src=\"forgetting-budget.png\""
        + " alt=\"survival by budget\">" + Reports.table(budgetHeader, budgetTable));

    // 2. Survival by age (tokens since the evidence, 2,000-token buckets), a table and plot per
    //    reader, and one plot with every reader at one budget.
    int bucket = 2_000;
    Map<String, TreeMap<String, TreeMap<Long, int[]>>> byAge = new LinkedHashMap<>();
    Map<String, Map<String, int[]>> bySentAs = new LinkedHashMap<>();
    for (ForgettingRow r : rows) {
      String reader = r.reader();
      String series = r.policy() + " @ " + r.budget();
      int[] a = byAge.computeIfAbsent(reader, k -> new TreeMap<>())
          .computeIfAbsent(series, k -> new TreeMap<>())
          .computeIfAbsent(r.ageTokens() / bucket, k -> new int[2]);
      a[0] += (r.survived() ? 1 : 0);
      a[1]++;
      int[] s = bySentAs.computeIfAbsent(label(byName.get(reader)) + " · " + series,
          k -> new TreeMap<>()).computeIfAbsent(r.sentAs(), k -> new int[2]);
      s[0] += (r.survived() ? 1 : 0);
      s[1]++;
    }
    long maxBucket = byAge.values().stream().flatMap(m -> m.values().stream())
        .filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey).max().orElse(0);
    List<String> header = new ArrayList<>(List.of("policy @ budget"));
    for (long b = 0; b <= maxBucket; b++) {
      header.add((b * bucket / 1000) + "-" + ((b + 1) * bucket / 1000) + "k");
    }
    header.add("all");
    int middle = budgets.get(budgets.size() / 2);
    List<Reports.Series> together = new ArrayList<>();
    Path curve = out.resolve("forgetting-curve.png");
    List<String> curveImages = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, TreeMap<Long, int[]>>> byReader : byAge.entrySet()) {
      AgedPageReader reader = byName.get(byReader.getKey());
      List<List<String>> table = new ArrayList<>();
      List<Reports.Series> curves = new ArrayList<>();
      for (Map.Entry<String, TreeMap<Long, int[]>> e : byReader.getValue().entrySet()) {
        List<double[]> points = new ArrayList<>();
        List<String> cells = new ArrayList<>(List.of(e.getKey()));
        int[] all = new int[2];
        for (long b = 0; b <= maxBucket; b++) {
          int[] a = e.getValue().get(b);
          if (a == null) {
            cells.add("");
            continue;
          }
          points.add(new double[] {(b + 0.5) * bucket / 1000.0, (double) a[0] / a[1]});
          cells.add(share(a));
          all[0] += a[0];
          all[1] += a[1];
        }
        cells.add(share(all));
        table.add(cells);
        curves.add(new Reports.Series(e.getKey(), points));
        if (e.getKey().endsWith(" @ " + middle)) {
          together.add(new Reports.Series(label(reader) + " · " + e.getKey(), points));
        }
      }
      String file = "forgetting-curve-" + reader.name() + ".png";
      Reports.plot(out.resolve(file), "Answer survival against age, " + label(reader),
          "thousands of tokens since the evidence", "share of answers still readable", curves,
          0.0, 1.0);
      curveImages.add(file);
      md.append("### Answer survival by age, ").append(label(reader))
          .append(" (thousands of tokens since the evidence turn)\n\n")
          .append(Reports.markdown(header, table)).append('\n');
      sections.add("<h2>Answer survival by age: " + Reports.escape(label(reader)) + "</h2><p>"
          + Reports.escape(reader.description()) + ". Share of probes (question at a checkpoint)"
          + " whose answer can still be read from what the reader is sent, by tokens appended since"
          + " the evidence turn; in brackets, how many probes.</p><img src=\"" + file + "\" alt=\""
          + "forgetting curves\">" + Reports.table(header, table));
    }
    Reports.plot(curve, "Answer survival against age at " + middle + " tokens (models marked)",
        "thousands of tokens since the evidence", "share of answers still readable", together,
        0.0, 1.0);
    sections.add(1, "<h2>Every reader at " + middle + " tokens</h2><img"
        + " src=\"forgetting-curve.png\" alt=\"forgetting curves, every reader\">");

    // 3. Survival by how the evidence was sent (the tier), per reader.
    List<String> tiers = List.of("TEXT", "LARGE", "BASE", "SMALL", "TINY", "LEFT_OUT", "FORGOTTEN");
    List<String> tierHeader = new ArrayList<>(List.of("reader · policy @ budget"));
    tierHeader.addAll(tiers);
    List<List<String>> tierTable = new ArrayList<>();
    Map<String, Map<String, int[]>> pooled = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, int[]>> e : bySentAs.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      String reader = e.getKey().substring(0, e.getKey().indexOf(" · "));
      for (String tier : tiers) {
        int[] s = e.getValue().get(tier);
        cells.add(s == null ? "" : share(s));
        if (s != null) {
          int[] p = pooled.computeIfAbsent(reader, k -> new TreeMap<>())
              .computeIfAbsent(tier, k -> new int[2]);
          p[0] += s[0];
          p[1] += s[1];
        }
      }
      tierTable.add(cells);
    }
    List<Reports.Series> tierLines = new ArrayList<>();
    for (Map.Entry<String, Map<String, int[]>> e : pooled.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey() + " · all"));
      List<double[]> points = new ArrayList<>();
      for (int t = 0; t < tiers.size(); t++) {
        int[] s = e.getValue().get(tiers.get(t));
        cells.add(s == null ? "" : share(s));
        if (s != null && t <= 4) {
          points.add(new double[] {t, (double) s[0] / s[1]});
        }
      }
      tierTable.add(cells);
      tierLines.add(new Reports.Series(e.getKey(), points));
    }
    md.append("### Answer survival by how the evidence is sent\n\n")
        .append(Reports.markdown(tierHeader, tierTable)).append('\n');
    Path tierPlot = out.resolve("forgetting-tiers.png");
    Reports.plot(tierPlot, "Answer survival by tier sent (models marked)",
        "tier sent: 0 text, 1 large, 2 base, 3 small, 4 tiny", "share of answers still readable",
        tierLines, 0.0, 1.0);
    sections.add("<h2>Answer survival by how the evidence is sent</h2><img"
        + " src=\"forgetting-tiers.png\" alt=\"survival by tier\">"
        + Reports.table(tierHeader, tierTable));
    long beyond = rows.stream().filter(r -> ModelledDeepSeekReader.NAME.equals(r.reader())
        && r.compression().isPresent() && Legibility.foxExtrapolated(
            Tier.valueOf(r.sentAs()), r.compression().getAsDouble())).count();
    if (byName.containsKey(ModelledDeepSeekReader.NAME)) {
      String note = beyond + " of the modelled reader's page reads were at a compression beyond the"
          + " Fox table's last point for their tier, where the model extrapolates.";
      md.append(note).append("\n\n");
      sections.add("<p>" + note + "</p>");
    }

    // 3b. What pages and retrieval can reach together under independent edits, at best.
    String ceiling = ceiling(rows, budgets);
    if (!ceiling.isEmpty()) {
      md.append(ceiling);
      sections.add("<h2>Ceiling of pages plus retrieval under independent edits</h2><pre>"
          + Reports.escape(ceiling) + "</pre>");
    }

    // 4. Cost: context tokens against turns appended, and the whole conversation as text.
    Map<String, List<double[]>> costSeries = new TreeMap<>();
    Map<Integer, double[]> full = new TreeMap<>();
    for (CostRow r : costs) {
      costSeries.computeIfAbsent(r.policy() + " @ " + r.budget(), k -> new ArrayList<>())
          .add(new double[] {r.checkpoint(), r.contextTokens()});
      full.putIfAbsent(r.checkpoint(), new double[] {r.checkpoint(),
          (double) r.fullTextTokens()});
    }
    List<Reports.Series> costLines = new ArrayList<>();
    if (conversations.size() == 1) {
      costLines.add(new Reports.Series("whole conversation as text", new ArrayList<>(full.values())));
    }
    costSeries.forEach((k, v) -> costLines.add(new Reports.Series(k, v)));
    Path costPlot = out.resolve("forgetting-cost.png");
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
    List<String> names = pageReaders.stream().map(AgedPageReader::name).toList();
    Reports.html(html, "Forgetting curves", Provenance.of(commandLine, String.join(", ", names),
        fonts, 0, Map.of("conversations", files.toString(), "policies", policies.toString(),
            "budgets", budgets.toString(), "budget counted for", reader.name(),
            "retrieval", retrieval,
            "checkpoint every", every + " turns", "turns per conversation",
            limit == Integer.MAX_VALUE ? "all" : Integer.toString(limit),
            "probes", Integer.toString(rows.size() / pageReaders.size()))), sections);
    return new ForgettingExperiment.Result(csv, costCsv, summary, curve, costPlot, html, rows, costs);
  }

  /**
   * The most any split of a budget B between retrieved turns (R) and pages could keep under the
   * modelled reader with independent edits: each probe that rag finds within R counts whole, and
   * each other probe as if its answer were on a page sent at the best precision the Fox table
   * gives (p^L, L the answer's letters and digits), as though the pages in B - R held every such
   * answer. Empty unless the run has rag and that reader.
   */
  static String ceiling(List<ForgettingRow> rows, List<Integer> budgets) {
    Map<Integer, Map<String, ForgettingRow>> rag = new TreeMap<>();
    for (ForgettingRow r : rows) {
      if (r.policy().equals("rag") && r.reader().equals(ModelledDeepSeekReader.NAME)) {
        rag.computeIfAbsent(r.budget(), k -> new LinkedHashMap<>())
            .put(r.conversation() + "/" + r.checkpoint() + "/" + r.question(), r);
      }
    }
    if (rag.isEmpty()) {
      return "";
    }
    double best = Legibility.foxPrecision(Tier.LARGE, 0);
    List<List<String>> table = new ArrayList<>();
    for (int b : budgets) {
      Map<String, ForgettingRow> atB = rag.get(b);
      if (atB == null) {
        continue;
      }
      double top = 0;
      int topShare = 0;
      for (Map.Entry<Integer, Map<String, ForgettingRow>> e : rag.entrySet()) {
        if (e.getKey() >= b) {
          continue;
        }
        double sum = 0;
        for (Map.Entry<String, ForgettingRow> probe : atB.entrySet()) {
          ForgettingRow r = e.getValue().get(probe.getKey());
          int letters = ForgettingExperiment.normalize(probe.getValue().answer()).replace(" ", "")
              .length();
          sum += r != null && r.survived() ? 1 : Math.pow(best, letters);
        }
        if (sum / atB.size() > top) {
          top = sum / atB.size();
          topShare = e.getKey();
        }
      }
      double alone = atB.values().stream().filter(ForgettingRow::survived).count()
          / (double) atB.size();
      table.add(List.of(Integer.toString(b), String.format(Locale.ROOT, "%.3f", alone),
          topShare == 0 ? "" : String.format(Locale.ROOT, "%.3f (R = %d)", top, topShare)));
    }
    return "### Ceiling of pages plus retrieval under independent edits\n\n"
        + "The most an optical context plus retrieved turns could keep at each budget B under "
        + ModelledDeepSeekReader.NAME + ": a probe rag finds within R counts whole; any other "
        + "counts as if its answer were on a page read at the best precision the Fox table gives ("
        + String.format(Locale.ROOT, "%.3f", best) + " per character, so p^L for an answer of L "
        + "letters and digits), for the best R of the run's smaller budgets. Run rag at several "
        + "budgets to fill it.\n\n"
        + Reports.markdown(List.of("budget B", "rag alone at B", "ceiling (best R)"), table)
        + "\n";
  }

  private static String share(int[] a) {
    return String.format(Locale.ROOT, "%.0f%% (%d)", a[1] == 0 ? 0 : 100.0 * a[0] / a[1], a[1]);
  }
}
