package dev.opticalmemory.cli;

import dev.opticalmemory.mcp.HttpOptions;
import dev.opticalmemory.mcp.McpHttpServer;
import dev.opticalmemory.mcp.OpticalMcpServer;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecallRequest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench mcp}: what the MCP server adds to a recall. The same queries on the same memory are
 * timed through the Java API in this process (the baseline, before and after), through {@code mcp}
 * over stdio in a process of its own, and over streamable HTTP on loopback; and the time from
 * starting the stdio server to its first recall answer.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Recall latency through the MCP server (stdio and HTTP) against the Java API in"
        + " the same run, and the stdio server's time from start to first answer.")
final class McpBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stored", defaultValue = "10000", paramLabel = "N",
      description = "Turns in the conversation recalled from, every page rendered, aged and decoded"
          + " in the background first (some 10 minutes for 10,000 on 2 cores). Default:"
          + " ${DEFAULT-VALUE}.")
  int stored;

  @Option(names = "--queries", defaultValue = "200", paramLabel = "N",
      description = "Timed recalls per way, after 50 of warm-up. Default: ${DEFAULT-VALUE}.")
  int queries;

  @Option(names = "--starts", defaultValue = "3", paramLabel = "N",
      description = "Stdio server starts timed to their first answer. Default: ${DEFAULT-VALUE}.")
  int starts;

  @Option(names = "--keep-db", paramLabel = "PATH",
      description = "Fill this H2 file and keep it, or reuse it where it already holds --stored"
          + " turns (instead of a temporary one, deleted at the end).")
  Path keep;

  @Option(names = "--json", description = "One JSON object per figure.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (stored < 100 || stored > 1_000_000) {
      throw CliException.usage("--stored must be between 100 and 1000000, but is: " + stored);
    }
    if (queries < 10 || queries > 100_000) {
      throw CliException.usage("--queries must be between 10 and 100000, but is: " + queries);
    }
    if (starts < 1 || starts > 20) {
      throw CliException.usage("--starts must be between 1 and 20, but is: " + starts);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = keep == null ? Files.createTempDirectory("optical-memory-bench-mcp") : null;
    String db = keep != null ? keep.toString() : dir.resolve("mcp").toString();
    try {
      out.printf("MCP benchmark, %d cores, %d turns, %d queries per way; stdio server: %s%n",
          Runtime.getRuntime().availableProcessors(), stored, queries,
          launcher() != null ? "the launcher" : "java and this class path");
      fill(db, out, err);
      List<String> sentences = MemoryBench.sampleSentences();
      Random random = new Random(11);
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < queries + 50; i++) {
        String[] words = sentences.get(random.nextInt(sentences.size())).split("\\s+");
        asked.add(words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)]);
      }
      List<Long> direct = new ArrayList<>();
      long[][] http;
      try (OpticalMemory memory = quiet(db)) {
        direct.addAll(time(asked, q -> memory.recall("c", RecallRequest.of(q).k(5))));
        http = overHttp(memory, asked);
      }
      long[][] stdio = overStdio(db, asked);
      try (OpticalMemory memory = quiet(db)) {
        direct.addAll(time(asked, q -> memory.recall("c", RecallRequest.of(q).k(5))));
      }
      long[] baseline = direct.stream().mapToLong(Long::longValue).sorted().toArray();
      String note = "Java API in this process, before and after the MCP runs (baseline)";
      MemoryBench.report(out, json, "recall k=5, Java API, p50 (ms)", p(baseline, 50), note);
      MemoryBench.report(out, json, "recall k=5, Java API, p99 (ms)", p(baseline, 99), note);
      report(out, "stdio", stdio, baseline,
          "the mcp command in a process of its own, SDK client, JSON-RPC over pipes");
      report(out, "HTTP", http, baseline,
          "streamable HTTP on loopback, server and SDK client in this process");
      double[] first = new double[starts];
      for (int i = 0; i < starts; i++) {
        first[i] = startToFirstAnswer(db, asked.get(i));
      }
      Arrays.sort(first);
      MemoryBench.report(out, json, "stdio start to first recall answer (s)", first[starts / 2],
          "median of " + starts + " starts of a fresh JVM: " + Arrays.toString(first));
    } finally {
      if (dir != null) {
        MemoryBench.delete(dir);
      }
    }
    return 0;
  }

  /** The memory as the stdio server opens it: no background work, which would skew the timing. */
  private static OpticalMemory quiet(String db) {
    return MemoryCommands.build(MemoryCommands.builder(db, true).backgroundWork(false), db);
  }

  private void fill(String db, PrintWriter out, PrintWriter err)
      throws IOException {
    if (Files.exists(Path.of(db + ".mv.db"))) {
      try (OpticalMemory memory = MemoryCommands.open(db, true)) {
        int turns = memory.stats("c").turns();
        if (turns != stored) {
          throw CliException.usage("--keep-db " + db + " holds " + turns + " turns, not --stored "
              + stored + "; give another path");
        }
        memory.operations().catchUp();
        MemoryCommands.awaitIdle(memory, "c", err, "bench mcp: pages", Duration.ofHours(2));
        return;
      }
    }
    long start = System.nanoTime();
    List<MemoryTurn> pool = MemoryBench.turns(2000, MemoryBench.sampleSentences(), new Random(7));
    try (OpticalMemory memory = MemoryCommands.open(db, false)) {
      for (int i = 0; i < stored; i++) {
        memory.append("c", pool.get(i % pool.size()));
        if (i % 1000 == 0) {
          err.printf("\rbench mcp: appending %d/%d", i, stored);
          err.flush();
        }
      }
      err.println();
      MemoryCommands.awaitIdle(memory, "c", err, "bench mcp: rendering and decoding pages",
          Duration.ofHours(2));
      MemoryBench.report(out, json, "fill " + stored + " turns, rendered, aged, decoded (s)",
          (System.nanoTime() - start) / 1e9, "tiers " + memory.stats("c").tiers());
    }
  }

  private static long[][] overStdio(String db, List<String> asked) {
    McpSyncClient client = stdioClient(db);
    try {
      return new long[][] {toArray(time(asked, q -> recall(client, q))),
          toArray(time(asked, q -> client.ping()))};
    } finally {
      client.closeGracefully();
    }
  }

  private static long[][] overHttp(OpticalMemory memory, List<String> asked) {
    try (McpHttpServer server = OpticalMcpServer.builder(memory).build()
        .serveHttp(HttpOptions.builder().build())) {
      McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
          .builder("http://127.0.0.1:" + server.port()).endpoint("/mcp").build())
          .requestTimeout(Duration.ofMinutes(2)).build();
      try {
        client.initialize();
        return new long[][] {toArray(time(asked, q -> recall(client, q))),
            toArray(time(asked, q -> client.ping()))};
      } finally {
        client.closeGracefully();
      }
    }
  }

  /** Seconds from starting the server process to the answer of its first recall. */
  private static double startToFirstAnswer(String db, String query) {
    long start = System.nanoTime();
    McpSyncClient client = stdioClient(db);
    try {
      recall(client, query);
      return (System.nanoTime() - start) / 1e9;
    } finally {
      client.closeGracefully();
    }
  }

  private static McpSyncClient stdioClient(String db) {
    McpSyncClient client = McpClient.sync(new StdioClientTransport(serverProcess(db),
            new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper())))
        .requestTimeout(Duration.ofMinutes(2)).initializationTimeout(Duration.ofMinutes(2))
        .build();
    client.initialize();
    return client;
  }

  /**
   * The server as a desktop client starts it: through the launcher beside the jar this runs from
   * (with its class-data archive), or with {@code java} and this class path where there is none.
   */
  static ServerParameters serverProcess(String db) {
    Path launcher = launcher();
    if (launcher != null) {
      return ServerParameters.builder(launcher.toString())
          .args("mcp", "--db", db, "--no-background").build();
    }
    return ServerParameters.builder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .args("-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
            OpticalMemoryCli.class.getName(), "mcp", "--db", db, "--no-background")
        .build();
  }

  /** ROOT/optical-memory where this runs from ROOT/examples/target/optical-memory.jar. */
  private static Path launcher() {
    Path jar = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
    if (!jar.getFileName().toString().equals("optical-memory.jar") || jar.getParent() == null
        || jar.getParent().getParent() == null || jar.getParent().getParent().getParent() == null) {
      return null;
    }
    Path launcher = jar.getParent().getParent().getParent().resolve("optical-memory");
    return Files.isExecutable(launcher) ? launcher : null;
  }

  private static void recall(McpSyncClient client, String query) {
    McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder()
        .name("recall").arguments(Map.of("conversation", "c", "query", query, "k", 5)).build());
    if (Boolean.TRUE.equals(r.isError())) {
      throw new CliException("bench mcp: recall of '" + query + "' failed: " + r.content());
    }
  }

  /** Nanoseconds of each call after the first 50, which warm up. */
  private static List<Long> time(List<String> asked, Consumer<String> call) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      long t = System.nanoTime();
      call.accept(asked.get(i));
      if (i >= 50) {
        times.add(System.nanoTime() - t);
      }
    }
    return times;
  }

  private static long[] toArray(List<Long> times) {
    return times.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** A way's recall percentiles beside the baseline's, and its ping: the protocol alone. */
  private void report(PrintWriter out, String way, long[][] times, long[] baseline, String how)
      throws IOException {
    for (int q : new int[] {50, 99}) {
      double overhead = p(times[0], q) - p(baseline, q);
      MemoryBench.report(out, json, "recall k=5 over " + way + ", p" + q + " (ms)", p(times[0], q),
          String.format("%s; %+.2f ms beside the Java API's p%d", how, overhead, q));
    }
    for (int q : new int[] {50, 99}) {
      MemoryBench.report(out, json, "ping over " + way + ", p" + q + " (ms)", p(times[1], q),
          "an empty request and its answer: what the protocol and the SDK cost alone");
    }
  }

  /** The q-th percentile in milliseconds, by nearest rank. */
  private static double p(long[] sorted, int q) {
    int rank = (int) Math.ceil(sorted.length * q / 100.0) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
  }
}
