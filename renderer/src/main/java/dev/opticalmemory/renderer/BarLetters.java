package dev.opticalmemory.renderer;

import java.util.function.Predicate;

/**
 * A capital I and a small l are one bar at 1024 px and below: of the two readings of a word, the
 * one a word list knows is kept ("lt" to "It", "famiIy" to "family").
 */
final class BarLetters {
  private final Predicate<String> knownWords;

  BarLetters(Predicate<String> knownWords) {
    this.knownWords = knownWords;
  }

  /**
   * Each word (between spaces, without the punctuation around it) that is not known but would be
   * with some of its I and l swapped, swapped: the two are one bar at 1024 px and below.
   */
  String words(String line) {
    StringBuilder out = new StringBuilder(line.length());
    int i = 0;
    while (i < line.length()) {
      int end = line.indexOf(' ', i);
      end = end < 0 ? line.length() : end;
      String token = line.substring(i, end);
      int from = 0;
      int to = token.length();
      while (from < to && !Character.isLetter(token.charAt(from))) {
        from++;
      }
      while (to > from && !Character.isLetter(token.charAt(to - 1))) {
        to--;
      }
      String word = token.substring(from, to);
      out.append(token, 0, from).append(alike(word)).append(token, to, token.length());
      if (end < line.length()) {
        out.append(' ');
      }
      i = end + 1;
    }
    return out.toString();
  }

  private String alike(String word) {
    int[] at = new int[4];
    int n = 0;
    for (int i = 0; i < word.length() && n < at.length; i++) {
      if (word.charAt(i) == 'I' || word.charAt(i) == 'l') {
        at[n++] = i;
      }
    }
    if (n == 0 || knownWords.test(word)) {
      return word;
    }
    char[] letters = word.toCharArray();
    // Fewest swaps first.
    for (int swaps = 1; swaps <= n; swaps++) {
      for (int mask = 1; mask < 1 << n; mask++) {
        if (Integer.bitCount(mask) != swaps) {
          continue;
        }
        char[] candidate = letters.clone();
        for (int k = 0; k < n; k++) {
          if ((mask & 1 << k) != 0) {
            candidate[at[k]] = candidate[at[k]] == 'I' ? 'l' : 'I';
          }
        }
        String form = new String(candidate);
        if (knownWords.test(form)) {
          return form;
        }
      }
    }
    return word;
  }
}
