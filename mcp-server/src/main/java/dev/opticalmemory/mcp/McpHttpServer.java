package dev.opticalmemory.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The MCP server listening over streamable HTTP at {@link #uri()}; closing it stops listening. */
public final class McpHttpServer implements AutoCloseable {
  static final String ENDPOINT = "/mcp";

  private final McpSyncServer server;
  private final Server jetty;
  private final URI uri;

  private McpHttpServer(McpSyncServer server, Server jetty, URI uri) {
    this.server = server;
    this.jetty = jetty;
    this.uri = uri;
  }

  static McpHttpServer start(McpSyncServer server,
      HttpServletStreamableServerTransportProvider transport, HttpOptions options,
      Cancellations cancellations) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("optical-memory-mcp-http");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(options.bind());
    connector.setPort(options.port());
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder servlet = new ServletHolder(transport);
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, ENDPOINT);
    FilterHolder filter = new FilterHolder(new AccessFilter(options, cancellations));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw new McpServerException("could not listen on " + options.bind() + ":" + options.port()
          + ": " + e.getMessage(), e);
    }
    String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
    return new McpHttpServer(server, jetty,
        URI.create("http://" + host + ":" + connector.getLocalPort() + ENDPOINT));
  }

  /**
   * Where clients connect.
   *
   * @return the endpoint, such as {@code http://127.0.0.1:8765/mcp}
   */
  public URI uri() {
    return uri;
  }

  /**
   * The port listened on, the one chosen where the options asked for any.
   *
   * @return the port
   */
  public int port() {
    return uri.getPort();
  }

  /** Stops listening and closes the MCP sessions. */
  @Override
  public void close() {
    try {
      server.closeGracefully();
    } finally {
      try {
        jetty.stop();
      } catch (Exception e) {
        throw new McpServerException("could not stop the server at " + uri, e);
      }
    }
  }
}
