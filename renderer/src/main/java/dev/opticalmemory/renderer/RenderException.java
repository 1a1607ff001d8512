package dev.opticalmemory.renderer;

/** Thrown when text cannot be laid out or drawn; the message names the input at fault. */
public class RenderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
