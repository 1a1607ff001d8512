package dev.opticalmemory.ocr;

/**
 * An engine could not do its work: a model is missing or corrupt, a native call failed, a server did
 * not answer. {@link #isRetriable()} tells whether trying again may help (a timeout, a busy server)
 * or not (a corrupt model, a refused request).
 */
public class OcrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public OcrException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public OcrException(String message) {
    this(message, null, false);
  }

  public OcrException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean isRetriable() {
    return retriable;
  }
}
