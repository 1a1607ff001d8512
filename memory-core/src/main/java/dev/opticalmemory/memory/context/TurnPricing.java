package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.TokenCounter;
import java.util.Objects;

/**
 * What a turn sent as text costs its reader, in the form it will be sent: the {@link
 * ContextAssembler} fits the budget with these prices, so a caller that sends turns in another form
 * (LangChain4j messages with a user's images, say) prices them here once and the assembled context
 * is within budget as sent. Implementations must be thread-safe and pure.
 */
public interface TurnPricing {

  /**
   * Tokens of the turn as sent, any media it carries included.
   *
   * @param turn a turn
   * @return its price, at least 0
   */
  int price(MemoryTurn turn);

  /**
   * Tokens of the turn with its media left out (a short marker in their place), which the assembler
   * tries before it leaves the whole turn out; equal to {@link #price} for a turn without media.
   *
   * @param turn a turn
   * @return its price without media, at most {@link #price}
   */
  default int priceWithoutMedia(MemoryTurn turn) {
    return price(turn);
  }

  /**
   * How many images the turn carries as sent (each counts toward a request's image limit); 0 by
   * default. The assembler leaves them out, as it does to fit the budget, when a request would
   * carry too many.
   *
   * @param turn a turn
   * @return its images, at least 0
   */
  default int images(MemoryTurn turn) {
    return 0;
  }

  /**
   * What the turn weighs in a request as sent, in bytes: its text as UTF-8 and its media as the
   * base64 that carries them. By default its labelled text's UTF-8 length (a turn without media).
   * The assembler leaves media out, as it does to fit the budget, when a request would weigh more
   * than its byte limit.
   *
   * @param turn a turn
   * @return its bytes, at least 0
   */
  default long bytes(MemoryTurn turn) {
    return turn.labelledText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /**
   * The turn's bytes with its media left out; by default {@link #bytes}.
   *
   * @param turn a turn
   * @return its bytes without media, at most {@link #bytes}
   */
  default long bytesWithoutMedia(MemoryTurn turn) {
    return bytes(turn);
  }

  /**
   * What the caller sends beside each page image (a label naming the page and its turns), in the
   * reader's tokens; the assembler adds it to the page's price at every tier, so that a context it
   * fits is the request the caller sends. Default 0 (pages go without labels).
   *
   * @param page the page's segment
   * @return its label's tokens, at least 0
   */
  default int pageLabelPrice(dev.opticalmemory.memory.Segment page) {
    return 0;
  }

  /**
   * Turns as their labelled text ({@link MemoryTurn#labelledText()}), counted by {@code counter}:
   * what the assembler uses unless told otherwise.
   *
   * @param counter the reader's text counter
   * @return the pricing
   */
  static TurnPricing labelledText(TokenCounter counter) {
    Objects.requireNonNull(counter, "counter");
    return turn -> counter.count(turn.labelledText());
  }
}
