package dev.opticalmemory.cli;

/** An error the user can fix; its message is printed as it is, on one line. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
