package dev.opticalmemory.ocr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words the recogniser's output is checked against: every token of OpenAI's o200k encoding
 * that is a space followed by ASCII letters (68,059 words: common English words with their
 * inflections, names, and words of other Latin-script languages). The list is the resource {@value
 * #RESOURCE}, generated from JTokkit's o200k encoding and checked against it by {@code
 * LexiconTest}. Loaded once per process, on first use. Thread-safe.
 *
 * <p>A word is known if it is in the list as written, or, written in small letters or with a
 * capital first letter only, in small letters; a contraction ("I'm", "don't") if its stem is known.
 * One- and two-letter words are known only if they are common English ones: o200k has many
 * fragments of code among its short tokens ("rm", "Fm" as "fm").
 */
final class Lexicon {
  static final String RESOURCE = "o200k-words.txt";
  private static final Set<String> SHORT = Set.of("a", "I", "A", "O", "am", "an", "as", "at", "be",
      "by", "do", "go", "he", "hi", "if", "in", "is", "it", "me", "my", "no", "of", "oh", "ok", "on",
      "or", "so", "to", "up", "us", "we", "ah", "eh", "ha", "ya", "yo", "ma", "pa", "ex", "id", "TV",
      "OK", "Mr", "Ms", "Dr", "St", "vs", "uh", "um", "hm", "ad", "ax", "ox");
  private static final Set<String> SUFFIXES = Set.of("s", "m", "re", "ve", "ll", "d", "t");

  private static final class Holder {
    static final Set<String> WORDS = load();
  }

  private Lexicon() {}

  private static Set<String> load() {
    Set<String> words = new HashSet<>(100_000);
    try (InputStream in = Lexicon.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new OcrException("the word list " + RESOURCE + " is missing from the ocr-engine jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty()) {
          words.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the word list " + RESOURCE, e);
    }
    return words;
  }

  /**
   * Whether a word of ASCII letters, possibly with one apostrophe (' or ’) before a contraction's
   * ending, is known.
   */
  static boolean knows(String word) {
    int apostrophe = Math.max(word.indexOf('\''), word.indexOf('\u2019'));
    if (apostrophe > 0) {
      String ending = word.substring(apostrophe + 1);
      String stem = word.substring(0, apostrophe);
      if (ending.equals("t") && stem.endsWith("n")) {
        stem = stem.substring(0, stem.length() - 1);
        // "can't", "won't" and "don't" keep their stems; "isn't" is "is" + "n't".
        return knowsWord(stem) || knowsWord(stem + "n");
      }
      return SUFFIXES.contains(ending) && knowsWord(stem);
    }
    return knowsWord(word);
  }

  private static boolean knowsWord(String word) {
    if (word.isEmpty()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    if (word.length() <= 2) {
      return SHORT.contains(word) || SHORT.contains(word.toLowerCase(Locale.ROOT));
    }
    Set<String> words = Holder.WORDS;
    if (words.contains(word)) {
      return true;
    }
    String rest = word.substring(1);
    boolean plain = rest.equals(rest.toLowerCase(Locale.ROOT));
    boolean allCaps = word.equals(word.toUpperCase(Locale.ROOT));
    return (plain || allCaps) && words.contains(word.toLowerCase(Locale.ROOT));
  }
}
