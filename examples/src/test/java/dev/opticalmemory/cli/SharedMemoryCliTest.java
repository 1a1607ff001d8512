package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.PostgresDatabase;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.TcpProxy;
import dev.opticalmemory.memory.Tier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a PostgreSQL memory (OPTICAL_MEMORY_TEST_PG_URL and PGPASSWORD, set by
 * .ci/run): --db takes the URL, and the worker stops cleanly on SIGTERM.
 */
class SharedMemoryCliTest {
  private static final PostgresDatabase DATABASE = new PostgresDatabase();
  @TempDir Path tmp;

  private static String freshSchema() {
    return DATABASE.freshSchema();
  }

  private static Connection connect(String url) throws Exception {
    return PostgresDatabase.connect(url);
  }

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }

  private static OpticalMemoryBuilder agent(String url) {
    return OpticalMemory.builder().jdbcUrl(url).password(System.getenv("PGPASSWORD"))
        .backgroundWork(false);
  }

  @Test
  void ingest_stats_and_recall_take_a_postgresql_url_for_db() throws Exception {
    String url = freshSchema();
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      jsonl.append("{\"speaker\":\"Ines\",\"text\":\"Message ").append(i)
          .append(" about the regatta and the spare sails in the boathouse.\"}\n");
    }
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), jsonl);
    CliRun ingest = CliRun.of("ingest", "--db", url, "--conversation", "lake", "--jsonl",
        file.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out()).startsWith("ingested 120 turns into 'lake'");
    CliRun stats = CliRun.of("stats", "--db", url, "--conversation", "lake", "--json");
    assertThat(stats.exitCode()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("\"turns\":120");
  }

  @Test
  void a_password_in_the_url_is_refused_and_never_printed() throws Exception {
    String url = freshSchema() + "&password=hunter2";
    CliRun run = CliRun.of("stats", "--db", url, "--conversation", "lake");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("carries a password").contains("OPTICAL_MEMORY_DB_PASSWORD")
        .doesNotContain("hunter2");
  }

  @Test
  void the_worker_stops_cleanly_on_sigterm_and_leaves_no_lease_held() throws Exception {
    String url = freshSchema();
    String page = "The harbour log goes on about cranes, ferries and the weather on the quay. ";
    try (OpticalMemory memory = agent(url).build()) {
      for (int i = 0; i < 40; i++) {
        memory.append("backlog", MemoryTurn.user("Mira", "Entry " + i + ". " + page.repeat(40)));
      }
    }
    ProcessBuilder builder = new ProcessBuilder(CliRun.command("worker", "--db", url, "--poll",
        "PT0.2S", "--log-transitions"));
    builder.environment().put("PGPASSWORD", System.getenv("PGPASSWORD"));
    Process worker = builder.redirectError(tmp.resolve("worker.err").toFile()).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(worker.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // ended
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (lines.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(lines).as("transitions before the signal").hasSizeGreaterThanOrEqualTo(3);
    worker.destroy(); // SIGTERM
    assertThat(worker.waitFor(90, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    String err = Files.readString(tmp.resolve("worker.err"));
    assertThat(worker.exitValue()).as(err).isZero();
    assertThat(err).contains("worker: stopped after").contains("leases given back");
    try (Connection c = connect(url); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM segments WHERE lease_owner IS NOT NULL")) {
      r.next();
      assertThat(r.getInt(1)).as("leases held after the worker stopped").isZero();
    }
    // What it did is whole, and another worker finishes the rest.
    try (OpticalMemory memory = OpticalMemory.builder().jdbcUrl(url)
        .password(System.getenv("PGPASSWORD")).build()) {
      for (Segment segment : memory.segments("backlog")) {
        if (segment.tier().isImage()) {
          assertThat(memory.operations().image("backlog", segment.id())).isPresent();
        }
      }
      memory.operations().catchUp();
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(3))).isTrue();
      assertThat(memory.stats("backlog").pendingTransitions()).isZero();
      assertThat(memory.stats("backlog").tiers().get(Tier.TEXT)).isLessThan(40);
    }
  }

  @Test
  void the_worker_outlives_a_database_outage_of_fifteen_seconds_with_a_line_at_each_end()
      throws Exception {
    String url = freshSchema();
    java.net.URI target = java.net.URI.create(url.substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort())) {
      String viaProxy = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
      ProcessBuilder builder = new ProcessBuilder(CliRun.command("worker", "--db", viaProxy,
          "--poll", "PT0.2S"));
      builder.environment().put("PGPASSWORD", System.getenv("PGPASSWORD"));
      Path errFile = tmp.resolve("outage.err");
      Process worker = builder.redirectError(errFile.toFile()).start();
      try {
        waitFor(errFile, "worker: working on", 60);
        proxy.cut();
        waitFor(errFile, "worker: the database cannot be reached", 60);
        Thread.sleep(15_000);
        assertThat(worker.isAlive()).as(Files.readString(errFile)).isTrue();
        proxy.restore();
        waitFor(errFile, "worker: the database is back after", 60);
      } finally {
        worker.destroy(); // SIGTERM
        assertThat(worker.waitFor(90, TimeUnit.SECONDS)).isTrue();
      }
      String err = Files.readString(errFile);
      assertThat(worker.exitValue()).as(err).isZero();
      assertThat(err.lines().filter(l -> l.contains("cannot be reached"))).as(err).hasSize(1);
      List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines.get(lines.size() - 1)).as("stopped is the last line")
          .startsWith("worker: stopped after");
    }
  }

  @Test
  void two_ingests_of_one_file_at_once_store_each_turn_once_in_order_and_report_what_each_stored()
      throws Exception {
    String url = freshSchema();
    StringBuilder jsonl = new StringBuilder();
    int lines = 500;
    for (int i = 0; i < lines; i++) {
      jsonl.append("{\"speaker\":\"Ines\",\"text\":\"Line ").append(i)
          .append(" about the ferry timetable and the harbour crane.\"}\n");
    }
    Path file = Files.writeString(tmp.resolve("same.jsonl"), jsonl);
    List<Process> ingests = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder builder = new ProcessBuilder(CliRun.command("ingest", "--db", url,
          "--conversation", "twice", "--jsonl", file.toString()));
      builder.environment().put("PGPASSWORD", System.getenv("PGPASSWORD"));
      ingests.add(builder.redirectOutput(tmp.resolve("ingest" + i + ".out").toFile())
          .redirectError(tmp.resolve("ingest" + i + ".err").toFile()).start());
    }
    int reported = 0;
    for (int i = 0; i < 2; i++) {
      assertThat(ingests.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
      String out = Files.readString(tmp.resolve("ingest" + i + ".out"));
      String err = Files.readString(tmp.resolve("ingest" + i + ".err"));
      assertThat(ingests.get(i).exitValue()).as(err).isZero();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ingested (\\d+) turns")
          .matcher(out);
      assertThat(m.find()).as(out).isTrue();
      reported += Integer.parseInt(m.group(1));
    }
    assertThat(reported).as("turns the two ingests say they stored").isEqualTo(lines);
    try (OpticalMemory memory = agent(url).build()) {
      List<String> stored = new java.util.ArrayList<>();
      for (Segment segment : memory.segments("twice")) {
        for (dev.opticalmemory.memory.RecalledTurn t : memory.read("twice", segment.index(),
            segment.firstTurn(), segment.lastTurn()).turns()) {
          stored.add(t.text().replaceFirst("^.*?Line (\\d+) .*$", "$1"));
        }
      }
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < lines; i++) {
        expected.add(String.valueOf(i));
      }
      assertThat(stored).isEqualTo(expected);
    }
  }

  private static void waitFor(Path file, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' within " + seconds + " s in: "
        + (Files.exists(file) ? Files.readString(file) : "(nothing)"));
  }
}
