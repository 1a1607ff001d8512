package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Several processes on one PostgreSQL memory, each a real child JVM. */
class MultiProcessTest {
  static final PostgresDatabase DATABASE = new PostgresDatabase();

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }

  /** A child JVM of {@link SharedChild}, its stdout lines collected as they come. */
  private static final class Child {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Thread reader;

    Child(String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.awt.headless=true", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          SharedChild.class.getName()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("PGPASSWORD", PostgresDatabase.password());
      process = builder.start();
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          // the process was killed
        }
      });
      reader.start();
    }

    int finish() throws Exception {
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the child finished").isTrue();
      reader.join(10_000);
      return process.exitValue();
    }

    long count(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
  }

  @Test
  void three_processes_appending_to_one_conversation_lose_nothing_duplicate_nothing_and_agree_on_one_order()
      throws Exception {
    String url = DATABASE.freshSchema();
    SharedChild.builder(url).build().close(); // the schema, made once before the race
    List<Child> children = new ArrayList<>();
    for (String p : List.of("p1", "p2", "p3")) {
      children.add(new Child("append", url, "shared", p, "150"));
    }
    Map<String, Integer> acknowledged = new HashMap<>();
    for (int c = 0; c < children.size(); c++) {
      assertThat(children.get(c).finish()).isZero();
      for (String line : children.get(c).lines) {
        String[] f = line.split(" ");
        acknowledged.put("p" + (c + 1) + "-" + f[1], Integer.parseInt(f[2]));
      }
    }
    assertThat(acknowledged).hasSize(450);
    assertThat(new HashSet<>(acknowledged.values())).as("one number per turn").hasSize(450);
    try (OpticalMemory memory = SharedChild.builder(url).backgroundWork(false).build()) {
      assertThat(memory.stats("shared").turns()).isEqualTo(450);
      for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
        assertThat(memory.operations().turnOf("shared", e.getKey())).hasValue(e.getValue());
      }
      for (String p : List.of("p1", "p2", "p3")) {
        for (int i = 1; i < 150; i++) {
          assertThat(acknowledged.get(p + "-" + i)).as("%s keeps its own order", p)
              .isGreaterThan(acknowledged.get(p + "-" + (i - 1)));
        }
      }
      // The segments tile the turns: each starts where the one before ended, parts in order.
      int next = 0;
      for (Segment s : memory.segments("shared")) {
        assertThat(s.firstTurn()).isEqualTo(next);
        List<MemoryTurn> turns = memory.operations().turns("shared", s.id());
        assertThat(turns).hasSize(s.lastTurn() - s.firstTurn() + 1);
        next = s.lastTurn() + 1;
      }
      assertThat(next).isEqualTo(450);
    }
  }

  /** A conversation of {@code n} turns of about 3,500 characters: one closed segment each. */
  private static void backlog(String url, int n) {
    String page = "The harbour log continues with the crane inspections, the ferry schedule and the"
        + " weather on the quay. ";
    try (OpticalMemory memory = SharedChild.builder(url).backgroundWork(false).build()) {
      for (int i = 0; i < n; i++) {
        memory.append("backlog", MemoryTurn.user("Mira", "Entry " + i + ". " + page.repeat(32)));
      }
      assertThat(memory.segments("backlog").stream().filter(s -> !s.open()).count())
          .isGreaterThanOrEqualTo(n - 1);
    }
  }

  private static List<Segment> closedSegments(String url) {
    try (OpticalMemory memory = SharedChild.builder(url).backgroundWork(false).build()) {
      return memory.segments("backlog").stream().filter(s -> !s.open()).toList();
    }
  }

  private static void assertEverySegmentAtBaseWithItsImage(String url) throws Exception {
    try (OpticalMemory memory = SharedChild.builder(url).backgroundWork(false).build()) {
      for (Segment s : memory.segments("backlog")) {
        if (!s.open()) {
          assertThat(s.tier()).as("segment %d", s.index()).isEqualTo(Tier.BASE);
          assertThat(memory.operations().image("backlog", s.id(), Tier.BASE)).isPresent();
          assertThat(memory.operations().image("backlog", s.id(), Tier.LARGE)).as("dropped after BASE").isEmpty();
        }
      }
    }
    try (Connection c = PostgresDatabase.connect(url); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM segments WHERE lease_owner IS NOT NULL")) {
      r.next();
      assertThat(r.getInt(1)).as("leases left held").isZero();
    }
  }

  @Test
  void four_workers_racing_over_two_hundred_segments_apply_each_transition_exactly_once()
      throws Exception {
    String url = DATABASE.freshSchema();
    backlog(url, 201);
    List<Segment> closed = closedSegments(url);
    assertThat(closed).hasSizeGreaterThanOrEqualTo(200);
    List<Child> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(new Child("work", url, "60"));
    }
    Map<String, Integer> applied = new HashMap<>();
    List<Long> perWorker = new ArrayList<>();
    for (Child worker : workers) {
      assertThat(worker.finish()).isZero();
      assertThat(worker.lines).contains("IDLE");
      perWorker.add(worker.count("TRANSITION"));
      for (String line : worker.lines) {
        if (line.startsWith("TRANSITION ")) {
          applied.merge(line.substring("TRANSITION ".length()), 1, Integer::sum);
        }
      }
    }
    Set<String> expected = new HashSet<>();
    for (Segment s : closed) {
      expected.add(s.id() + " TEXT LARGE");
      expected.add(s.id() + " LARGE BASE");
    }
    assertThat(applied.keySet()).isEqualTo(expected);
    assertThat(applied.values()).as("each transition once (per worker: %s)", perWorker)
        .allMatch(n -> n == 1);
    assertEverySegmentAtBaseWithItsImage(url);
  }

  @Test
  void a_worker_killed_mid_work_leaves_nothing_half_done_and_another_takes_over_at_lease_expiry()
      throws Exception {
    String url = DATABASE.freshSchema();
    backlog(url, 31);
    Child first = new Child("work", url, "3");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (first.count("TRANSITION") < 5 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.process.destroyForcibly(); // SIGKILL, between or inside transactions
    first.finish();
    assertThat(first.count("TRANSITION")).isGreaterThanOrEqualTo(5);
    Child second = new Child("work", url, "3");
    assertThat(second.finish()).isZero();
    assertThat(second.lines).contains("IDLE");
    Set<String> seen = new HashSet<>();
    for (Child child : List.of(first, second)) {
      for (String line : child.lines) {
        if (line.startsWith("TRANSITION ")) {
          assertThat(seen.add(line)).as("applied once: %s", line).isTrue();
        }
      }
    }
    assertEverySegmentAtBaseWithItsImage(url);
  }

  @Test
  void a_memory_built_without_background_work_renders_nothing_and_refuses_to_catch_up() {
    String url = DATABASE.freshSchema();
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false).jdbcUrl(url)
        .password(PostgresDatabase.password()).fonts(FontSet.latinOnly()).backgroundWork(false)
        .build()) {
      for (MemoryTurn turn : Conversations.harbour(200, 1)) {
        memory.append("quiet", turn);
      }
      assertThat(memory.operations().awaitIdle(java.time.Duration.ofSeconds(1))).isTrue();
      assertThat(memory.stats("quiet").tiers().get(Tier.TEXT))
          .isEqualTo(memory.stats("quiet").segments());
      org.assertj.core.api.Assertions.assertThatThrownBy(memory.operations()::catchUp)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("background work is off in this memory (backgroundWork(false)); run a"
              + " worker for it");
    }
  }
}
