package dev.opticalmemory.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code optical-memory} command line. Each subcommand is a small class; errors a user can fix
 * ({@link CliException}, bad arguments, unreadable files) are one line on stderr and exit code 1,
 * usage errors exit 2.
 */
@Command(
    name = "optical-memory",
    mixinStandardHelpOptions = true,
    versionProvider = OpticalMemoryCli.Version.class,
    description = "Long-context memory for LLM agents by optical compression.",
    subcommands = {RenderCommand.class, OcrCommand.class, IngestCommand.class,
        MemoryCommands.Stats.class, MemoryCommands.Recall.class, MemoryCommands.Pin.class,
        ContextCommand.class, PriceCommand.class,
        WorkerCommand.class, McpCommand.class,
        EvalCommand.class, DemoCommand.class, AgentCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class OpticalMemoryCli implements java.util.concurrent.Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    oneLineLogging();
    int code;
    try {
      code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    } catch (Throwable e) { // an Error (out of memory, a broken native library): still one line
      System.err.println("optical-memory: " + firstLine(describe(e)));
      code = 1;
    }
    System.exit(code);
  }

  /**
   * Log records (background work that failed and will be retried, a compaction skipped) are one
   * line on stderr, without a stack trace unless {@code -Dopticalmemory.stacktrace=true}.
   */
  static void oneLineLogging() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    // The handler's stream is never closed: the JVM resets logging at shutdown, and closing
    // System.err then would swallow what a command prints last (the worker's "stopped").
    java.io.OutputStream stderr = new java.io.FilterOutputStream(System.err) {
      @Override
      public void close() {
        System.err.flush();
      }
    };
    java.util.logging.Handler handler = new java.util.logging.StreamHandler(stderr,
        new java.util.logging.Formatter() {
          @Override
          public String format(java.util.logging.LogRecord r) {
            String line = "optical-memory: " + r.getLevel().getName().toLowerCase(
                java.util.Locale.ROOT) + ": " + firstLine(formatMessage(r)) + System.lineSeparator();
            if (r.getThrown() != null && Boolean.getBoolean("opticalmemory.stacktrace")) {
              java.io.StringWriter trace = new java.io.StringWriter();
              r.getThrown().printStackTrace(new PrintWriter(trace));
              line += trace;
            }
            return line;
          }
        }) {
      @Override
      public synchronized void publish(java.util.logging.LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    handler.setLevel(java.util.logging.Level.WARNING);
    root.addHandler(handler);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline).strip();
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new OpticalMemoryCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException.Usage) {
        String name = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(commandLine.getCommandName() + ": " + firstLine(describe(e))
            + " (see '" + name + " --help')");
        commandLine.getErr().flush();
        return 2;
      }
      commandLine.getErr().println(commandLine.getCommandName() + ": " + firstLine(describe(e)));
      if (!(e instanceof CliException) && Boolean.getBoolean("opticalmemory.stacktrace")) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return 1;
    });
    cli.setParameterExceptionHandler((e, arguments) -> {
      CommandLine failed = e.getCommandLine();
      String message = e.getMessage();
      java.util.List<String> unknown = unknownOptions(failed, arguments);
      if (!unknown.isEmpty()) {
        // A misspelt option is named with the nearest real one, not hidden behind "missing".
        message = "unknown option " + String.join(", ", unknown) + suggestion(failed, unknown.get(0))
            + (e instanceof CommandLine.UnmatchedArgumentException ? "" : "; " + message);
      }
      failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + message
          + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
      failed.getErr().flush();
      return 2;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The arguments that look like options but are none of the command's. */
  private static java.util.List<String> unknownOptions(CommandLine command, String[] arguments) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (CommandLine.Model.OptionSpec o : command.getCommandSpec().options()) {
      names.addAll(java.util.List.of(o.names()));
    }
    java.util.List<String> unknown = new java.util.ArrayList<>();
    for (String a : arguments) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (name.startsWith("--") && name.length() > 2 && !names.contains(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  /** "; did you mean --x?" for the command's option nearest to {@code name}, if one is near. */
  private static String suggestion(CommandLine command, String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (CommandLine.Model.OptionSpec o : command.getCommandSpec().options()) {
      for (String candidate : o.names()) {
        int d = distance(name, candidate);
        if (d < bestDistance) {
          bestDistance = d;
          best = candidate;
        }
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4)
        ? "; did you mean " + best + "?" : "";
  }

  private static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
            diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof CliException) {
      return message;
    }
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null || message.contains(cause.getMessage())
        ? message
        : message + " (" + cause.getMessage() + ")";
  }

  /** Without a subcommand: a usage error, with the list of subcommands on stderr. */
  @Override
  public Integer call() {
    return missingSubcommand(spec);
  }

  static int missingSubcommand(CommandLine.Model.CommandSpec spec) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": a subcommand is required");
    spec.commandLine().usage(err);
    err.flush();
    return 2;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OpticalMemoryCli.class.getPackage().getImplementationVersion();
      return new String[] {"optical-memory " + (version == null ? "(development build)" : version)};
    }
  }
}
