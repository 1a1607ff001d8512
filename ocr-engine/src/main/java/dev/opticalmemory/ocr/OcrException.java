package dev.opticalmemory.ocr;

/**
 * An engine could not do its work: a model is missing or corrupt, a native call failed, a server did
 * not answer. {@link #isRetriable()} tells whether trying again may help (a timeout, a busy server)
 * or not (a corrupt model, a refused request).
 */
public class OcrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Whether trying again may help. */
  private final boolean retriable;

  /**
   * A failure that trying again will not mend.
   *
   * @param message what failed, with the values involved
   * @param cause the underlying exception
   */
  public OcrException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * A failure that trying again will not mend.
   *
   * @param message what failed, with the values involved
   */
  public OcrException(String message) {
    this(message, null, false);
  }

  /**
   * A failure.
   *
   * @param message what failed, with the values involved
   * @param cause the underlying exception, or null
   * @param retriable whether trying again may help
   */
  public OcrException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  /**
   * Whether trying again may help (a timeout, a busy server) or not (a corrupt model).
   *
   * @return whether it is worth retrying
   */
  public boolean isRetriable() {
    return retriable;
  }
}
