package dev.opticalmemory.mcp;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The optical memory as a Model Context Protocol server: tools to remember, recall, read, pin and
 * forget, a context tool that sends old turns as page images at a token budget, and each page as
 * a resource. It serves over stdio ({@link #serveStdio}) or streamable HTTP ({@link #serveHttp}).
 *
 * <pre>{@code
 * try (OpticalMemory memory = OpticalMemory.builder().path(Path.of("memory")).build();
 *     McpHttpServer http = OpticalMcpServer.builder(memory).build()
 *         .serveHttp(HttpOptions.builder().port(8765).build())) {
 *   // clients connect to http.uri()
 * }
 * }</pre>
 *
 * <p>The server keeps no state between requests beyond the memory's own, so several servers on
 * one PostgreSQL memory can stand behind a load balancer. It does not own the memory: close the
 * memory after the servers on it.
 */
public final class OpticalMcpServer {
  /** The instructions a client may pass to its model. */
  static final String INSTRUCTIONS = "A long-term memory of conversations. Store each turn with"
      + " remember; get the conversation within a token budget with context (older turns arrive"
      + " as page images); read a page back exactly with read; find old facts with recall.";

  private final OpticalMemory memory;
  private final ConversationScope conversations;
  private final Clock clock;
  private final String reader;
  private final long maxContextBytes;
  private final Duration requestTimeout;
  private final Cancellations cancellations = new Cancellations();

  private OpticalMcpServer(Builder b) {
    this.memory = b.memory;
    this.conversations = new ConversationScope(b.conversation);
    this.clock = b.clock;
    this.reader = b.reader;
    this.maxContextBytes = b.maxContextBytes;
    this.requestTimeout = b.requestTimeout;
  }

  /**
   * A server over a memory.
   *
   * @param memory the memory it serves; the caller keeps it and closes it
   * @return a builder
   */
  public static Builder builder(OpticalMemory memory) {
    return new Builder(memory);
  }

  /**
   * The tools it offers, by name.
   *
   * @return remember, recall, read, context, pin, unpin, stats and forget
   */
  public List<String> toolNames() {
    return tools().specifications().stream().map(t -> t.tool().name()).toList();
  }

  /**
   * Serves one client over a pair of streams, as a desktop client starts a server: JSON-RPC
   * messages, one per line. A line that is not a JSON-RPC message (or is over 4 MiB) is left out
   * with a warning logged, and the next is served. It returns at once;
   * {@link StdioSession#awaitEnd()} waits until the client closes the input.
   *
   * @param in what the client writes (the process's standard input)
   * @param out where the server writes (the process's standard output: nothing else may write
   *     there)
   * @return the session, to wait on and close
   */
  public StdioSession serveStdio(InputStream in, OutputStream out) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    StdioSession.EndOfInput watched = new StdioSession.EndOfInput(in);
    StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper(),
        new JsonRpcLines(watched, HttpOptions.DEFAULT_MAX_REQUEST_BYTES, cancellations), out);
    return new StdioSession(server(transport), watched);
  }

  /**
   * Serves clients over the streamable HTTP transport at {@code /mcp}.
   *
   * @param options the address, port, token, origins and body limit
   * @return the running server, to close
   * @throws McpServerException where the port cannot be bound
   */
  public McpHttpServer serveHttp(HttpOptions options) {
    Objects.requireNonNull(options, "options");
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder().jsonMapper(mapper())
            .mcpEndpoint(McpHttpServer.ENDPOINT).maxRequestSize(options.maxRequestBytes())
            .keepAliveInterval(Duration.ofSeconds(30)).build();
    McpSyncServer server = server(transport);
    try {
      return McpHttpServer.start(server, transport, options, cancellations);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private MemoryTools tools() {
    return new MemoryTools(memory, conversations, clock, reader, maxContextBytes, cancellations);
  }

  private static McpJsonMapper mapper() {
    return new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
  }

  private McpSyncServer server(Object transport) {
    MemoryResources resources = new MemoryResources(memory, conversations);
    McpServer.SyncSpecification<?> spec = transport instanceof StdioServerTransportProvider s
        ? McpServer.sync(s)
        : McpServer.sync((io.modelcontextprotocol.spec.McpStreamableServerTransportProvider)
            transport);
    return spec.serverInfo("optical-memory", version())
        .instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false)
            .resources(false, false).build())
        .jsonMapper(mapper())
        .requestTimeout(requestTimeout)
        // The tools check their own arguments, naming the value as well as the field.
        .validateToolInputs(false)
        .tools(tools().specifications())
        .resources(resources.resources())
        .resourceTemplates(resources.templates())
        .build();
  }

  static String version() {
    String v = OpticalMcpServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Fills in an {@link OpticalMcpServer}. */
  public static final class Builder {
    private final OpticalMemory memory;
    private String conversation;
    private Clock clock = Clock.systemUTC();
    private String reader = "gpt-4o";
    private long maxContextBytes = 8L << 20;
    private Duration requestTimeout = Duration.ofMinutes(5);

    private Builder(OpticalMemory memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * Fixes the server to one conversation: calls may leave the id out, and calls or resources
     * naming another are refused.
     *
     * @param conversation the conversation id, or null to serve every conversation (the default)
     * @return this builder
     */
    public Builder conversation(String conversation) {
      if (conversation != null && (conversation.isBlank()
          || conversation.length() > ConversationScope.MAX_ID_CHARS)) {
        throw new IllegalArgumentException("conversation must be 1 to "
            + ConversationScope.MAX_ID_CHARS + " characters and not blank, but is: " + conversation);
      }
      this.conversation = conversation;
      return this;
    }

    /**
     * The reader the context tool prices images for when a call names none.
     *
     * @param reader one of {@link VisionReader#NAMES} (default gpt-4o)
     * @return this builder
     */
    public Builder reader(String reader) {
      Objects.requireNonNull(reader, "reader");
      if (!VisionReader.NAMES.contains(reader)) {
        throw new IllegalArgumentException("reader must be one of "
            + String.join(", ", VisionReader.NAMES) + ", but is: " + reader);
      }
      this.reader = reader;
      return this;
    }

    /**
     * The most bytes one context result may carry, page images as base64 included.
     *
     * @param bytes at least 64 KiB (default 8 MiB)
     * @return this builder
     */
    public Builder maxContextBytes(long bytes) {
      if (bytes < 64 << 10) {
        throw new IllegalArgumentException("maxContextBytes must be at least 65536, but is: "
            + bytes);
      }
      this.maxContextBytes = bytes;
      return this;
    }

    /**
     * The clock stamped on remembered turns.
     *
     * @param clock the clock (default UTC system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long the server waits on a client's answer to its own requests.
     *
     * @param timeout positive (default 5 minutes)
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive, but is: " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * The server, ready to serve.
     *
     * @return the server
     */
    public OpticalMcpServer build() {
      return new OpticalMcpServer(this);
    }
  }
}
