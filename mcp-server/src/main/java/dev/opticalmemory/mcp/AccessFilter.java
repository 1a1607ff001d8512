package dev.opticalmemory.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks each HTTP request before the MCP transport sees it: a browser origin that is not allowed
 * gets 403, a missing or wrong bearer token 401 (and nothing else), a body larger than allowed
 * 413. Each message body is then shown to {@link Cancellations}.
 */
final class AccessFilter implements Filter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final byte[] token;
  private final List<String> allowedOrigins;
  private final long maxRequestBytes;
  private final Cancellations cancellations;

  AccessFilter(HttpOptions options, Cancellations cancellations) {
    this.cancellations = cancellations;
    this.token = options.token() == null ? null
        : ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
    this.allowedOrigins = options.allowedOrigins();
    this.maxRequestBytes = options.maxRequestBytes();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String origin = request.getHeader("Origin");
    if (origin != null && !allowedOrigins.contains(origin)) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
      return;
    }
    if (token != null) {
      String given = request.getHeader("Authorization");
      // Compared in constant time, so that the time taken does not tell how much of it matched.
      if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        return;
      }
    }
    if (request.getContentLengthLong() > maxRequestBytes) {
      response.sendError(413, "request body larger than " + maxRequestBytes + " bytes");
      return;
    }
    if ("POST".equals(request.getMethod())) {
      // A body sent without its length (chunked) is read up to the limit and refused beyond it.
      byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8,
          maxRequestBytes + 1));
      if (body.length > maxRequestBytes) {
        response.sendError(413, "request body larger than " + maxRequestBytes + " bytes");
        return;
      }
      chain.doFilter(new Body(request, observed(body, request.getHeader("Mcp-Session-Id"))),
          response);
      return;
    }
    chain.doFilter(request, response);
  }

  private byte[] observed(byte[] body, String session) {
    // Most messages are neither: they reach the transport without a second parse.
    if (!contains(body, TOOL_CALL) && !contains(body, CANCELLED)) {
      return body;
    }
    try {
      JsonNode message = JSON.readTree(body);
      return cancellations.observe(message, session) ? JSON.writeValueAsBytes(message) : body;
    } catch (IOException e) {
      return body; // not JSON: the transport answers it
    }
  }

  private static final byte[] TOOL_CALL = "tools/call".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CANCELLED =
      "notifications/cancelled".getBytes(StandardCharsets.US_ASCII);

  private static boolean contains(byte[] body, byte[] part) {
    outer:
    for (int i = 0; i <= body.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (body[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A request whose body has been read, given again to the transport. */
  private static final class Body extends HttpServletRequestWrapper {
    private final byte[] bytes;

    Body(HttpServletRequest request, byte[] bytes) {
      super(request);
      this.bytes = bytes;
    }

    @Override
    public int getContentLength() {
      return bytes.length;
    }

    @Override
    public long getContentLengthLong() {
      return bytes.length;
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
          StandardCharsets.UTF_8));
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          try {
            listener.onDataAvailable();
            listener.onAllDataRead();
          } catch (IOException e) {
            listener.onError(e);
          }
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }
  }
}
