package dev.opticalmemory.mcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * How {@link OpticalMcpServer#serveHttp} listens: the address and port, the bearer token clients
 * must send, the browser origins allowed, and the largest request body taken.
 *
 * <p>Without a token the server listens only on a loopback address: {@link Builder#build} refuses
 * any other. A token is never shown by {@link #toString}, in logs or in errors.
 */
public final class HttpOptions {
  /** The largest request body by default: 4 MiB, room for a turn of 1 Mi characters in JSON. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 << 20;

  private final String bind;
  private final int port;
  private final String token;
  private final List<String> allowedOrigins;
  private final int maxRequestBytes;

  private HttpOptions(Builder b) {
    this.bind = b.bind;
    this.port = b.port;
    this.token = b.token;
    this.allowedOrigins = List.copyOf(b.allowedOrigins);
    this.maxRequestBytes = b.maxRequestBytes;
  }

  /**
   * Options to fill in.
   *
   * @return a builder: 127.0.0.1, a free port, no token, no browser origin, 4 MiB
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The address listened on.
   *
   * @return the host name or IP address
   */
  public String bind() {
    return bind;
  }

  /**
   * The port, 0 for any free one.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Whether clients must send a bearer token.
   *
   * @return true where a token is set
   */
  public boolean hasToken() {
    return token != null;
  }

  String token() {
    return token;
  }

  /**
   * The browser origins whose requests are served; a request with any other {@code Origin}
   * header is refused with 403, one without the header (not from a browser) is served.
   *
   * @return the origins, such as {@code http://localhost:5173}
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /**
   * The largest request body served; a larger one is refused with 413.
   *
   * @return bytes
   */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override
  public String toString() {
    return "HttpOptions[bind=" + bind + ", port=" + port + ", token=" + (token == null ? "none"
        : "set") + ", allowedOrigins=" + allowedOrigins + ", maxRequestBytes=" + maxRequestBytes
        + "]";
  }

  /** Fills in {@link HttpOptions}; {@link #build} checks them together. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port;
    private String token;
    private List<String> allowedOrigins = List.of();
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;

    private Builder() {
    }

    /**
     * The address to listen on (default 127.0.0.1). Any other than a loopback address needs a
     * {@link #token}.
     *
     * @param bind a host name or IP address
     * @return this builder
     */
    public Builder bind(String bind) {
      Objects.requireNonNull(bind, "bind");
      if (bind.isBlank()) {
        throw new IllegalArgumentException("bind must not be blank");
      }
      this.bind = bind;
      return this;
    }

    /**
     * The port (default 0: any free port, see {@link McpHttpServer#port()}).
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, but is: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The bearer token every request must carry ({@code Authorization: Bearer TOKEN}); null for
     * none, which serves only on a loopback address.
     *
     * @param token at least 16 characters, or null
     * @return this builder
     */
    public Builder token(String token) {
      if (token != null && (token.strip().length() < 16 || !token.equals(token.strip()))) {
        // The value is not shown: a token must not reach a log or an error.
        throw new IllegalArgumentException("token must be at least 16 characters without spaces"
            + " around it, but has " + token.length());
      }
      this.token = token;
      return this;
    }

    /**
     * The browser origins to serve (default none), as the MCP specification asks against DNS
     * rebinding.
     *
     * @param origins origins such as {@code https://app.example.com}
     * @return this builder
     */
    public Builder allowedOrigins(List<String> origins) {
      Objects.requireNonNull(origins, "origins");
      for (String o : origins) {
        if (o == null || o.isBlank() || o.endsWith("/")) {
          throw new IllegalArgumentException("allowedOrigins must be origins such as"
              + " https://app.example.com (no path, no trailing slash), but has: " + o);
        }
      }
      this.allowedOrigins = List.copyOf(origins);
      return this;
    }

    /**
     * The largest request body (default {@value HttpOptions#DEFAULT_MAX_REQUEST_BYTES}).
     *
     * @param bytes at least 1 KiB
     * @return this builder
     */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1024, but is: "
            + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The options.
     *
     * @return the options
     * @throws IllegalArgumentException where the address is not loopback and no token is set, or
     *     the address cannot be resolved
     */
    public HttpOptions build() {
      if (token == null && !loopback(bind)) {
        throw new IllegalArgumentException("bind " + bind + " is not a loopback address: set a"
            + " token (OPTICAL_MEMORY_MCP_TOKEN on the command line) to serve on it");
      }
      return new HttpOptions(this);
    }

    private static boolean loopback(String host) {
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          if (!a.isLoopbackAddress()) {
            return false;
          }
        }
        return true;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bind " + host + " cannot be resolved", e);
      }
    }
  }
}
