package dev.opticalmemory.cli;

/** An error the user can fix; its message is printed as it is, on one line. */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A usage error: a bad option value or a missing option, which the user fixes on the command
   * line; it exits with 2, as picocli's own usage errors do.
   */
  static CliException usage(String message) {
    return new Usage(message, null);
  }

  static CliException usage(String message, Throwable cause) {
    return new Usage(message, cause);
  }

  static final class Usage extends CliException {
    private static final long serialVersionUID = 1L;

    Usage(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
