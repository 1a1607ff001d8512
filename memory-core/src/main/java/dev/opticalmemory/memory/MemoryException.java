package dev.opticalmemory.memory;

/** The store or a background step failed; the cause is kept. */
public class MemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure with its cause.
   *
   * @param message what failed, with the values involved
   * @param cause the underlying exception
   */
  public MemoryException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure.
   *
   * @param message what failed, with the values involved
   */
  public MemoryException(String message) {
    super(message);
  }
}
