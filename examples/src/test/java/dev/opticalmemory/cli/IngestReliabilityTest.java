package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.OpticalMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest is all-or-nothing, strict about its input, bounded, and re-runnable without duplicates. */
class IngestReliabilityTest {
  @TempDir Path tmp;

  private static String goodLines(int n, int from) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      s.append("{\"speaker\":\"Ines\",\"text\":\"Message ").append(i)
          .append(" about the regatta schedule and the sails.\"}\n");
    }
    return s.toString();
  }

  private CliRun ingest(Path db, Path file) {
    return CliRun.of("ingest", "--db", db.toString(), "--conversation", "lake", "--jsonl",
        file.toString());
  }

  private int storedTurns(Path db) {
    try (OpticalMemory memory = OpticalMemory.builder().path(db).build()) {
      return memory.operations().contains("lake") ? memory.stats("lake").turns() : 0;
    }
  }

  private static void assertOneLineError(CliRun run, String... fragments) {
    assertOneLineError(1, run, fragments);
  }

  private static void assertOneLineError(int code, CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).doesNotContain("\n").contains(fragments);
  }

  @Test
  void a_bad_line_after_good_ones_is_named_by_file_and_line_and_nothing_is_stored() throws Exception {
    Path db = tmp.resolve("db");
    String[][] cases = {
        {"{\"text\": \"\"}", ":101: turn.text must not be empty"},
        {"{\"text\": {\"a\": 1}}", ":101: text must be a string, but is object {\"a\":1}"},
        {"{\"text\": [\"x\"]}", ":101: text must be a string, but is array [\"x\"]"},
        {"{\"text\": 12345}", ":101: text must be a string, but is number 12345"},
        {"{\"speaker\": \"" + "S".repeat(300) + "\", \"text\": \"hi\"}",
            ":101: turn.speaker must be at most 200 characters, but is 300"},
        {"{\"text\":\"kept\"} {\"text\":\"DROPPED\"}",
            ":101: not valid JSON: one JSON object per line, but more follows the first"},
        {"{\"text\": \"hi\", \"txet\": \"typo\"}", ":101: unknown field \"txet\""},
        {"{\"text\": \"a\", \"text\": \"b\"}", ":101: not valid JSON: Duplicate field 'text'"},
        {"{\"text\": \"hi\", \"attributes\": {\"id\": 7}}",
            ":101: attributes.id must be a string, but is number 7"},
        {"{\"text\": \"hi\", \"role\": \"robot\"}", ":101: role must be user, assistant"},
        {"[1, 2]", ":101: a turn must be a JSON object with \"text\", but is array [1,2]"},
    };
    for (String[] bad : cases) {
      Path file = Files.writeString(tmp.resolve("bad.jsonl"), goodLines(100, 0) + bad[0] + "\n");
      CliRun run = ingest(db, file);
      assertOneLineError(run, "ingest: " + file + bad[1]);
      assertThat(storedTurns(db)).as(bad[0]).isZero();
    }
  }

  @Test
  void a_fixed_file_ingests_once_and_a_rerun_stores_no_duplicate() throws Exception {
    Path db = tmp.resolve("db");
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), goodLines(100, 0) + "{\"text\": \"\"}\n");
    assertThat(ingest(db, file).exitCode()).isEqualTo(1);
    Files.writeString(file, goodLines(100, 0) + "{\"text\": \"fixed\"}\n");
    CliRun first = ingest(db, file);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("ingested 101 turns into 'lake'");
    CliRun again = ingest(db, file);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("ingested 0 turns into 'lake'")
        .contains("(101 of the file's turns were already stored)");
    Files.writeString(file, goodLines(100, 0) + "{\"text\": \"fixed\"}\n" + goodLines(5, 100));
    assertThat(ingest(db, file).out()).startsWith("ingested 5 turns");
    assertThat(storedTurns(db)).isEqualTo(106);
  }

  @Test
  void a_file_that_does_not_continue_what_is_stored_is_refused_before_any_append() throws Exception {
    Path db = tmp.resolve("db");
    Path file = Files.writeString(tmp.resolve("chat.jsonl"),
        "{\"text\": \"one\", \"attributes\": {\"id\": \"a\"}}\n");
    assertThat(ingest(db, file).exitCode()).isZero();
    Files.writeString(file, "{\"text\": \"zero\", \"attributes\": {\"id\": \"z\"}}\n"
        + "{\"text\": \"one\", \"attributes\": {\"id\": \"a\"}}\n");
    assertOneLineError(ingest(db, file), file + ":2: this turn (key 'a') is already stored",
        "but " + file + ":1 before it is not");
    Files.writeString(file, "{\"text\": \"x\", \"attributes\": {\"id\": \"k\"}}\n"
        + "{\"text\": \"y\", \"attributes\": {\"id\": \"k\"}}\n");
    assertOneLineError(ingest(db, file), file + ":2: the key 'k' is also on " + file + ":1");
    assertThat(storedTurns(db)).isEqualTo(1);
  }

  @Test
  void cr_lf_and_crlf_line_endings_and_a_bom_all_keep_every_turn() throws Exception {
    Path db = tmp.resolve("db");
    String[] turns = {"{\"text\": \"one\"}", "{\"text\": \"two\"}", "{\"text\": \"three\"}",
        "{\"text\": \"four\"}"};
    Path file = Files.writeString(tmp.resolve("mixed.jsonl"), "\uFEFF" + turns[0] + "\r"
        + turns[1] + "\r\n" + turns[2] + "\n\r\n" + turns[3]);
    CliRun run = ingest(db, file);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("ingested 4 turns");
  }

  @Test
  void a_locomo_file_with_a_bom_is_read_and_a_huge_session_number_is_a_named_error()
      throws Exception {
    String locomo = "{\"conversation\": {\"speaker_a\": \"Ann\", \"speaker_b\": \"Bo\","
        + " \"session_1_date_time\": \"1:56 pm on 8 May, 2023\", \"session_1\": ["
        + "{\"speaker\": \"Ann\", \"dia_id\": \"D1:1\", \"text\": \"Hello Bo.\"},"
        + "{\"speaker\": \"Bo\", \"dia_id\": \"D1:2\", \"text\": \"Hi Ann.\"}]}}";
    Path file = Files.writeString(tmp.resolve("bom.json"), "\uFEFF" + locomo);
    CliRun run = CliRun.of("ingest", "--db", tmp.resolve("db").toString(), "--conversation", "lake",
        "--locomo", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("ingested 2 turns");
    Path huge = Files.writeString(tmp.resolve("huge.json"),
        locomo.replace("session_1\"", "session_12345678901234567890\""));
    assertOneLineError(CliRun.of("ingest", "--db", tmp.resolve("db2").toString(), "--conversation",
        "lake", "--locomo", huge.toString()), "ingest: " + huge
        + ": session_12345678901234567890 has a session number that is too large");
    Path typed = Files.writeString(tmp.resolve("typed.json"),
        locomo.replace("\"Hello Bo.\"", "42"));
    assertOneLineError(CliRun.of("ingest", "--db", tmp.resolve("db3").toString(), "--conversation",
        "lake", "--locomo", typed.toString()), typed + ": session_1[0].text must be a string");
  }

  @Test
  void endless_and_huge_inputs_are_one_line_errors_not_out_of_memory() throws Exception {
    Path sparse = tmp.resolve("sparse.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(2_500_000_000L);
    }
    assertOneLineError(ingest(tmp.resolve("db"), sparse),
        "ingest: " + sparse + ": too large (2500000000 bytes); the limit for this kind of file is"
            + " 256 MB");
    Path sparseText = tmp.resolve("sparse.txt");
    try (RandomAccessFile f = new RandomAccessFile(sparseText.toFile(), "rw")) {
      f.setLength(100_000_000L);
    }
    assertOneLineError(CliRun.of("render", "--out", tmp.resolve("pages").toString(),
        sparseText.toString()), sparseText + ": too large (100000000 bytes)", "64 MB");
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      assertOneLineError(ingest(tmp.resolve("db"), zero),
          "ingest: /dev/zero:1: the line is longer than 16 Mi characters");
      assertOneLineError(CliRun.of("render", "--out", tmp.resolve("pages").toString(), "/dev/zero"),
          "render: /dev/zero: too large (it goes on past the limit); the limit for this kind of"
              + " file is 64 MB");
      assertOneLineError(CliRun.of("ocr", "/dev/zero"), "ocr: /dev/zero: too large");
    }
    assertThat(tmp.resolve("db.mv.db")).doesNotExist();
  }

  @Test
  void database_paths_that_would_make_a_surprising_file_are_one_line_errors() throws Exception {
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), goodLines(3, 0));
    assertOneLineError(2, CliRun.of("ingest", "--db", "", "--conversation", "lake", "--jsonl",
        file.toString()), "ingest: --db must name a database file or a jdbc:postgresql:// URL, but is empty");
    if (Files.exists(Path.of("/dev/null"))) {
      assertOneLineError(ingest(Path.of("/dev/null"), file),
          "ingest: --db /dev/null: cannot open the memory database /dev/null.mv.db: /dev/null is"
              + " an existing special file");
      assertThat(Path.of("/dev/null.mv.db")).doesNotExist();
    }
    assertOneLineError(ingest(file.resolve("db"), file), file + " is a file, not a folder");
    Path readme = Files.writeString(tmp.resolve("README.md"), "# notes");
    assertOneLineError(CliRun.of("demo", "--out", readme.toString()), "demo: " + readme
        + ": cannot create output folder (a file of that name is in the way)");
  }

  @Test
  void a_run_leaves_only_the_database_file_and_no_trace_file() throws Exception {
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), goodLines(300, 0));
    Path dir = Files.createDirectories(tmp.resolve("db"));
    assertThat(ingest(dir.resolve("memory"), file).exitCode()).isZero();
    assertThat(CliRun.of("stats", "--db", dir.resolve("memory").toString(), "--conversation",
        "lake").exitCode()).isZero();
    assertThat(dir.toFile().list()).containsExactly("memory.mv.db");
  }

  @Test
  void an_ingest_killed_half_way_continues_on_a_rerun_with_every_turn_once_and_in_order()
      throws Exception {
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), goodLines(1500, 0));
    Path db = tmp.resolve("db");
    Process child = new ProcessBuilder(CliRun.command("ingest", "--db", db.toString(),
        "--conversation", "lake", "--jsonl", file.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    boolean killed = false;
    try (BufferedReader err = new BufferedReader(
        new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      StringBuilder progress = new StringBuilder();
      int c;
      while ((c = err.read()) >= 0) {
        progress.append((char) c);
        if (progress.indexOf("ingest: 300/1500") >= 0) {
          child.destroyForcibly(); // SIGKILL, in the middle of the appends
          killed = true;
          break;
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(killed).as("the child reported progress before it ended").isTrue();
    int before = storedTurns(db);
    assertThat(before).isBetween(300, 1499);
    CliRun rerun = ingest(db, file);
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.out()).startsWith("ingested " + (1500 - before) + " turns")
        .contains("(" + before + " of the file's turns were already stored)");
    try (OpticalMemory memory = OpticalMemory.builder().path(db).build()) {
      assertThat(memory.stats("lake").turns()).isEqualTo(1500);
      java.util.List<TurnFiles.SourceTurn> read = TurnFiles.jsonl(file);
      for (int line = 1; line <= 1500; line += 37) {
        assertThat(read.get(line - 1).key()).startsWith("content:");
        assertThat(memory.operations().turnOf("lake", read.get(line - 1).key())).hasValue(line - 1);
      }
    }
  }
}
