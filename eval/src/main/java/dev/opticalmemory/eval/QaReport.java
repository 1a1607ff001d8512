package dev.opticalmemory.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of {@link QaExperiment}: {@code qa-summary.md} in the layout memory papers use (a row
 * per system: F1 by category, F1 and J over categories 1-4, tokens per query, latency), {@code
 * qa.png} (F1 against tokens per query) and {@code qa.html} (model, URL, date and prompts).
 */
final class QaReport {
  private QaReport() {}

  static QaExperiment.Result write(QaExperiment e, Path out, Path csv,
      List<QaRow> rows, boolean stopped) {
    // The layout of memory papers: a row per system, F1 by category, J, tokens per query, latency.
    List<Integer> cats = new ArrayList<>(new java.util.TreeSet<>(e.categories));
    List<String> header = new ArrayList<>(List.of("system"));
    cats.forEach(c -> header.add("F1 cat. " + c));
    header.addAll(List.of("F1 cat. 1-4", "LoCoMo overall", "mem0 F1 cat. 1-4", "J cat. 1-4", "input tokens / query (API)",
        "input tokens / query (counted)", "latency p50 / p95 (s)", "answered", "errors",
        "skipped"));
    List<List<String>> table = new ArrayList<>();
    List<Reports.Series> points = new ArrayList<>();
    for (String system : e.systems) {
      List<QaRow> mine = rows.stream().filter(r -> system.equals(r.system())).toList();
      List<QaRow> ok = mine.stream().filter(r -> r.status() == QaRow.Status.OK).toList();
      List<String> cells = new ArrayList<>(List.of(system));
      for (int c : cats) {
        cells.add(mean(ok.stream().filter(r -> r.category() == c).toList(), QaRow::f1, false));
      }
      List<QaRow> answerable = ok.stream().filter(r -> r.category() != 5).toList();
      cells.add(mean(answerable, QaRow::f1, false));
      cells.add(mean(ok, QaRow::f1, false));
      cells.add(mean(answerable, QaRow::mem0F1, false));
      cells.add(mean(answerable, QaRow::judge, false));
      cells.add(mean(ok, r -> asDouble(r.apiInputTokens()), true));
      cells.add(mean(ok, r -> asDouble(r.countedInputTokens()), true));
      double[] latency = ok.stream().filter(r -> r.latencyMillis().isPresent())
          .mapToDouble(r -> r.latencyMillis().getAsDouble() / 1000).sorted().toArray();
      cells.add(latency.length == 0 ? "" : String.format(Locale.ROOT, "%.2f / %.2f",
          Reports.percentile(latency, 0.5), Reports.percentile(latency, 0.95)));
      cells.add(Integer.toString(ok.size()));
      cells.add(Long.toString(mine.stream().filter(r -> r.status() == QaRow.Status.ERROR)
          .count()));
      cells.add(Long.toString(mine.stream().filter(r -> r.status() == QaRow.Status.SKIPPED)
          .count()));
      table.add(cells);
      String f1 = mean(answerable, QaRow::f1, false);
      String tokens = mean(ok, r -> asDouble(r.countedInputTokens()), true);
      if (!f1.isEmpty() && !tokens.isEmpty()) {
        points.add(new Reports.Series(system, List.<double[]>of(new double[] {
            Double.parseDouble(tokens.replace(",", "")), Double.parseDouble(f1)})));
      }
    }
    StringBuilder scores = new StringBuilder();
    for (String system : e.systems) {
      List<AnswerScores.Scored> scored = new ArrayList<>();
      for (QaRow r : rows) {
        if (!system.equals(r.system()) || r.status() == QaRow.Status.SKIPPED) {
          continue;
        }
        String id = r.conversation() + "/" + r.question();
        int category = r.category();
        scored.add(r.status() == QaRow.Status.OK ? new AnswerScores.Scored(id, category,
            r.f1().orElse(0), r.mem0F1().orElse(0), null)
            : new AnswerScores.Scored(id, category, 0, 0, r.error()));
      }
      if (!scored.isEmpty()) {
        scores.append(system).append('\n');
        AnswerScores.summaryLines(scored).forEach(l -> scores.append("  ").append(l).append('\n'));
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("Model ").append(e.modelName).append(" at ")
        .append(e.url == null ? "(not given)" : e.url)
        .append("; budget ").append(e.budget).append(" tokens counted for ").append(e.reader.name())
        .append(stopped ? "; the run stopped early (see the errors)" : "").append(".\n\n")
        .append(Reports.markdown(header, table)).append('\n')
        .append("F1 is LoCoMo's (its task_eval/evaluation.py, NLTK's stems); LoCoMo overall is"
            + " its mean over every question, category 5 included; mem0 F1 is mem0's token-set"
            + " F1. The table leaves errored questions out; counted as 0 (strict):\n\n```\n")
        .append(scores).append("```\n");
    Path summary = out.resolve("qa-summary.md");
    Path plot = out.resolve("qa.png");
    Path html = out.resolve("qa.html");
    try {
      Files.writeString(summary, md);
    } catch (IOException failure) {
      throw new UncheckedIOException("cannot write " + summary, failure);
    }
    Reports.plot(plot, "LoCoMo F1 (categories 1-4) against input tokens per query, " + e.modelName,
        "input tokens per query (counted)", "F1", points, 0.0, 1.0);
    Map<String, String> provenance = new TreeMap<>(Map.of("model", e.modelName, "URL",
        e.url == null ? "(not given)" : e.url, "budget",
        e.budget + " tokens (" + e.reader.name() + ")",
        "systems", e.systems.toString(), "categories", cats.toString(),
        "questions per conversation",
        e.limit == Integer.MAX_VALUE ? "all" : Integer.toString(e.limit),
        "judge", e.judge == null ? "none" : "the same API, prompt below",
        "conversations", e.files.toString(), "date", java.time.LocalDate.now(e.clock).toString()));
    List<String> sections = new ArrayList<>();
    sections.add("<h2>Scores</h2><p>LoCoMo's token F1 by category (by number, as the data gives"
        + " them) and, with a judge, the share judged correct (J). Tokens per query: input tokens"
        + " summed over a question's requests, as the API reported them and as we counted them."
        + " Data: <a href=\"qa.csv\">qa.csv</a>.</p>" + Reports.table(header, table)
        + "<img src=\"qa.png\" alt=\"F1 against tokens\">");
    String user = QaExperiment.PAGES_HEADER + "\n[page images]\n" + QaExperiment.TEXT_HEADER
        + "\n[turns as \"speaker: text\"]\nQuestion: [question]";
    sections.add("<h2>Prompts</h2><h3>System</h3><pre>"
        + Reports.escape(QaExperiment.SYSTEM_PROMPT) + "</pre><h3>Added with the recall tool</h3><pre>"
        + Reports.escape(QaExperiment.RECALL_PROMPT) + "</pre><h3>User message</h3><pre>"
        + Reports.escape(user) + "</pre><h3>Judge</h3><pre>"
        + Reports.escape(QaExperiment.JUDGE_PROMPT) + "</pre>");
    Reports.html(html, "LoCoMo question answering", Provenance.of(e.commandLine, e.modelName,
        e.fonts, 0, provenance), sections);
    return new QaExperiment.Result(csv, summary, plot, html, rows, stopped);
  }

  private static String mean(List<QaRow> rows,
      java.util.function.Function<QaRow, java.util.OptionalDouble> column, boolean tokens) {
    double[] values = rows.stream().map(column).filter(java.util.OptionalDouble::isPresent)
        .mapToDouble(java.util.OptionalDouble::getAsDouble).toArray();
    if (values.length == 0) {
      return "";
    }
    double mean = java.util.Arrays.stream(values).average().orElse(0);
    return tokens ? String.format(Locale.ROOT, "%,.0f", mean)
        : String.format(Locale.ROOT, "%.3f", mean);
  }

  private static java.util.OptionalDouble asDouble(java.util.OptionalLong v) {
    return v.isPresent() ? java.util.OptionalDouble.of(v.getAsLong())
        : java.util.OptionalDouble.empty();
  }
}
