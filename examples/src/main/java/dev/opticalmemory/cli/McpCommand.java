package dev.opticalmemory.cli;

import dev.opticalmemory.mcp.HttpOptions;
import dev.opticalmemory.mcp.McpHttpServer;
import dev.opticalmemory.mcp.OpticalMcpServer;
import dev.opticalmemory.mcp.StdioSession;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcp}: the memory as a Model Context Protocol server, over stdio for a desktop client that
 * starts it, or over streamable HTTP with {@code --http PORT}. The bearer token for HTTP comes
 * from {@code OPTICAL_MEMORY_MCP_TOKEN}, never from the command line, which every user of the
 * machine can read.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Serves the memory to any agent over the Model Context Protocol: stdio by"
        + " default (for desktop clients), streamable HTTP with --http. Tools: remember, recall,"
        + " read, context, pin, unpin, stats, forget; each page as a resource.")
final class McpCommand implements Callable<Integer> {
  /** The environment variable that holds the HTTP bearer token. */
  static final String TOKEN_ENV = "OPTICAL_MEMORY_MCP_TOKEN";

  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "PATH|URL",
      description = "The memory: an H2 file PATH (created when missing) or a jdbc:postgresql:// URL"
          + " that several servers may share (password from OPTICAL_MEMORY_DB_PASSWORD or"
          + " PGPASSWORD).")
  String db;

  @Option(names = "--conversation", paramLabel = "ID",
      description = "Serve only this conversation: tools may leave the id out, and other ids are"
          + " refused.")
  String conversation;

  @Option(names = "--http", paramLabel = "PORT",
      description = "Serve streamable HTTP at http://BIND:PORT/mcp instead of stdio (0 for any free"
          + " port; the address is printed on stdout).")
  Integer httpPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "The address --http listens on. Anything but loopback needs "
          + TOKEN_ENV + ". Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--allow-origin", paramLabel = "ORIGIN",
      description = "A browser origin whose requests --http serves (repeatable); requests from any"
          + " other Origin are refused with 403.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--reader", defaultValue = "gpt-4o", paramLabel = "READER",
      description = "The reader the context tool prices page images for when a call names none."
          + " Default: ${DEFAULT-VALUE}.")
  String reader;

  @Option(names = "--region-marks", description = "Draw each turn's number before its first line"
      + " on the pages this process draws, so that a model can name the turn it wants read back;"
      + " it puts more text on each page (docs/benchmarks.md).")
  boolean regionMarks;

  @Option(names = "--no-background", negatable = false,
      description = "Leave page rendering and aging to worker processes on the same database.")
  boolean noBackground;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    MemoryCommands.refuseInMemory(db);
    HttpOptions http = httpPort == null ? null : httpOptions(err);
    OpticalMemoryBuilder builder = MemoryCommands.builder(db, false).backgroundWork(!noBackground)
        .regionMarks(regionMarks);
    try (OpticalMemory memory = MemoryCommands.build(builder, db)) {
      OpticalMcpServer.Builder server;
      try {
        server = OpticalMcpServer.builder(memory).conversation(conversation).reader(reader);
      } catch (IllegalArgumentException e) {
        throw CliException.usage((e.getMessage().startsWith("reader") ? "--reader: "
            : "--conversation: ") + e.getMessage(), e);
      }
      return http == null ? stdio(server.build(), err) : http(server.build(), http, err);
    }
  }

  private HttpOptions httpOptions(PrintWriter err) {
    String token = System.getenv(TOKEN_ENV);
    if (token != null && token.isEmpty()) {
      token = null;
    }
    try {
      HttpOptions options = HttpOptions.builder().bind(bind).port(httpPort).token(token)
          .allowedOrigins(allowedOrigins).build();
      if (!options.hasToken()) {
        err.println("mcp: no " + TOKEN_ENV + " set: serving without a token, on loopback only");
        err.flush();
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage(), e);
    }
  }

  /**
   * Serves the process's own streams until the client closes stdin. Anything else that would
   * print on stdout (a library's banner) goes to stderr, since one stray line breaks the protocol.
   */
  private static int stdio(OpticalMcpServer server, PrintWriter err) throws InterruptedException {
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try (StdioSession session = server.serveStdio(new FileInputStream(FileDescriptor.in),
        protocol)) {
      err.println("mcp: serving over stdio; stops when the client closes stdin");
      err.flush();
      session.awaitEnd();
    } finally {
      System.setOut(stdout);
    }
    return 0;
  }

  /** Serves HTTP until SIGTERM or Ctrl-C, then closes the server and the memory and returns 0. */
  private int http(OpticalMcpServer server, HttpOptions options, PrintWriter err)
      throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    sun.misc.SignalHandler handler = signal -> stop.countDown();
    sun.misc.SignalHandler term = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    sun.misc.SignalHandler interrupt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    try (McpHttpServer running = server.serveHttp(options)) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("MCP " + running.uri());
      out.flush();
      err.println("mcp: serving " + running.uri() + (options.hasToken() ? " (bearer token"
          + " required)" : "") + "; stop with SIGTERM");
      err.flush();
      stop.await();
    } catch (dev.opticalmemory.mcp.McpServerException e) {
      throw new CliException("--http " + options.port() + ": " + e.getMessage(), e);
    } finally {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), term);
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), interrupt);
    }
    err.println("mcp: stopped");
    err.flush();
    return 0;
  }
}
