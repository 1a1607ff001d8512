package dev.opticalmemory.mcp;

/**
 * Which conversation a call is about: the one it names, or the server's own where the server is
 * fixed to one, in which case any other is refused.
 */
final class ConversationScope {
  static final String ARGUMENT = "conversation";
  static final int MAX_ID_CHARS = 200;

  private final String fixed;

  ConversationScope(String fixed) {
    this.fixed = fixed;
  }

  /** The server's own conversation, or null where calls name theirs. */
  String fixed() {
    return fixed;
  }

  String resolve(String tool, ToolArguments args) {
    String named = args.optionalString(ARGUMENT, MAX_ID_CHARS);
    return resolve(named, args::refuse);
  }

  String resolve(String named, java.util.function.Function<String, RuntimeException> refuse) {
    if (fixed == null) {
      if (named == null) {
        throw refuse.apply(ARGUMENT + " is required");
      }
      return named;
    }
    if (named != null && !named.equals(fixed)) {
      throw refuse.apply("this server keeps only conversation " + fixed + ", not " + named);
    }
    return fixed;
  }
}
