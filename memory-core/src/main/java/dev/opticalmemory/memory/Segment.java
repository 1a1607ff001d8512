package dev.opticalmemory.memory;

import java.time.Instant;
import java.util.Map;

/**
 * A page of a conversation: consecutive turns packed onto one page, and what is kept of it now.
 *
 * @param id the segment's id, unique in the store
 * @param conversation the conversation it belongs to
 * @param index its position in the conversation, from 0
 * @param firstTurn the number of its first turn in the conversation, from 0
 * @param lastTurn the number of its last turn (a turn longer than a page spans several segments)
 * @param open whether turns are still being added (the newest segment); an open segment is TEXT
 * @param rendered whether its page has been drawn: a closed segment's page is drawn in the
 *     background, and a TEXT segment that is rendered has its LARGE page stored beside its text
 * @param tier how it is held now
 * @param chars source characters (UTF-16 units) it holds
 * @param textTokens what its text costs as text tokens (the memory's {@link TokenCounter})
 * @param visionTokens DeepSeek-OCR's vision tokens at the current tier (0 for TEXT and FORGOTTEN)
 * @param storedBytes bytes of the images and text stored for it now
 * @param fidelity measured precision of its decoded text per image tier, where measured
 * @param wordAccuracy measured word accuracy of its decoded text per image tier (the share of its
 *     words read intact and in order), where measured
 * @param createdAt when its first turn was appended
 * @param closedAt when it was closed, or {@code null} while open
 * @param importance what marks it out beside its age: pins, salience, rehearsals
 */
public record Segment(
    long id,
    String conversation,
    int index,
    int firstTurn,
    int lastTurn,
    boolean open,
    boolean rendered,
    Tier tier,
    int chars,
    int textTokens,
    int visionTokens,
    long storedBytes,
    Map<Tier, Double> fidelity,
    Map<Tier, Double> wordAccuracy,
    Instant createdAt,
    Instant closedAt,
    Importance importance) {

  /**
   * Copies the fidelity maps.
   *
   * @param id the segment's id, unique in the store
   * @param conversation the conversation it belongs to
   * @param index its position in the conversation, from 0
   * @param firstTurn the number of its first turn in the conversation, from 0
   * @param lastTurn the number of its last turn (a turn longer than a page spans several segments)
   * @param open whether turns are still being added (the newest segment); an open segment is TEXT
   * @param rendered whether its page has been drawn: a closed segment's page is drawn in the
   *     background, and a TEXT segment that is rendered has its LARGE page stored beside its text
   * @param tier how it is held now
   * @param chars source characters (UTF-16 units) it holds
   * @param textTokens what its text costs as text tokens (the memory's {@link TokenCounter})
   * @param visionTokens DeepSeek-OCR's vision tokens at the current tier (0 for TEXT and FORGOTTEN)
   * @param storedBytes bytes of the images and text stored for it now
   * @param fidelity measured precision of its decoded text per image tier, where measured
   * @param wordAccuracy measured word accuracy of its decoded text per image tier (the share of its
   *     words read intact and in order), where measured
   * @param createdAt when its first turn was appended
   * @param closedAt when it was closed, or {@code null} while open
   * @param importance what marks it out beside its age: pins, salience, rehearsals
   */
  public Segment {
    fidelity = Map.copyOf(fidelity);
    wordAccuracy = Map.copyOf(wordAccuracy);
    importance = importance == null ? Importance.NONE : importance;
  }
}
