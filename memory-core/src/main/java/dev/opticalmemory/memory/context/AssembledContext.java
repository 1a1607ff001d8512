package dev.opticalmemory.memory.context;

import java.util.List;

/**
 * What an LLM is shown of a conversation, oldest first, with what each part costs.
 *
 * @param conversation the conversation
 * @param reader the reader it was counted for
 * @param budget the budget it had to fit
 * @param items the items, oldest first: page images, then text turns
 * @param fullTextTokens what the whole conversation would cost as text (every turn ever appended,
 *     counted by the memory's token counter when it was appended)
 * @param degraded segments sent at a lower tier than stored, to fit
 * @param omitted segments and text turns left out to fit (forgotten segments not counted)
 * @param turns turns in the conversation
 * @param coveredTurns turns the context shows, as text or on a page (a turn split over pages counts
 *     once per page that shows it)
 * @param choices why each page sent below its stored tier, or left out, was chosen
 */
public record AssembledContext(String conversation, String reader, int budget,
    List<ContextItem> items, long fullTextTokens, int degraded, int omitted, int turns,
    int coveredTurns, List<ContextChoice> choices) {

  /**
   * Copies the items.
   *
   * @param conversation the conversation
   * @param reader the reader it was counted for
   * @param budget the budget it had to fit
   * @param items the items, oldest first: page images, then text turns
   * @param fullTextTokens what the whole conversation would cost as text (every turn ever appended,
   *     counted by the memory's token counter when it was appended)
   * @param degraded segments sent at a lower tier than stored, to fit
   * @param omitted segments and text turns left out to fit (forgotten segments not counted)
   * @param turns turns in the conversation
   * @param coveredTurns turns the context shows, as text or on a page (a turn split over pages counts
   *     once per page that shows it)
   * @param choices why each page sent below its stored tier, or left out, was chosen
   */
  public AssembledContext {
    items = List.copyOf(items);
    choices = List.copyOf(choices);
  }

  /**
   * What the context costs the reader.
   *
   * @return text and image tokens together
   */
  public int totalTokens() {
    return textTokens() + imageTokens();
  }

  /**
   * What the text items cost.
   *
   * @return their tokens
   */
  public int textTokens() {
    return texts().stream().mapToInt(ContextItem::tokens).sum();
  }

  /**
   * What the page images cost.
   *
   * @return their tokens
   */
  public int imageTokens() {
    return images().stream().mapToInt(ContextItem::tokens).sum();
  }

  /**
   * The page images, oldest first.
   *
   * @return the image items
   */
  public List<PageItem> images() {
    return items.stream().filter(PageItem.class::isInstance).map(PageItem.class::cast).toList();
  }

  /**
   * The text turns, oldest first.
   *
   * @return the text items
   */
  public List<TextItem> texts() {
    return items.stream().filter(TextItem.class::isInstance).map(TextItem.class::cast).toList();
  }

  /**
   * fullTextTokens / totalTokens: how many times smaller than the whole conversation as text.
   *
   * @return the compression, 0 if the context is empty
   */
  public double compression() {
    int total = totalTokens();
    return total == 0 ? 0 : (double) fullTextTokens / total;
  }
}
