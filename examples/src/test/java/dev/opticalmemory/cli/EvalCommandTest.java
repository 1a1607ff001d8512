package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  @TempDir Path tmp;

  @Test
  void eval_compression_writes_its_csv_plot_and_report_and_draws_progress() throws Exception {
    Path corpus = tmp.resolve("log.txt");
    Files.writeString(corpus, Samples.text("harbor-log.txt").repeat(3));
    CliRun run = CliRun.of("eval", "compression", "--corpus", corpus.toString(), "--out",
        tmp.resolve("out").toString(), "--limit", "1", "--modes", "tiny");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("decoding pages [").contains("3/3");
    for (String f : new String[] {"compression.csv", "compression-summary.md",
        "compression-precision.png", "compression.html"}) {
      assertThat(tmp.resolve("out").resolve(f)).exists();
    }
    assertThat(Files.readAllLines(tmp.resolve("out/compression.csv"))).hasSize(4);
  }

  @Test
  void eval_forgetting_runs_on_a_small_conversation_and_bad_arguments_are_one_line_errors()
      throws Exception {
    StringBuilder session = new StringBuilder();
    for (int t = 1; t <= 30; t++) {
      session.append(t == 1 ? "" : ",").append("{\"speaker\": \"Ann\", \"dia_id\": \"D1:").append(t)
          .append("\", \"text\": \"").append(t == 1 ? "The gate code is 7731. " : "")
          .append("Turn ").append(t).append(" about the harbour, the ferry and the weather.\"}");
    }
    Path file = tmp.resolve("c.json");
    Files.writeString(file, "{\"conversation\": {\"session_1_date_time\": \"1:56 pm on 8 May, 2023\","
        + " \"session_1\": [" + session + "]}, \"qa\": [{\"question\": \"Gate code?\", \"answer\":"
        + " 7731, \"evidence\": [\"D1:1\"], \"category\": 1}]}");
    Path second = Files.copy(file, tmp.resolve("c2.json"));
    CliRun run = CliRun.of("eval", "forgetting", "--locomo", file.toString(), second.toString(),
        "--out", tmp.resolve("f").toString(), "--policy", "text-window", "--every", "10",
        "--budget", "600", "--reader", "paddle,deepseek-modelled");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).as("both files, given space-separated, are read").startsWith("6 probes;");
    assertThat(tmp.resolve("f/forgetting.html")).exists();
    assertThat(Files.readString(tmp.resolve("f/forgetting-summary.md")))
        .contains("deepseek-modelled (model, not measured) · text-window");

    CliRun oldReader = CliRun.of("eval", "forgetting", "--locomo", file.toString(), "--out",
        tmp.resolve("g").toString(), "--reader", "openai");
    assertThat(oldReader.exitCode()).isEqualTo(2);
    assertThat(oldReader.err()).contains("--reader openai: --reader names who reads the pages"
        + " (paddle, tesseract, deepseek, deepseek-modelled, deepseek-bursts); the reader whose"
        + " tokens the budget counts is --budget-reader openai");
    assertThat(tmp.resolve("g")).doesNotExist();

    CliRun bad = CliRun.of("eval", "forgetting", "--locomo", file.toString(), "--out",
        tmp.resolve("g").toString(), "--policy", "lru");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("policy must be one of [full-text, rag, window+rag, optical,"
        + " optical+rag, optical+read, optical+rag+read] or [text-window, tier-large, tier-base,"
        + " tier-small,"
        + " tier-tiny, tiered, importance, importance-no-salience, importance-no-rehearsal,"
        + " importance-restart, legibility-only], but is: lru");
    assertThat(tmp.resolve("g")).doesNotExist();
    CliRun badShare = CliRun.of("eval", "forgetting", "--locomo", file.toString(), "--out",
        tmp.resolve("g").toString(), "--policy", "rag,optical+rag", "--rag-share", "1.5");
    assertThat(badShare.exitCode()).isEqualTo(2);
    assertThat(badShare.err()).contains("shares must each be above 0 and below 1, but are: [1.5]");
    assertThat(tmp.resolve("g")).doesNotExist();
    CliRun badRetrieval = CliRun.of("eval", "forgetting", "--locomo", file.toString(), "--out",
        tmp.resolve("g").toString(), "--policy", "rag", "--retrieval", "dense");
    assertThat(badRetrieval.exitCode()).isEqualTo(2);
    assertThat(badRetrieval.err()).contains("--retrieval must be lexical or hybrid, but is:"
        + " 'dense'");
    CliRun badEmbedder = CliRun.of("eval", "forgetting", "--locomo", file.toString(), "--out",
        tmp.resolve("g").toString(), "--policy", "rag", "--retrieval", "hybrid", "--embedder",
        "word2vec");
    assertThat(badEmbedder.exitCode()).isEqualTo(2);
    assertThat(badEmbedder.err()).contains("embedder must be").contains("'word2vec'");
    assertThat(tmp.resolve("g")).doesNotExist();
    CliRun missing = CliRun.of("eval", "compression", "--corpus", tmp.resolve("nope").toString(),
        "--out", tmp.resolve("h").toString());
    assertThat(missing.err().strip()).isEqualTo("compression: --corpus: no such file or folder: "
        + tmp.resolve("nope"));
  }

  @Test
  void eval_recall_refuses_a_bad_k_before_any_work() {
    CliRun run = CliRun.of("eval", "recall", "--locomo", "x.json", "--out",
        tmp.resolve("r").toString(), "--k", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("k must be between 1 and 20, but is: 0");
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void eval_recall_refuses_an_unknown_embedder_before_any_work() {
    CliRun run = CliRun.of("eval", "recall", "--locomo", "x.json", "--out",
        tmp.resolve("e").toString(), "--embedder", "gpt");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("embedder must be minilm, bge-small or e5-small, but is: 'gpt'");
    assertThat(tmp.resolve("e")).doesNotExist();
  }

  @Test
  void eval_score_writes_each_rows_scores_and_both_summaries_and_a_bad_line_is_one_error()
      throws Exception {
    Path input = tmp.resolve("answers.jsonl");
    Files.writeString(input, "{\"id\":\"a\",\"prediction\":\"a tie\",\"answer\":\"ties\","
        + "\"category\":4}\n{\"id\":\"b\",\"error\":\"HTTP 500\",\"category\":2}\n");
    CliRun run = CliRun.of("eval", "score", "--input", input.toString(), "--out",
        tmp.resolve("s").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("strict (errors count 0):     LoCoMo overall 0.5000")
        .contains("errors left out:             LoCoMo overall 1.0000");
    assertThat(Files.readAllLines(tmp.resolve("s/scores.jsonl"))).containsExactly(
        "{\"id\":\"a\",\"category\":4,\"locomoF1\":1.0,\"mem0F1\":0.0}",
        "{\"id\":\"b\",\"category\":2,\"locomoF1\":null,\"mem0F1\":null,\"error\":\"HTTP 500\"}");
    assertThat(tmp.resolve("s/score-summary.md")).content().contains("LoCoMo F1 cat. 1-4");

    Files.writeString(input, "{\"prediction\":\"x\",\"answer\":\"y\",\"category\":\"two\"}\n");
    CliRun bad = CliRun.of("eval", "score", "--input", input.toString(), "--out",
        tmp.resolve("t").toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err().strip()).endsWith("answers.jsonl line 1: the field category must be an"
        + " integer from 1 to 5, but is: \"two\"").doesNotContain("\n");
    assertThat(tmp.resolve("t")).as("nothing written for a refused file").doesNotExist();
    CliRun missing = CliRun.of("eval", "score", "--input", tmp.resolve("none.jsonl").toString(),
        "--out", tmp.resolve("t").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--input must be a file, but is: ").contains("(not found)");
  }
}
