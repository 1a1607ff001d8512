package dev.opticalmemory.memory;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One turn to remember.
 *
 * @param role who produced it
 * @param speaker the name drawn before the text on the page ({@code "Caroline: ..."}); may be empty
 * @param text the text, not empty
 * @param timestamp when it was said, or {@code null} for the memory's clock at append time
 * @param attributes free key-value pairs kept with the turn (a message id, a source); may be empty
 */
public record MemoryTurn(
    Role role, String speaker, String text, Instant timestamp, Map<String, String> attributes) {

  /**
   * Checks the components and copies the attributes.
   *
   * @param role who produced it
   * @param speaker the name drawn before the text on the page ({@code "Caroline: ..."}); may be empty
   * @param text the text, not empty
   * @param timestamp when it was said, or {@code null} for the memory's clock at append time
   * @param attributes free key-value pairs kept with the turn (a message id, a source); may be empty
   * @throws NullPointerException naming the component that is null (other than timestamp and
   *     attributes)
   * @throws IllegalArgumentException naming the component that is invalid
   */
  public MemoryTurn {
    if (role == null) {
      throw new NullPointerException("role");
    }
    if (speaker == null) {
      throw new NullPointerException("speaker"); // "" for none
    }
    if (text == null) {
      throw new NullPointerException("text");
    }
    if (attributes == null) {
      attributes = Map.of();
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new IllegalArgumentException("attributes must have non-empty keys and non-null values, "
            + "but has: " + e.getKey() + "=" + e.getValue());
      }
    }
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /**
   * A user's turn, labelled with {@code speaker}.
   *
   * @param speaker who said it
   * @param text what was said
   * @return a user turn
   */
  public static MemoryTurn user(String speaker, String text) {
    return new MemoryTurn(Role.USER, speaker, text, null, Map.of());
  }

  /**
   * An assistant's turn, labelled with {@code speaker}.
   *
   * @param speaker who said it
   * @param text what was said
   * @return an assistant turn
   */
  public static MemoryTurn assistant(String speaker, String text) {
    return new MemoryTurn(Role.ASSISTANT, speaker, text, null, Map.of());
  }

  /**
   * The same turn said at {@code time}.
   *
   * @param time when it was said
   * @return this turn with that timestamp
   */
  public MemoryTurn at(Instant time) {
    return new MemoryTurn(role, speaker, text, time, attributes);
  }

  /** The same turn with one more attribute. */
  /**
   * The turn as it is drawn, counted and sent: {@code "speaker: text"}, or the text alone when the
   * speaker is empty (the renderer's {@link dev.opticalmemory.renderer.Turn#label()}).
   *
   * @return "speaker: text", or the text alone when there is no speaker
   */
  public String labelledText() {
    return dev.opticalmemory.renderer.Turn.of(speaker, text).label() + text;
  }

  /**
   * This turn with one more attribute.
   *
   * @param key the attribute's name
   * @param value its value
   * @return a new turn
   */
  public MemoryTurn with(String key, String value) {
    Map<String, String> more = new TreeMap<>(attributes);
    more.put(key, value);
    return new MemoryTurn(role, speaker, text, timestamp, more);
  }
}
