package dev.opticalmemory.mcp;

import java.util.Map;

/**
 * A tool call's arguments, read by name with a sentence naming the argument and its value when
 * one is missing, of the wrong type or out of range: the model reads that sentence and retries.
 */
final class ToolArguments {
  private final String tool;
  private final Map<String, Object> values;

  ToolArguments(String tool, Map<String, Object> values) {
    this.tool = tool;
    this.values = values == null ? Map.of() : values;
  }

  /** A required string of 1 to {@code maxChars} characters. */
  String string(String name, int maxChars) {
    String s = optionalString(name, maxChars);
    if (s == null) {
      throw refuse(name + " is required");
    }
    return s;
  }

  /** An optional string of 1 to {@code maxChars} characters, or null where it is absent. */
  String optionalString(String name, int maxChars) {
    Object v = values.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw refuse(name + " must be a string, but is: " + shown(v));
    }
    if (s.isBlank()) {
      throw refuse(name + " must not be blank");
    }
    if (s.length() > maxChars) {
      throw refuse(name + " must be at most " + maxChars + " characters, but has " + s.length());
    }
    return s;
  }

  /** An integer in {@code [min, max]}, {@code fallback} where it is absent. */
  int integer(String name, Integer fallback, int min, int max) {
    Object v = values.get(name);
    if (v == null) {
      if (fallback == null) {
        throw refuse(name + " is required");
      }
      return fallback;
    }
    long n;
    if (v instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
        && !Double.isInfinite(number.doubleValue())) {
      n = number.longValue();
    } else {
      throw refuse(name + " must be an integer, but is: " + shown(v));
    }
    if (n < min || n > max) {
      throw refuse(name + " must be between " + min + " and " + max + ", but is: " + n);
    }
    return (int) n;
  }

  /** A boolean, {@code fallback} where it is absent. */
  boolean bool(String name, boolean fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw refuse(name + " must be true or false, but is: " + shown(v));
    }
    return b;
  }

  /** One of {@code choices}, compared without case, {@code fallback} where it is absent. */
  String choice(String name, String fallback, java.util.Collection<String> choices) {
    String s = optionalString(name, 200);
    if (s == null) {
      return fallback;
    }
    for (String c : choices) {
      if (c.equalsIgnoreCase(s)) {
        return c;
      }
    }
    throw refuse(name + " must be one of " + String.join(", ", choices) + ", but is: " + s);
  }

  /** The names given that the tool does not take, so that a misspelt argument is not ignored. */
  void refuseOthers(java.util.Set<String> known) {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw refuse("unknown argument " + name + "; the arguments are "
            + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  ToolException refuse(String why) {
    return new ToolException(tool + ": " + why);
  }

  /** A value as the error shows it: its JSON type and at most 60 characters of it. */
  private static String shown(Object v) {
    String s = String.valueOf(v);
    String type = v instanceof String ? "a string" : v instanceof Number ? "a number"
        : v instanceof Boolean ? "a boolean" : v instanceof Map ? "an object"
        : v instanceof java.util.List ? "an array" : "a value";
    return type + " " + (s.length() > 60 ? s.substring(0, 60) + "..." : s);
  }

  /** A call the tool refuses: its message is the tool result's text, sent as an error result. */
  static final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolException(String message) {
      super(message);
    }

    ToolException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
