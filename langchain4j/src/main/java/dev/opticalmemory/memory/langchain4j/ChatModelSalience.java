package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.opticalmemory.memory.Salience;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Salience scored by a LangChain4j {@link ChatModel}: each appended turn (its first 4,000
 * characters) is sent with a question asking for 0 to 10, and the first number in the answer,
 * divided by 10, is the score. Off by default: it costs one model call per append, on the append
 * path. An answer without a number, or a failing model, fails the append.
 *
 * <pre>{@code
 * OpticalMemory.builder().path(folder).salience(ChatModelSalience.of(model)).build();
 * }</pre>
 */
public final class ChatModelSalience implements Salience {
  /** Characters of a turn sent to the model. */
  static final int SENT = 4_000;
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  static final String QUESTION = "On a scale from 0 to 10, how important is it to remember the"
      + " message below word for word later in the conversation? Facts such as names, dates,"
      + " numbers, codes, allergies, plans and commitments are important; greetings and small talk"
      + " are 0. Answer with the number only.\n\nMessage:\n";

  private final ChatModel model;

  private ChatModelSalience(ChatModel model) {
    this.model = model;
  }

  /**
   * A scorer that asks {@code model}.
   *
   * @param model the chat model
   * @return the scorer
   */
  public static ChatModelSalience of(ChatModel model) {
    return new ChatModelSalience(Objects.requireNonNull(model, "model"));
  }

  @Override
  public double score(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String sent = text.length() > SENT ? text.substring(0, SENT) : text;
    String answer = model.chat(QUESTION + sent);
    Matcher m = NUMBER.matcher(answer == null ? "" : answer);
    if (!m.find()) {
      throw new IllegalStateException("the chat model's salience answer has no number: '"
          + (answer == null ? "null" : answer.length() > 200 ? answer.substring(0, 200) : answer)
          + "'");
    }
    return Math.max(0, Math.min(10, Double.parseDouble(m.group()))) / 10;
  }
}
