package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees at the edges: usage errors exit 2, refusals leave nothing behind. */
class SmallPromisesTest {
  @TempDir Path tmp;

  private Path stored() throws Exception {
    Path db = tmp.resolve("db");
    Path f = Files.writeString(tmp.resolve("f.jsonl"), "{\"speaker\":\"Ines\",\"text\":\"the red"
        + " \\u001b[31msail\\u001b[0m is in the shed\"}\n{\"text\":\"thanks\"}\n");
    CliRun run = CliRun.of("ingest", "--db", db.toString(), "--conversation", "c", "--jsonl",
        f.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return db;
  }

  @Test
  void recall_with_k_out_of_range_or_a_blank_query_is_a_usage_error() throws Exception {
    Path db = stored();
    for (String[] bad : new String[][] {{"--k", "0"}, {"--k", "101"}, {"--query", " "}}) {
      String query = bad[0].equals("--query") ? bad[1] : "sail";
      String k = bad[0].equals("--k") ? bad[1] : "3";
      CliRun run = CliRun.of("recall", "--db", db.toString(), "--conversation", "c", "--query",
          query, "--k", k);
      assertThat(run.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(run.err()).contains(bad[0]);
    }
  }

  @Test
  void recall_prints_a_stored_escape_sequence_as_text_never_as_a_terminal_command()
      throws Exception {
    Path db = stored();
    CliRun run = CliRun.of("recall", "--db", db.toString(), "--conversation", "c", "--query",
        "shed");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("\\x1b[31msail\\x1b[0m").doesNotContain("\u001b");
  }

  @Test
  void a_misspelt_option_is_named_with_the_option_meant() throws Exception {
    CliRun run = CliRun.of("recall", "--db", tmp.resolve("db").toString(), "--conversaton", "c",
        "--query", "sail");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown option --conversaton; did you mean --conversation?");
  }

  @Test
  void render_of_an_input_it_refuses_creates_no_output_folder() throws Exception {
    Path out = tmp.resolve("pages");
    Path empty = Files.createFile(tmp.resolve("empty.txt"));
    CliRun run = CliRun.of("render", "--out", out.toString(), empty.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(out).doesNotExist();
    if (Files.exists(Path.of("/dev/zero"))) {
      CliRun zero = CliRun.of("render", "--out", out.toString(), "/dev/zero");
      assertThat(zero.exitCode()).isEqualTo(1);
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void ingest_of_an_empty_file_or_a_refused_line_leaves_no_database_behind() throws Exception {
    Path db = tmp.resolve("fresh");
    Path empty = Files.createFile(tmp.resolve("empty.jsonl"));
    CliRun nothing = CliRun.of("ingest", "--db", db.toString(), "--conversation", "c", "--jsonl",
        empty.toString());
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.err()).contains("empty.jsonl: holds no turns; nothing was ingested");
    assertThat(tmp.resolve("fresh.mv.db")).doesNotExist();
    Path tooLong = Files.writeString(tmp.resolve("long.jsonl"), "{\"text\":\"ok\"}\n{\"speaker\":\""
        + "S".repeat(300) + "\",\"text\":\"hi\"}\n");
    CliRun refused = CliRun.of("ingest", "--db", db.toString(), "--conversation", "c", "--jsonl",
        tooLong.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("long.jsonl:2");
    assertThat(tmp.resolve("fresh.mv.db")).as("a database this run made and stored nothing in")
        .doesNotExist();
  }
}
