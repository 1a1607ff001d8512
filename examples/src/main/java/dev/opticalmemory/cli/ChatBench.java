package dev.opticalmemory.cli;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench chat}: the README's LangChain4j assistant ({@code FirstChat}) on a memory of N
 * stored turns, against the same assistant on LangChain4j's {@code MessageWindowChatMemory}, the
 * baseline, in the same run. Each run is a fresh JVM ({@link ChatBenchChild}) on a fresh copy of
 * the memory; the chat model answers at once, so the figures are the memory's.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Time to the first reply of the README's AiServices assistant, from JVM start, and"
        + " per-chat overhead, against MessageWindowChatMemory in the same run.")
final class ChatBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stored", defaultValue = "200", paramLabel = "N",
      description = "Turns stored before the first chat, 0 to 100000. Default: ${DEFAULT-VALUE}.")
  int stored;

  @Option(names = "--chats", defaultValue = "200", paramLabel = "N",
      description = "Chats after the first reply, timed one by one, 1 to 10000. Default: ${DEFAULT-VALUE}.")
  int chats;

  @Option(names = "--warmup", defaultValue = "20", paramLabel = "N",
      description = "Chats at the start of each run reported apart, while the JIT compiles the"
          + " code they run, 0 to 1000. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--pause", defaultValue = "0", paramLabel = "MS",
      description = "The user's pause before each timed chat, in milliseconds, 0 to 10000, not"
          + " counted in the chat's time: the memory's background work (a page closing moves the"
          + " older ones down a tier) then runs between chats, as it does with a person typing."
          + " Default: ${DEFAULT-VALUE} (chats back to back, the worst case).")
  int pause;

  @Option(names = "--photos", defaultValue = "0", paramLabel = "N",
      description = "Every Nth chat the user sends a 1024 px photo (high detail), 0 to 1000; the"
          + " chats then drive the chat memory directly, as AiServices does, and the report adds"
          + " each request's tokens (priced for GPT-4o) and bytes. Default: ${DEFAULT-VALUE} (no"
          + " photos).")
  int photos;

  @Option(names = "--max-request-bytes", defaultValue = "0", paramLabel = "BYTES",
      description = "The most bytes a request of the optical memory may weigh, images as base64"
          + " (OpticalChatMemory.Builder.maxRequestBytes; at least 131072). Default: the"
          + " reader's published limit.")
  long maxRequestBytes;

  @Option(names = "--runs", defaultValue = "5", paramLabel = "N",
      description = "Fresh JVMs per system, 2 to 50; the first is reported apart (it may extract"
          + " native libraries and fill caches). Default: ${DEFAULT-VALUE}.")
  int runs;

  @Override
  public Integer call() throws Exception {
    if (stored < 0 || stored > 100_000) {
      throw CliException.usage("--stored must be between 0 and 100000, but is: " + stored);
    }
    if (chats < 1 || chats > 10_000) {
      throw CliException.usage("--chats must be between 1 and 10000, but is: " + chats);
    }
    if (warmup < 0 || warmup > 1000 || warmup >= chats) {
      throw CliException.usage("--warmup must be between 0 and 1000 and below --chats, but is: "
          + warmup);
    }
    if (pause < 0 || pause > 10_000) {
      throw CliException.usage("--pause must be between 0 and 10000, but is: " + pause);
    }
    if (maxRequestBytes != 0 && maxRequestBytes < 131_072) {
      throw CliException.usage("--max-request-bytes must be at least 131072, but is: "
          + maxRequestBytes);
    }
    if (photos < 0 || photos > 1000) {
      throw CliException.usage("--photos must be between 0 and 1000, but is: " + photos);
    }
    if (runs < 2 || runs > 50) {
      throw CliException.usage("--runs must be between 2 and 50, but is: " + runs);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = Files.createTempDirectory("optical-memory-chat-bench");
    try {
      Path prepared = dir.resolve("prepared");
      long start = System.nanoTime();
      err.printf("bench chat: storing %d turns (rendered, aged and decoded, as a long-running app"
          + " would have them)...%n", stored);
      err.flush();
      try (OpticalMemory memory = OpticalMemory.builder().path(prepared).build()) {
        for (MemoryTurn turn : MemoryBench.turns(stored, MemoryBench.sampleSentences(),
            new Random(42))) {
          memory.append("user-42", turn);
        }
        memory.operations().awaitIdle(Duration.ofHours(1));
      }
      if (photos > 0) {
        ChatBenchChild.writePhotos(dir.resolve("photos"), chats / photos + 1);
      }
      err.printf("bench chat: stored in %.0f s; %d runs of each system, %d chats each%n",
          (System.nanoTime() - start) / 1e9, runs, chats);
      err.flush();
      String[] systems = {"window", "optical"};
      double[][] firstJvm = new double[2][runs];
      double[][] firstMain = new double[2][runs];
      double[][] build = new double[2][runs];
      List<List<Double>> perChat = List.of(new ArrayList<>(), new ArrayList<>());
      List<List<Double>> warming = List.of(new ArrayList<>(), new ArrayList<>());
      long[][] lastRequest = new long[2][2];
      for (int run = 0; run < runs; run++) {
        for (int s = 0; s < systems.length; s++) {
          Path copy = dir.resolve("run-" + run + "-" + systems[s]);
          Files.copy(prepared.resolveSibling("prepared.mv.db"),
              copy.resolveSibling(copy.getFileName() + ".mv.db"));
          List<String> lines = child(systems[s], copy);
          int chat = 0;
          for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("FIRST")) {
              firstJvm[s][run] = Double.parseDouble(f[1]);
              firstMain[s][run] = Double.parseDouble(f[2]);
              build[s][run] = Double.parseDouble(f[3]);
            } else if (f[0].equals("CHAT") && run > 0) {
              (chat++ < warmup ? warming : perChat).get(s).add(Double.parseDouble(f[1]));
              if (f.length > 3) {
                lastRequest[s][0] = Long.parseLong(f[2]);
                lastRequest[s][1] = Long.parseLong(f[3]);
              }
            }
          }
          err.printf("bench chat: run %d/%d %-7s first reply %.0f ms after JVM start%n", run + 1,
              runs, systems[s], firstJvm[s][run]);
          err.flush();
        }
      }
      out.printf(Locale.ROOT, "chat benchmark, %d cores, %d turns stored, %d runs per system"
          + " (the first apart), %d chats per run, %s; chat model: a stand-in that answers at"
          + " once%n", Runtime.getRuntime().availableProcessors(), stored, runs, chats,
          pause == 0 ? "back to back" : pause + " ms pause before each (not timed)");
      out.printf("%-8s %12s %14s %14s %14s %10s %10s %10s %14s %10s%n", "memory", "first run",
          "first reply", "(since main)", "(build)", "chat p50", "chat p99", "chat max",
          "warm-up max", "all p99");
      for (int s = 0; s < systems.length; s++) {
        double[] later = Arrays.copyOfRange(firstJvm[s], 1, runs);
        double[] laterMain = Arrays.copyOfRange(firstMain[s], 1, runs);
        double[] laterBuild = Arrays.copyOfRange(build[s], 1, runs);
        double[] chat = perChat.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double warmMax = warming.get(s).stream().mapToDouble(Double::doubleValue).max()
            .orElse(Double.NaN);
        double[] all = java.util.stream.Stream.concat(warming.get(s).stream(),
            perChat.get(s).stream()).mapToDouble(Double::doubleValue).toArray();
        out.printf(Locale.ROOT, "%-8s %9.0f ms %11.0f ms %11.0f ms %11.0f ms %7.1f ms %7.1f ms"
            + " %7.1f ms %11.1f ms %7.1f ms%n", systems[s], firstJvm[s][0], median(later),
            median(laterMain), median(laterBuild), quantile(chat, 0.5), quantile(chat, 0.99),
            chat[chat.length - 1], warmMax, quantile(all, 0.99));
      }
      out.printf(Locale.ROOT, "first reply: median of runs 2-%d since the JVM started (since main"
          + " started; of which building the memory and the assistant); optical/window: %.2fx%n",
          runs, median(Arrays.copyOfRange(firstJvm[1], 1, runs))
              / median(Arrays.copyOfRange(firstJvm[0], 1, runs)));
      out.printf(Locale.ROOT, "chats: runs 2-%d pooled, after the first %d of each run (their"
          + " slowest is the warm-up max; all p99 counts them too)%n", runs, warmup);
      out.printf(Locale.ROOT, "%sthe last request (priced for GPT-4o): window %,d tokens, %,d"
          + " bytes; optical %,d tokens, %,d bytes (budget 8000%s)%n", photos > 0
          ? "photos: a 1024 px photo every " + photos + " chats; " : "", lastRequest[0][0],
          lastRequest[0][1], lastRequest[1][0], lastRequest[1][1], maxRequestBytes > 0
          ? String.format(Locale.ROOT, ", at most %,d bytes a request", maxRequestBytes) : "");
      out.flush();
    } finally {
      MemoryBench.delete(dir);
    }
    return 0;
  }

  private List<String> child(String system, Path db) throws IOException, InterruptedException {
    return StoreBench.lines(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Djava.awt.headless=true", "-Xmx2g", "-cp",
        System.getProperty("java.class.path"), ChatBenchChild.class.getName(), system,
        db.toString(), String.valueOf(chats), String.valueOf(pause), String.valueOf(photos),
        String.valueOf(maxRequestBytes))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start());
  }

  static double median(double[] values) {
    return quantile(values.clone(), 0.5);
  }

  /** Nearest-rank quantile of values (sorted here). */
  static double quantile(double[] values, double q) {
    Arrays.sort(values);
    return values[Math.max(0, (int) Math.ceil(q * values.length) - 1)];
  }
}
