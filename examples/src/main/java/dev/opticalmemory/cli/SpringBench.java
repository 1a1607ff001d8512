package dev.opticalmemory.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench spring}: a Spring Boot application with the starter's advisor on a memory of N
 * stored turns, against the same application with Spring AI's {@code MessageWindowChatMemory}, the
 * baseline, in the same run. Each run is a fresh JVM on a fresh copy of the memory, on the
 * starter module's test classpath ({@code SpringBenchChild} there); the chat model answers at
 * once, so the figures are the memory's.
 */
@Command(name = "spring", mixinStandardHelpOptions = true,
    description = "First reply of a Spring Boot application with the optical memory's advisor, and"
        + " per-chat overhead, against Spring AI's MessageWindowChatMemory in the same run.")
final class SpringBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stored", defaultValue = "200", paramLabel = "N",
      description = "Turns stored before the first chat, 0 to 100000. Default: ${DEFAULT-VALUE}.")
  int stored;

  @Option(names = "--chats", defaultValue = "200", paramLabel = "N",
      description = "Chats after the first reply, timed one by one, 1 to 10000. Default: ${DEFAULT-VALUE}.")
  int chats;

  @Option(names = "--warmup", defaultValue = "20", paramLabel = "N",
      description = "Chats at the start of each run reported apart, 0 to 1000. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--pause", defaultValue = "0", paramLabel = "MS",
      description = "The user's pause before each chat, not timed, 0 to 10000 ms. Default: ${DEFAULT-VALUE}.")
  int pause;

  @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
      description = "Fresh JVMs per system, 2 to 50; the first is reported apart. Default: ${DEFAULT-VALUE}.")
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
    if (runs < 2 || runs > 50) {
      throw CliException.usage("--runs must be between 2 and 50, but is: " + runs);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = Files.createTempDirectory("optical-memory-spring-bench");
    try {
      String classpath = classpath();
      Path prepared = dir.resolve("prepared");
      err.printf("bench spring: storing %d turns (rendered, aged and decoded)...%n", stored);
      err.flush();
      child(classpath, "prepare", prepared.toString(), String.valueOf(stored));
      String[] systems = {"window", "optical"};
      double[][] firstJvm = new double[2][runs];
      double[][] boot = new double[2][runs];
      List<List<Double>> perChat = List.of(new ArrayList<>(), new ArrayList<>());
      long[] lastTokens = new long[2];
      for (int run = 0; run < runs; run++) {
        for (int s = 0; s < systems.length; s++) {
          Path copy = dir.resolve("run-" + run + "-" + systems[s]);
          Files.copy(prepared.resolveSibling("prepared.mv.db"),
              copy.resolveSibling(copy.getFileName() + ".mv.db"));
          int chat = 0;
          for (String line : child(classpath, systems[s], copy.toString(),
              String.valueOf(stored), String.valueOf(chats), String.valueOf(pause))) {
            String[] f = line.split(" ");
            if (f[0].equals("FIRST")) {
              firstJvm[s][run] = Double.parseDouble(f[1]);
              boot[s][run] = Double.parseDouble(f[3]);
            } else if (f[0].equals("CHAT") && run > 0 && chat++ >= warmup) {
              perChat.get(s).add(Double.parseDouble(f[1]));
              lastTokens[s] = Long.parseLong(f[2]);
            }
          }
          err.printf("bench spring: run %d/%d %-7s first reply %.0f ms after JVM start%n",
              run + 1, runs, systems[s], firstJvm[s][run]);
          err.flush();
        }
      }
      out.printf(Locale.ROOT, "spring benchmark, %d cores, %d turns stored, %d runs per system"
          + " (the first apart), %d chats per run (the first %d of each apart), %s; chat model: a"
          + " stand-in that answers at once%n", Runtime.getRuntime().availableProcessors(),
          stored, runs, chats, warmup, pause == 0 ? "back to back" : pause + " ms pause");
      out.printf("%-8s %14s %12s %10s %10s %10s %16s%n", "memory", "first reply", "(boot)",
          "chat p50", "chat p99", "chat max", "last request");
      double[][] sorted = new double[2][];
      for (int s = 0; s < systems.length; s++) {
        sorted[s] = perChat.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.printf(Locale.ROOT, "%-8s %11.0f ms %9.0f ms %7.2f ms %7.2f ms %7.2f ms %,9d tokens%n",
            systems[s], ChatBench.median(Arrays.copyOfRange(firstJvm[s], 1, runs)),
            ChatBench.median(Arrays.copyOfRange(boot[s], 1, runs)),
            ChatBench.quantile(sorted[s], 0.5), ChatBench.quantile(sorted[s], 0.99),
            sorted[s][sorted[s].length - 1], lastTokens[s]);
      }
      out.printf(Locale.ROOT, "optical - window: first reply %+.0f ms (median of runs 2-%d), chat"
          + " p50 %+.2f ms, p99 %+.2f ms%n",
          ChatBench.median(Arrays.copyOfRange(firstJvm[1], 1, runs))
              - ChatBench.median(Arrays.copyOfRange(firstJvm[0], 1, runs)), runs,
          ChatBench.quantile(sorted[1], 0.5) - ChatBench.quantile(sorted[0], 0.5),
          ChatBench.quantile(sorted[1], 0.99) - ChatBench.quantile(sorted[0], 0.99));
      out.flush();
    } finally {
      MemoryBench.delete(dir);
    }
    return 0;
  }

  private static List<String> child(String classpath, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-Djava.awt.headless=true", "-Xmx2g", "-cp", classpath,
        "dev.opticalmemory.springbench.SpringBenchChild"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    }
    if (p.waitFor() != 0) {
      // Spring Boot logs a failed start on stdout: show its end, not only the exit code.
      throw new CliException("bench spring: the " + args[0] + " child failed with exit code "
          + p.exitValue() + "; its last lines:\n" + String.join("\n",
          lines.subList(Math.max(0, lines.size() - 15), lines.size())));
    }
    return lines;
  }

  /** The starter module's test classpath, as its build wrote it, beside this command's jar. */
  private static String classpath() throws Exception {
    Path here = Path.of(SpringBench.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path target = dir.resolve("spring-boot-starter").resolve("target");
      Path listed = target.resolve("bench-classpath.txt");
      if (Files.isRegularFile(listed) && Files.isDirectory(target.resolve("test-classes"))) {
        return target.resolve("test-classes") + java.io.File.pathSeparator
            + target.resolve("classes") + java.io.File.pathSeparator
            + Files.readString(listed).strip();
      }
    }
    throw CliException.usage("bench spring needs the starter module built with its tests: run"
        + " mvn -B -q -o install -DskipTests in the repository (" + here + " is not in one)");
  }
}
