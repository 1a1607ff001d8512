package dev.opticalmemory.memory;

/** The store or a background step failed; the cause is kept. */
public class MemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MemoryException(String message, Throwable cause) {
    super(message, cause);
  }

  public MemoryException(String message) {
    super(message);
  }
}
