package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.OpticalMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest appends only a file that continues what is stored, and says so when it does not. */
class IngestContinuityTest {
  @TempDir Path tmp;

  private Path file(String name, String... texts) throws Exception {
    StringBuilder s = new StringBuilder();
    for (String t : texts) {
      s.append(t).append('\n');
    }
    return Files.writeString(tmp.resolve(name), s.toString());
  }

  private static String withId(String id, String text) {
    return "{\"speaker\":\"Ines\",\"text\":\"" + text + "\",\"attributes\":{\"id\":\"" + id + "\"}}";
  }

  private static String plain(String text) {
    return "{\"speaker\":\"Ines\",\"text\":\"" + text + "\"}";
  }

  private CliRun ingest(Path db, Path file) {
    return CliRun.of("ingest", "--db", db.toString(), "--conversation", "lake", "--jsonl",
        file.toString());
  }

  private int turns(Path db) {
    try (OpticalMemory memory = OpticalMemory.builder().path(db).build()) {
      return memory.operations().contains("lake") ? memory.stats("lake").turns() : 0;
    }
  }

  @Test
  void a_file_whose_ids_are_stored_with_other_text_is_refused_naming_the_line_and_both_texts()
      throws Exception {
    Path db = tmp.resolve("db");
    Path good = file("good.jsonl", withId("m0", "the boat leaves at nine"),
        withId("m1", "bring the red sail"), withId("m2", "the jetty is closed"));
    assertThat(ingest(db, good).exitCode()).isZero();
    Path shifted = file("shifted.jsonl", withId("m1", "something else entirely"),
        withId("m2", "the jetty is closed"), withId("m3", "new news"));
    CliRun run = ingest(db, shifted);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).doesNotContain("\n").contains(shifted + ":1")
        .contains("'m1' is stored as turn 1 with other content")
        .contains("stored \"bring the red sail\"").contains("the file has \"something else")
        .contains("nothing was ingested");
    assertThat(turns(db)).isEqualTo(3);
  }

  @Test
  void files_without_ids_are_told_apart_by_their_content_not_their_name_and_line()
      throws Exception {
    Path db = tmp.resolve("db");
    assertThat(ingest(db, file("ok.jsonl", plain("first file"))).exitCode()).isZero();
    Path other = Files.createDirectories(tmp.resolve("other")).resolve("ok.jsonl");
    Files.writeString(other, plain("a different file") + "\n");
    CliRun second = ingest(db, other);
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).startsWith("ingested 1 turns");
    assertThat(turns(db)).isEqualTo(2);

    CliRun renamed = ingest(db, file("copy.jsonl", plain("first file"), plain("a different file")));
    assertThat(renamed.exitCode()).as(renamed.err()).isZero();
    assertThat(renamed.out()).as("the same content under another name is not stored twice")
        .startsWith("ingested 0 turns").contains("(2 of the file's turns were already stored)");
    assertThat(turns(db)).isEqualTo(2);
  }

  @Test
  void a_run_cut_short_resumes_and_a_file_that_overlaps_an_older_part_is_refused()
      throws Exception {
    Path db = tmp.resolve("db");
    assertThat(ingest(db, file("part.jsonl", plain("one"), plain("two"))).exitCode()).isZero();
    CliRun resumed = ingest(db, file("all.jsonl", plain("one"), plain("two"), plain("three")));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).startsWith("ingested 1 turns");
    CliRun overlap = ingest(db, file("tail.jsonl", plain("two"), plain("four")));
    assertThat(overlap.exitCode()).isEqualTo(1);
    assertThat(overlap.err()).contains("tail.jsonl:2").contains("goes on to turn 2")
        .contains("does not continue what is stored");
    assertThat(turns(db)).isEqualTo(3);
  }

  @Test
  void an_in_memory_database_is_refused_by_the_commands_that_store_or_read_a_memory()
      throws Exception {
    Path f = file("f.jsonl", plain("hello"));
    CliRun ingest = CliRun.of("ingest", "--db", "jdbc:h2:mem:x", "--conversation", "c",
        "--jsonl", f.toString());
    assertThat(ingest.exitCode()).isEqualTo(2);
    assertThat(ingest.err()).contains("jdbc:h2:mem:x is an in-memory database")
        .contains("nothing stored in it outlives the command");
    for (String[] args : new String[][] {{"pin", "--turn", "0"}, {"stats"}}) {
      String[] all = new String[args.length + 4];
      all[0] = args[0];
      all[1] = "--db";
      all[2] = "jdbc:h2:mem:x";
      all[3] = "--conversation";
      System.arraycopy(args, 1, all, 5, args.length - 1);
      all[4] = "c";
      CliRun run = CliRun.of(all);
      assertThat(run.exitCode()).as(String.join(" ", all) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).contains("in-memory database");
    }
    CliRun worker = CliRun.of("worker", "--db", "jdbc:h2:mem:x");
    assertThat(worker.exitCode()).isEqualTo(2);
  }

  @Test
  void a_password_in_the_url_s_user_part_or_percent_encoded_is_refused_and_never_printed()
      throws Exception {
    Path f = file("f.jsonl", plain("hello"));
    for (String url : new String[] {"jdbc:postgresql://alice:s3cretpw@127.0.0.1:1/db",
        "jdbc:postgresql://127.0.0.1:1/db?user=alice&pass%77ord=s3cretpw",
        "jdbc:postgresql://127.0.0.1:1/db?user=alice&password=s3cretpw"}) {
      CliRun run = CliRun.of("ingest", "--db", url, "--conversation", "c", "--jsonl",
          f.toString());
      assertThat(run.exitCode()).as(url).isEqualTo(2);
      assertThat(run.err()).as(url).contains("carries a password").doesNotContain("s3cretpw");
      assertThat(run.out()).doesNotContain("s3cretpw");
    }
  }
}
