package dev.opticalmemory.ocr;

/**
 * The word list the PP-OCR engine checks its readings against (about 68,000 English words and
 * names, from OpenAI's o200k encoding), for other readers of text that need to choose between
 * readings that look alike.
 */
public final class KnownWords {
  private KnownWords() {}

  /**
   * Whether a word of ASCII letters, possibly with one apostrophe before a contraction's ending
   * ("I'm", "don't"), is known. Case: a capitalised or all-capitals form of a known word is known.
   *
   * @param word the word, without surrounding punctuation
   * @return true if known
   */
  public static boolean contains(String word) {
    java.util.Objects.requireNonNull(word, "word must not be null");
    return Lexicon.knows(word);
  }
}
