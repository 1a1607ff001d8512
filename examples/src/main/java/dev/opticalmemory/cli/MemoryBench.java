package dev.opticalmemory.cli;

import dev.opticalmemory.memory.RecallRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Salience;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageEncoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench memory}: append latency with many stored turns, the time to ingest a 600-turn
 * conversation with every tier rendered, recall latency, and stored bytes per page per tier (against
 * 8-bit PNG for every tier, the baseline, in the same run). Turns are sentences of the shipped
 * sample, two speakers, in a fixed order (seed 42).
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Append latency, ingest time, recall latency and bytes per page per tier of the memory.")
final class MemoryBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stored", split = ",", defaultValue = "10000",
      description = "Stored turn counts at which to measure append latency. Default: ${DEFAULT-VALUE}.")
  List<Integer> stored;

  @Option(names = "--json", description = "One JSON object per figure.")
  boolean json;

  @Option(names = "--recall-stored", defaultValue = "10000", paramLabel = "N",
      description = "Turns in one conversation at which to measure recall (k = 5) with every page"
          + " decoded in the background: appended with decoding off, then reopened with it on and"
          + " left to decode each page once at its tier (some 10 minutes for 10,000 turns on 2"
          + " cores); 0 skips it. Default: ${DEFAULT-VALUE}.")
  int recallStored;

  @Option(names = "--recall-repeats", defaultValue = "10", paramLabel = "N",
      description = "How many times each of the 50 recall queries is asked, 1 to 1000, so that"
          + " p99 is a quantile of 50 x N times, not the slowest query. Default: ${DEFAULT-VALUE}.")
  int recallRepeats;

  @Option(names = "--db", paramLabel = "URL", description = "Also measure a PostgreSQL memory"
      + " (jdbc:postgresql://..., password from OPTICAL_MEMORY_DB_PASSWORD or PGPASSWORD): appends"
      + " at the first --stored count, two processes appending at once, and a backlog of 200"
      + " rendered segments drained by 1 and 2 worker processes. It works in a schema of its own"
      + " (optical_memory_bench_N, dropped at the end), so the role needs CREATE on the database.")
  String db;

  @Override
  public Integer call() throws Exception {
    for (int n : stored) {
      if (n < 1000 || n > 2_000_000) {
        throw CliException.usage("--stored must be between 1000 and 2000000, but one is: " + n);
      }
    }
    if (recallRepeats < 1 || recallRepeats > 1000) {
      throw CliException.usage("--recall-repeats must be between 1 and 1000, but is: "
          + recallRepeats);
    }
    if (recallStored != 0 && (recallStored < 100 || recallStored > 1_000_000)) {
      throw CliException.usage("--recall-stored must be 0 or between 100 and 1000000, but is: "
          + recallStored);
    }
    List<String> sentences = sampleSentences();
    Random random = new Random(42);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = Files.createTempDirectory("optical-memory-bench");
    try {
      out.printf("memory benchmark, %d cores%n", Runtime.getRuntime().availableProcessors());
      // 1. Ingest of 600 turns, default policy, every page rendered, aged and decoded once at the
      //    tier it rests at; then recall latency, which reads the decoded lines, against the same
      //    conversation recalled by OCR of the matching lines (background decoding off), the
      //    baseline, in the same run.
      List<MemoryTurn> conversation = turns(600, sentences, random);
      List<String> queries = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        queries.add(sentences.get(random.nextInt(sentences.size())).split("\\s+")[0] + " harbour");
      }
      long start = System.nanoTime();
      try (OpticalMemory memory = OpticalMemory.builder().path(dir.resolve("ingest"))
          .fonts(FontSet.latinOnly()).build()) {
        for (MemoryTurn turn : conversation) {
          memory.append("c", turn);
        }
        memory.operations().awaitIdle(Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        report(out, "ingest 600 turns, rendered, aged and decoded (s)", seconds,
            memory.stats("c").tiers().toString());
        recallLatency(out, memory, "c", queries, recallRepeats,
            "600 turns stored; reads the lines decoded in the background");
      }
      try (OpticalMemory memory = OpticalMemory.builder().path(dir.resolve("ingest-ocr"))
          .fonts(FontSet.latinOnly()).decodeInBackground(false).build()) {
        for (MemoryTurn turn : conversation) {
          memory.append("c", turn);
        }
        memory.operations().awaitIdle(Duration.ofMinutes(30));
        // Once each: a second ask would find the lines decoded by the first.
        recallLatency(out, memory, "c", queries.subList(0, 10), 1, "600 turns stored; baseline:"
            + " OCR of the matching lines on the request path (background decoding off)");
      }
      if (recallStored > 0) {
        recallAtScale(out, err, dir.resolve("recall" + recallStored), sentences, queries);
      }
      // 2. Bytes per page per tier: every tier present (a policy with small thresholds).
      Map<Tier, Double> compact = bytesPerTier(dir.resolve("compact"), conversation, Map.of());
      Map<Tier, Double> gray8 = bytesPerTier(dir.resolve("gray8"), conversation, Map.of(
          Tier.BASE, PageEncoding.GRAY8_PNG, Tier.SMALL, PageEncoding.GRAY8_PNG,
          Tier.TINY, PageEncoding.GRAY8_PNG));
      for (Tier tier : compact.keySet()) {
        report(out, "stored KB per " + tier + " page", compact.get(tier) / 1024,
            String.format("8-bit PNG baseline %.1f KB (%.1fx smaller)", gray8.get(tier) / 1024,
                gray8.get(tier) / compact.get(tier)));
      }
      // 3. Append latency with N stored turns. Up to 100k the store is filled with background work
      // running and caught up, then appends are timed twice in the same database: yielding to
      // appends (the default) and, as the baseline, with rendering competing for the CPU. Above
      // 100k, rendering every page would take hours on 2 cores: the store is filled with
      // background work paused (pages pending, as after a burst) and appends are timed so.
      List<MemoryTurn> pool = turns(2000, sentences, random);
      salienceCost(out, pool);
      for (int n : stored) {
        boolean render = n <= 100_000;
        Path db = dir.resolve("append" + n);
        int conversations = Math.max(1, n / 600);
        Executor paused = task -> { };
        long stored = 0;
        // Background decoding off: filling would decode every page (500 at 10,000 turns, some
        // 20 minutes on 2 cores); what is timed is appends against rendering and aging.
        OpticalMemoryBuilder builder = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
            .decodeInBackground(false);
        if (!render) {
          builder.executor(paused);
        }
        try (OpticalMemory memory = builder.build()) {
          long fillStart = System.nanoTime();
          for (int i = 0; i < n; i++) {
            memory.append("conv-" + (i % conversations), pool.get(i % pool.size()));
            if (i % 10000 == 0) {
              err.printf("\rbench memory: filling %d/%d", i, n);
              err.flush();
            }
          }
          if (render) {
            memory.operations().awaitIdle(Duration.ofHours(1));
          }
          err.printf("\rbench memory: filled %d turns in %.0f s, measuring%n", n,
              (System.nanoTime() - fillStart) / 1e9);
          String how = render ? "pages rendered, background yields" : "background paused";
          if (render) {
            stored = storedBytes(memory);
            report(out, "database file with " + n + " stored, open (MB)", fileSize(db) / 1e6,
                String.format("stored bytes %.1f MB: %.2fx", stored / 1e6,
                    (double) fileSize(db) / stored));
          }
          appendLatency(out, memory, n, conversations, pool, how);
          if (render) {
            stored = storedBytes(memory);
          }
        }
        if (render) {
          report(out, "database file with " + n + " stored, closed (MB)", fileSize(db) / 1e6,
              String.format("stored bytes %.1f MB: %.2fx (4000 more turns appended)", stored / 1e6,
                  (double) fileSize(db) / stored));
        }
        if (render) {
          try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
              .decodeInBackground(false).yieldToAppends(Duration.ZERO, Duration.ZERO).build()) {
            memory.operations().awaitIdle(Duration.ofHours(1));
            appendLatency(out, memory, n, conversations, pool,
                "baseline: rendering competes (yieldToAppends off)");
            memory.operations().awaitIdle(Duration.ofHours(1));
            stored = storedBytes(memory);
          }
          report(out, "database file with " + n + " stored, reopened (MB)", fileSize(db) / 1e6,
              String.format("stored bytes %.1f MB: %.2fx (reopened, 4000 more turns, closed)",
                  stored / 1e6, (double) fileSize(db) / stored));
          // What scoring each turn's salience costs an append: the same database, no salience.
          try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
              .decodeInBackground(false).salience(Salience.none()).build()) {
            memory.operations().awaitIdle(Duration.ofHours(1));
            appendLatency(out, memory, n, conversations, pool,
                "baseline: no salience scored (Salience.none()), same database");
            memory.operations().awaitIdle(Duration.ofHours(1));
          }
          try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
              .decodeInBackground(false).build()) {
            memory.operations().awaitIdle(Duration.ofHours(1));
            appendLatency(out, memory, n, conversations, pool,
                "salience scored (the default), same database, after the baseline");
            memory.operations().awaitIdle(Duration.ofHours(1));
          }
        }
      }
      if (db != null) {
        new StoreBench(this, db, stored.get(0), pool).run(out, err);
      }
    } finally {
      delete(dir);
    }
    return 0;
  }

  /**
   * Recall with {@code recallStored} turns in one conversation, every page at its tier decoded:
   * the turns are appended with background decoding off (rendering and aging run), then the memory
   * is reopened with decoding on and one more turn appended, which decodes each page once at the
   * tier it rests at (forgotten pages are not).
   */
  private void recallAtScale(PrintWriter out, PrintWriter err, Path db, List<String> sentences,
      List<String> queries) throws IOException {
    List<MemoryTurn> pool = turns(2000, sentences, new Random(7));
    long start = System.nanoTime();
    try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
        .decodeInBackground(false).build()) {
      for (int i = 0; i < recallStored; i++) {
        memory.append("c", pool.get(i % pool.size()));
        if (i % 1000 == 0) {
          err.printf("\rbench memory: appending %d/%d for recall", i, recallStored);
          err.flush();
        }
      }
      memory.operations().awaitIdle(Duration.ofHours(2));
    }
    double filled = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
        .build()) {
      memory.append("c", MemoryTurn.user("Mira", "The ferry left at noon."));
      MemoryCommands.awaitIdle(memory, "c", err, "bench memory: decoding pages for recall",
          Duration.ofHours(2));
      double decoding = (System.nanoTime() - start) / 1e9;
      String tiers = memory.stats("c").tiers().toString();
      report(out, "decode every page of " + (recallStored + 1) + " turns (s)", decoding,
          String.format("after appending, rendering and aging them with decoding off in %.0f s;"
              + " tiers %s", filled, tiers));
      recallLatency(out, memory, "c", queries, recallRepeats, (recallStored + 1)
          + " turns stored in one"
          + " conversation (tiers " + tiers + "), reads the lines decoded in the background");
    }
  }

  /**
   * Recall at k = 5: a warm-up query (loads the models), then each query {@code repeats} times,
   * in rounds; p50 and p99 of every time.
   */
  private void recallLatency(PrintWriter out, OpticalMemory memory, String conversation,
      List<String> queries, int repeats, String how) throws IOException {
    memory.recall(conversation, RecallRequest.of("ferry").k(5));
    long[] recall = new long[queries.size() * repeats];
    for (int i = 0; i < recall.length; i++) {
      long t = System.nanoTime();
      memory.recall(conversation, RecallRequest.of(queries.get(i % queries.size())).k(5));
      recall[i] = System.nanoTime() - t;
    }
    Arrays.sort(recall);
    String note = queries.size() + " queries x " + repeats + ", " + how;
    report(out, "recall k=5, p50 (ms)", recall[recall.length / 2] / 1e6, note);
    report(out, "recall k=5, p99 (ms)", recall[Math.min(recall.length - 1,
        (int) Math.ceil(recall.length * 0.99) - 1)] / 1e6, note);
  }

  /** Salience.facts() on each of the pool's turns, 20 rounds after 5 of warm-up: mean per turn. */
  private void salienceCost(PrintWriter out, List<MemoryTurn> pool) throws IOException {
    Salience facts = Salience.facts();
    double sink = 0;
    long start = 0;
    for (int round = 0; round < 25; round++) {
      if (round == 5) {
        start = System.nanoTime();
      }
      for (MemoryTurn turn : pool) {
        sink += facts.score(turn.text());
      }
    }
    double perTurn = (System.nanoTime() - start) / 1e3 / (20.0 * pool.size());
    report(out, "salience score per turn (us)", perTurn, String.format("Salience.facts(), %d"
        + " turns of the sample, mean %.2f", pool.size(), sink / (25.0 * pool.size())));
  }

  void appendLatency(PrintWriter out, OpticalMemory memory, int n, int conversations,
      List<MemoryTurn> pool, String how) throws IOException {
    long[] latency = new long[4000];
    for (int i = 0; i < latency.length; i++) {
      long t = System.nanoTime();
      memory.append("conv-" + (i % conversations), pool.get(i % pool.size()));
      latency[i] = System.nanoTime() - t;
    }
    Arrays.sort(latency);
    report(out, "append p50 with " + n + " stored (ms)", latency[latency.length / 2] / 1e6, how);
    report(out, "append p99 with " + n + " stored (ms)", latency[latency.length * 99 / 100] / 1e6,
        how);
  }

  static long storedBytes(OpticalMemory memory) {
    long bytes = 0;
    for (String c : memory.conversations()) {
      bytes += memory.stats(c).storedBytes();
    }
    return bytes;
  }

  private static long fileSize(Path db) throws IOException {
    return Files.size(Path.of(db + ".mv.db"));
  }

  private Map<Tier, Double> bytesPerTier(Path db, List<MemoryTurn> conversation,
      Map<Tier, PageEncoding> encodings) {
    OpticalMemoryBuilder builder = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
        .agingPolicy(AgingPolicy.byTokens(0, 3_000, 6_000, 9_000, Long.MAX_VALUE))
        .decodeInBackground(false);
    encodings.forEach(builder::encoding);
    Map<Tier, long[]> sums = new LinkedHashMap<>();
    try (OpticalMemory memory = builder.build()) {
      for (MemoryTurn turn : conversation) {
        memory.append("c", turn);
      }
      memory.operations().awaitIdle(Duration.ofMinutes(10));
      for (Segment s : memory.segments("c")) {
        if (s.tier().isImage()) {
          long bytes = memory.operations().image("c", s.id()).orElseThrow().length;
          long[] sum = sums.computeIfAbsent(s.tier(), k -> new long[2]);
          sum[0] += bytes;
          sum[1]++;
        }
      }
    }
    Map<Tier, Double> average = new LinkedHashMap<>();
    for (Tier t : Tier.values()) {
      if (sums.containsKey(t)) {
        average.put(t, (double) sums.get(t)[0] / sums.get(t)[1]);
      }
    }
    return average;
  }

  /** The sentences of the shipped harbour log, in order. */
  static List<String> sampleSentences() {
    List<String> sentences = new ArrayList<>();
    for (String s : Samples.text("harbor-log.txt").split("(?<=[.!?])\\s+")) {
      if (!s.isBlank()) {
        sentences.add(s.strip());
      }
    }
    return sentences;
  }

  static List<MemoryTurn> turns(int n, List<String> sentences, Random random) {
    List<MemoryTurn> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      int count = 1 + random.nextInt(3);
      for (int s = 0; s < count; s++) {
        text.append(sentences.get(random.nextInt(sentences.size()))).append(' ');
      }
      list.add(MemoryTurn.user(i % 2 == 0 ? "Mira" : "Tomas", text.toString().strip()));
    }
    return list;
  }

  void report(PrintWriter out, String figure, double value, String note) throws IOException {
    report(out, json, figure, value, note);
  }

  /** One figure: a line of the table, or a JSON object with {@code json}. */
  static void report(PrintWriter out, boolean json, String figure, double value, String note)
      throws IOException {
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("figure", figure);
      row.put("value", Math.round(value * 1000) / 1000.0);
      row.put("note", note);
      out.println(new ObjectMapper().writeValueAsString(row));
    } else {
      out.printf("%-42s %10.3f  %s%n", figure, value, note);
    }
    out.flush();
  }

  static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
