package dev.opticalmemory.cli;

import picocli.CommandLine.Command;

/** {@code bench}: speed measurements, each against a baseline run in the same process. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Speed benchmarks; each reports a ratio to a baseline run in the same process.",
    subcommands = {RenderBench.class, OcrBench.class, MemoryBench.class, ChatBench.class, McpBench.class,
        SpringBench.class})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return OpticalMemoryCli.missingSubcommand(spec);
  }
}
