package dev.opticalmemory.renderer;

import java.util.Objects;

/**
 * One unit of input: a conversation turn with its speaker (or role), or a block of plain text when
 * the speaker is empty. The speaker is drawn as a {@code "speaker: "} label before the first line.
 *
 * @param speaker the speaker or role; empty for plain text, never null
 * @param text the text; may be empty, never null
 */
public record Turn(String speaker, String text) {

  /**
   * Checks that neither component is null.
   *
   * @param speaker the speaker or role; empty for plain text, never null
   * @param text the text; may be empty, never null
   */
  public Turn {
    Objects.requireNonNull(speaker, "speaker must not be null (use \"\" for plain text)");
    Objects.requireNonNull(text, "text must not be null");
  }

  /**
   * A turn said by {@code speaker}.
   *
   * @param speaker who said it
   * @param text what was said
   * @return the turn
   */
  public static Turn of(String speaker, String text) {
    return new Turn(speaker, text);
  }

  /**
   * Plain text with no speaker label.
   *
   * @param text the text
   * @return the turn
   */
  public static Turn plain(String text) {
    return new Turn("", text);
  }

  /**
   * The label drawn before the turn's first line, or an empty string for plain text.
   *
   * @return the label
   */
  public String label() {
    return speaker.isEmpty() ? "" : speaker + ": ";
  }
}
