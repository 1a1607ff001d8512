package dev.opticalmemory.renderer;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One unit of input: a conversation turn with its speaker (or role), or a block of plain text when
 * the speaker is empty. The speaker is drawn as a {@code "speaker: "} label before the first line.
 *
 * <p>A turn may carry a region mark: its number, drawn as {@code "57 "} before the label, so that a
 * reader of the page image can name the turn it wants read back exactly. The mark is drawn in the
 * text's own font and size, so it is legible wherever the text is; a bare number costs one text
 * token where a bracketed one costs three.
 *
 * @param speaker the speaker or role; empty for plain text, never null
 * @param text the text; may be empty, never null
 * @param mark the number drawn before the label, or empty for none
 */
public record Turn(String speaker, String text, OptionalInt mark) {

  /**
   * Checks that no component is null and that a mark is not negative.
   *
   * @param speaker the speaker or role; empty for plain text, never null
   * @param text the text; may be empty, never null
   * @param mark the number drawn before the label, or empty for none
   */
  public Turn {
    Objects.requireNonNull(speaker, "speaker must not be null (use \"\" for plain text)");
    Objects.requireNonNull(text, "text must not be null");
    Objects.requireNonNull(mark, "mark must not be null (use OptionalInt.empty() for none)");
    if (mark.isPresent() && mark.getAsInt() < 0) {
      throw new IllegalArgumentException("mark must be at least 0, but is: " + mark.getAsInt());
    }
  }

  /**
   * A turn without a region mark.
   *
   * @param speaker the speaker or role; empty for plain text, never null
   * @param text the text; may be empty, never null
   */
  public Turn(String speaker, String text) {
    this(speaker, text, OptionalInt.empty());
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
   * This turn with {@code number} drawn as its region mark.
   *
   * @param number the turn's number, at least 0
   * @return the marked turn
   */
  public Turn marked(int number) {
    return new Turn(speaker, text, OptionalInt.of(number));
  }

  /**
   * The region mark as drawn, {@code "57 "}, or an empty string for none.
   *
   * @return the mark's text
   */
  public String markText() {
    return mark.isPresent() ? markText(mark.getAsInt()) : "";
  }

  /**
   * How a region mark of {@code number} is drawn.
   *
   * @param number the turn's number
   * @return {@code "number "}
   */
  public static String markText(int number) {
    return number + " ";
  }

  /**
   * What is drawn before the turn's first line: the region mark, then {@code "speaker: "}; an empty
   * string for unmarked plain text.
   *
   * @return the label
   */
  public String label() {
    return markText() + (speaker.isEmpty() ? "" : speaker + ": ");
  }
}
