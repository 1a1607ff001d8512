package dev.opticalmemory.mcp;

/** The server could not start or serve, such as when its port is taken; the cause says why. */
public final class McpServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  McpServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
