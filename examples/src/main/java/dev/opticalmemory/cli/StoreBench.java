package dev.opticalmemory.cli;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.FontSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The PostgreSQL figures of {@code bench memory --db URL}, in a schema of their own: append
 * latency with N turns stored, the same with two processes appending to one conversation at once,
 * and how long 1 and 2 worker processes take to age a backlog of 200 rendered segments to TINY.
 * Child processes are {@link StoreBenchChild}s on this JVM's class path.
 */
final class StoreBench {
  private final MemoryBench bench;
  private final String base;
  private final int stored;
  private final List<MemoryTurn> pool;

  StoreBench(MemoryBench bench, String base, int stored, List<MemoryTurn> pool) {
    this.bench = bench;
    this.base = base;
    this.stored = stored;
    this.pool = pool;
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    String password = MemoryCommands.password();
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(base, p);
  }

  private OpticalMemoryBuilder builder(String url) {
    OpticalMemoryBuilder b = MemoryCommands.builder(url, false).fonts(FontSet.latinOnly());
    return b;
  }

  void run(PrintWriter out, PrintWriter err) throws Exception {
    String schema = "optical_memory_bench_" + ProcessHandle.current().pid();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new CliException("--db " + MemoryCommands.redact(base) + ": cannot create the bench's"
          + " schema " + schema + " (" + e.getMessage() + ")", e);
    }
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try {
      appends(url, out, err);
      twoProcesses(url, out);
      for (int workers : new int[] {1, 2}) {
        drain(url, workers, out, err);
      }
    } finally {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private void appends(String url, PrintWriter out, PrintWriter err) throws IOException {
    int conversations = Math.max(1, stored / 600);
    try (OpticalMemory memory = builder(url).build()) {
      long start = System.nanoTime();
      for (int i = 0; i < stored; i++) {
        memory.append("conv-" + (i % conversations), pool.get(i % pool.size()));
      }
      memory.operations().awaitIdle(Duration.ofHours(1));
      err.printf("bench memory: PostgreSQL filled with %d turns in %.0f s, measuring%n", stored,
          (System.nanoTime() - start) / 1e9);
      bench.appendLatency(out, memory, stored, conversations, pool,
          "PostgreSQL, pages rendered, background yields");
    }
  }

  private List<Process> children(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        StoreBenchChild.class.getName()));
    command.addAll(List.of(args));
    return List.of(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start());
  }

  /** A child process's output lines, once it has exited; a failed child is a CliException. */
  static List<String> lines(Process p) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    }
    if (p.waitFor() != 0) {
      throw new CliException("a bench child process failed with exit code " + p.exitValue());
    }
    return lines;
  }

  private void twoProcesses(String url, PrintWriter out) throws Exception {
    List<Process> both = new ArrayList<>();
    both.addAll(children("append", url, "two-processes", "4000"));
    both.addAll(children("append", url, "two-processes", "4000"));
    int n = 1;
    for (Process p : both) {
      String[] f = lines(p).get(0).split(" ");
      bench.report(out, "append p50, 2 processes at once, process " + n + " (ms)",
          Double.parseDouble(f[1]), "PostgreSQL, one conversation, 4000 appends each");
      bench.report(out, "append p99, 2 processes at once, process " + n + " (ms)",
          Double.parseDouble(f[2]), "PostgreSQL, one conversation, 4000 appends each");
      n++;
    }
  }

  private void drain(String url, int workers, PrintWriter out, PrintWriter err) throws Exception {
    String conversation = "backlog-" + workers;
    String page = "The harbour log continues with the crane inspections, the ferry schedule and"
        + " the weather on the quay. ";
    long start = System.nanoTime();
    try (OpticalMemory memory = builder(url).agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build()) {
      for (int i = 0; i < 201; i++) {
        memory.append(conversation, MemoryTurn.user("Mira", "Entry " + i + ". "
            + page.repeat(32)));
      }
      memory.operations().awaitIdle(Duration.ofHours(1));
      err.printf("bench memory: %s rendered in %.0f s; %d worker(s) age it to TINY%n",
          conversation, (System.nanoTime() - start) / 1e9, workers);
    }
    try (OpticalMemory agent = builder(url).backgroundWork(false).build()) {
      // An agent's append, as in production: it marks the conversation as having work to do.
      agent.append(conversation, MemoryTurn.user("Mira", "One more entry."));
    }
    long drainStart = System.nanoTime();
    List<Process> running = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      running.addAll(children("work", url));
    }
    for (Process p : running) {
      lines(p);
    }
    double seconds = (System.nanoTime() - drainStart) / 1e9 - 1.0; // each ends after 1 s idle
    try (OpticalMemory memory = builder(url).backgroundWork(false).build()) {
      long tiny = memory.segments(conversation).stream().filter(s -> s.tier() == Tier.TINY)
          .count();
      bench.report(out, "backlog of 200 LARGE segments to TINY, " + workers + " worker"
          + (workers == 1 ? "" : "s") + " (s)", seconds, tiny + " segments at TINY; JVM start"
          + " included, the final idle second not");
    }
  }
}
