package dev.opticalmemory.memory;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into index terms: NFKC-normalised, lower-cased runs of letters and digits, at most 64
 * characters; CJK text (which has no spaces) as single characters and overlapping pairs, so a query
 * of one or two characters finds them.
 */
final class Terms {
  static final int MAX_LENGTH = 64;

  private Terms() {}

  static List<String> of(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> terms = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    int previousCjk = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (isCjk(cp)) {
        flush(word, terms);
        String c = new String(Character.toChars(cp));
        terms.add(c);
        if (previousCjk >= 0) {
          terms.add(new String(Character.toChars(previousCjk)) + c);
        }
        previousCjk = cp;
      } else if (Character.isLetterOrDigit(cp)) {
        previousCjk = -1;
        word.appendCodePoint(cp);
      } else {
        previousCjk = -1;
        flush(word, terms);
      }
    }
    flush(word, terms);
    return terms;
  }

  private static void flush(StringBuilder word, List<String> terms) {
    if (word.length() > 0) {
      String w = word.toString();
      if (w.length() > MAX_LENGTH) {
        int end = MAX_LENGTH;
        if (Character.isHighSurrogate(w.charAt(end - 1))) {
          end--;
        }
        w = w.substring(0, end);
      }
      terms.add(w);
      word.setLength(0);
    }
  }

  static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }
}
