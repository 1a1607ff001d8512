package dev.opticalmemory.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks each HTTP request before the MCP transport sees it: a browser origin that is not allowed
 * gets 403, a missing or wrong bearer token 401 (and nothing else), a body declared larger than
 * allowed 413.
 */
final class AccessFilter implements Filter {
  private final byte[] token;
  private final List<String> allowedOrigins;
  private final long maxRequestBytes;

  AccessFilter(HttpOptions options) {
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
    chain.doFilter(request, response);
  }
}
