package dev.opticalmemory.memory;

/**
 * The checks of the memory's arguments, each with the message the caller sees: the argument's
 * name, the rule, and the value.
 */
final class Checks {
  /** The longest conversation id and idempotency key, in characters. */
  static final int MAX_ID_LENGTH = 200;
  /** The longest speaker name, in characters. */
  static final int MAX_SPEAKER_LENGTH = 200;

  private Checks() {}

  /** A number in a range, or {@link IllegalArgumentException} naming it and the range. */
  static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max
          + ", but is: " + value);
    }
    return value;
  }

  static String checkId(String conversation) {
    java.util.Objects.requireNonNull(conversation, "conversation");
    if (conversation.isBlank()) {
      throw new IllegalArgumentException("conversation must not be blank, but is: '"
          + conversation + "'");
    }
    if (conversation.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("conversation must be at most " + MAX_ID_LENGTH
          + " characters, but is " + conversation.length() + ": '"
          + conversation.substring(0, 40) + "...'");
    }
    for (int i = 0; i < conversation.length(); i++) {
      char ch = conversation.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < conversation.length()
          && Character.isLowSurrogate(conversation.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw new IllegalArgumentException("conversation must be well-formed Unicode, but has an "
            + "unpaired surrogate at index " + i + ": '" + wellFormed(conversation) + "'");
      } else if (ch == 0) {
        throw new IllegalArgumentException("conversation must not contain NUL, but is: '"
            + conversation.replace('\0', '?') + "'");
      }
    }
    return conversation;
  }

  static IllegalArgumentException unknown(String conversation) {
    return new IllegalArgumentException("conversation is unknown: '" + conversation + "'");
  }

  /** Replaces unpaired surrogates by U+FFFD. */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean bad = false;
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          if (out != null) {
            out.append(ch).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
        bad = true;
      } else if (Character.isLowSurrogate(ch)) {
        bad = true;
      }
      if (bad && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? '\uFFFD' : ch);
      }
    }
    return out == null ? text : out.toString();
  }

  static String checkKey(String key) {
    java.util.Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("key must be a non-blank string of at most "
          + MAX_ID_LENGTH + " characters, but is: " + (key.length() > MAX_ID_LENGTH
          ? key.length() + " characters" : "'" + key + "'"));
    }
    return wellFormed(key);
  }

  /** A turn's text and speaker within the memory's limits, with the messages append gives. */
  static void checkTurn(String conversation, MemoryTurn turn, int maxTurnChars) {
    if (turn == null) {
      throw new NullPointerException("turn");
    }
    if (turn.text().isEmpty()) {
      throw new IllegalArgumentException("turn.text must not be empty (conversation '"
          + conversation + "', speaker '" + turn.speaker() + "')");
    }
    if (turn.text().length() > maxTurnChars) {
      throw new IllegalArgumentException("turn.text is " + turn.text().length()
          + " characters, more than maxTurnChars = " + maxTurnChars
          + " (conversation '" + conversation + "'); split it or raise the limit");
    }
    if (turn.speaker().length() > MAX_SPEAKER_LENGTH) {
      throw new IllegalArgumentException("turn.speaker must be at most " + MAX_SPEAKER_LENGTH
          + " characters, but is " + turn.speaker().length() + ": '"
          + wellFormed(turn.speaker().substring(0, 40)) + "...'");
    }
  }
}
