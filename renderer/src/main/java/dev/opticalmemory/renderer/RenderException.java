package dev.opticalmemory.renderer;

/** Thrown when text cannot be laid out or drawn; the message names the input at fault. */
public class RenderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure naming the input at fault.
   *
   * @param message what failed, with the values involved
   */
  public RenderException(String message) {
    super(message);
  }

  /**
   * A failure naming the input at fault, with its cause.
   *
   * @param message what failed, with the values involved
   * @param cause the underlying exception
   */
  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
