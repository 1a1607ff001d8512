package dev.opticalmemory.eval;

import java.util.Map;

/**
 * The Porter stemmer as NLTK runs it by default ({@code PorterStemmer()}, mode
 * {@code NLTK_EXTENSIONS}), so that LoCoMo's F1 stems words as its reference script does. Written
 * from Porter's 1980 algorithm and the departures NLTK documents for that mode:
 * <ul>
 *   <li>a few irregular forms map straight to their stem (skies to sky, dying to die, news stays);
 *   <li>words of one or two letters are left alone;
 *   <li>step 1a turns a four-letter "-ies" into "-ie" (ties to tie); step 1b turns "-ied" into
 *       "-ie" in four-letter words and "-i" otherwise (died to die, tried to tri);
 *   <li>step 1c turns a final y into i only after a consonant that is not the word's first letter
 *       (try to tri, say stays);
 *   <li>step 2 takes "-alli" first and runs step 2 again on the result, uses "-bli" for "-abli",
 *       and adds "-fulli" and "-logi" (with the l kept in the stem's measure);
 *   <li>a two-letter stem of vowel and consonant counts as ending consonant-vowel-consonant.
 * </ul>
 * Works on code points, as Python does; input is lower-cased first.
 */
final class PorterStemmer {
  private static final Map<String, String> IRREGULAR = Map.ofEntries(
      Map.entry("skies", "sky"), Map.entry("sky", "sky"), Map.entry("dying", "die"),
      Map.entry("lying", "lie"), Map.entry("tying", "tie"), Map.entry("news", "news"),
      Map.entry("innings", "inning"), Map.entry("inning", "inning"),
      Map.entry("outings", "outing"), Map.entry("outing", "outing"),
      Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
      Map.entry("howe", "howe"), Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"),
      Map.entry("succeed", "succeed"));

  private PorterStemmer() {}

  /** The stem of a word, lower-cased first. */
  static String stem(String word) {
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    String irregular = IRREGULAR.get(word); // the word as given, as NLTK looks it up
    if (irregular != null) {
      return irregular;
    }
    if (word.codePointCount(0, word.length()) <= 2) {
      return lower;
    }
    int[] w = lower.codePoints().toArray();
    w = step1a(w);
    w = step1b(w);
    w = step1c(w);
    w = step2(w);
    w = step3(w);
    w = step4(w);
    w = step5a(w);
    w = step5b(w);
    return new String(w, 0, w.length);
  }

  // ---------------------------------------------------------------- the word's shape

  private static boolean consonant(int[] w, int i) {
    int c = w[i];
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
      return false;
    }
    if (c == 'y') {
      return i == 0 || !consonant(w, i - 1);
    }
    return true;
  }

  /** Porter's m: how many vowel-consonant sequences the first {@code n} letters hold. */
  private static int measure(int[] w, int n) {
    int m = 0;
    boolean vowelSeen = false;
    for (int i = 0; i < n; i++) {
      if (!consonant(w, i)) {
        vowelSeen = true;
      } else if (vowelSeen) {
        m++;
        vowelSeen = false;
      }
    }
    return m;
  }

  private static boolean hasVowel(int[] w, int n) {
    for (int i = 0; i < n; i++) {
      if (!consonant(w, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean doubleConsonant(int[] w, int n) {
    return n >= 2 && w[n - 1] == w[n - 2] && consonant(w, n - 1);
  }

  /** Consonant-vowel-consonant at the end, the last not w, x or y; or a two-letter vowel-consonant. */
  private static boolean cvc(int[] w, int n) {
    if (n >= 3 && consonant(w, n - 3) && !consonant(w, n - 2) && consonant(w, n - 1)) {
      int last = w[n - 1];
      return last != 'w' && last != 'x' && last != 'y';
    }
    return n == 2 && !consonant(w, 0) && consonant(w, 1);
  }

  private static boolean endsWith(int[] w, String suffix) {
    int k = suffix.length();
    if (k > w.length) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      if (w[w.length - k + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The first {@code n} letters followed by {@code tail}. */
  private static int[] join(int[] w, int n, String tail) {
    int[] out = new int[n + tail.length()];
    System.arraycopy(w, 0, out, 0, n);
    for (int i = 0; i < tail.length(); i++) {
      out[n + i] = tail.charAt(i);
    }
    return out;
  }

  /** A rule's condition on the stem left when the suffix is taken off. */
  private interface Condition {
    boolean holds(int[] w, int stemLength);
  }

  private static final Condition ANY = (w, n) -> true;
  private static final Condition POSITIVE = (w, n) -> measure(w, n) > 0;
  private static final Condition ABOVE_ONE = (w, n) -> measure(w, n) > 1;

  /**
   * The first rule whose suffix the word ends with decides: its replacement where its condition
   * holds, else the word as it is. Rules come as suffix, replacement pairs.
   */
  private static int[] firstRule(int[] w, Condition condition, String... rules) {
    for (int r = 0; r < rules.length; r += 2) {
      if (endsWith(w, rules[r])) {
        int stem = w.length - rules[r].length();
        return condition.holds(w, stem) ? join(w, stem, rules[r + 1]) : w;
      }
    }
    return w;
  }

  // ---------------------------------------------------------------- the steps

  private static int[] step1a(int[] w) {
    if (w.length == 4 && endsWith(w, "ies")) {
      return join(w, 1, "ie");
    }
    return firstRule(w, ANY, "sses", "ss", "ies", "i", "ss", "ss", "s", "");
  }

  private static int[] step1b(int[] w) {
    if (endsWith(w, "ied")) {
      return join(w, w.length - 3, w.length == 4 ? "ie" : "i");
    }
    if (endsWith(w, "eed")) {
      int stem = w.length - 3;
      return measure(w, stem) > 0 ? join(w, stem, "ee") : w;
    }
    int stem;
    if (endsWith(w, "ed") && hasVowel(w, w.length - 2)) {
      stem = w.length - 2;
    } else if (endsWith(w, "ing") && hasVowel(w, w.length - 3)) {
      stem = w.length - 3;
    } else {
      return w;
    }
    int[] s = join(w, stem, "");
    if (endsWith(s, "at") || endsWith(s, "bl") || endsWith(s, "iz")) {
      return join(s, s.length, "e");
    }
    if (doubleConsonant(s, s.length)) {
      int last = s[s.length - 1];
      return last == 'l' || last == 's' || last == 'z' ? s : join(s, s.length - 1, "");
    }
    return measure(s, s.length) == 1 && cvc(s, s.length) ? join(s, s.length, "e") : s;
  }

  private static int[] step1c(int[] w) {
    if (endsWith(w, "y") && w.length - 1 > 1 && consonant(w, w.length - 2)) {
      return join(w, w.length - 1, "i");
    }
    return w;
  }

  private static int[] step2(int[] w) {
    if (endsWith(w, "alli") && measure(w, w.length - 4) > 0) {
      return step2(join(w, w.length - 4, "al"));
    }
    if (endsWith(w, "logi")) {
      // The rules before it end otherwise; the l stays in the stem whose measure counts.
      return measure(w, w.length - 3) > 0 ? join(w, w.length - 4, "log") : w;
    }
    return firstRule(w, POSITIVE, "ational", "ate", "tional", "tion", "enci", "ence", "anci",
        "ance", "izer", "ize", "bli", "ble", "alli", "al", "entli", "ent", "eli", "e", "ousli",
        "ous", "ization", "ize", "ation", "ate", "ator", "ate", "alism", "al", "iveness", "ive",
        "fulness", "ful", "ousness", "ous", "aliti", "al", "iviti", "ive", "biliti", "ble",
        "fulli", "ful");
  }

  private static int[] step3(int[] w) {
    return firstRule(w, POSITIVE, "icate", "ic", "ative", "", "alize", "al", "iciti", "ic",
        "ical", "ic", "ful", "", "ness", "");
  }

  private static int[] step4(int[] w) {
    if (endsWith(w, "ion")) {
      // No other suffix of the step ends in "ion", so where it stands in the list is moot.
      int stem = w.length - 3;
      boolean st = stem > 0 && (w[stem - 1] == 's' || w[stem - 1] == 't');
      return st && measure(w, stem) > 1 ? join(w, stem, "") : w;
    }
    return firstRule(w, ABOVE_ONE, "al", "", "ance", "", "ence", "", "er", "", "ic", "", "able",
        "", "ible", "", "ant", "", "ement", "", "ment", "", "ent", "", "ou", "", "ism", "", "ate",
        "", "iti", "", "ous", "", "ive", "", "ize", "");
  }

  private static int[] step5a(int[] w) {
    if (endsWith(w, "e")) {
      int stem = w.length - 1;
      int m = measure(w, stem);
      if (m > 1 || (m == 1 && !cvc(w, stem))) {
        return join(w, stem, "");
      }
    }
    return w;
  }

  private static int[] step5b(int[] w) {
    if (endsWith(w, "ll") && measure(w, w.length - 1) > 1) {
      return join(w, w.length - 1, "");
    }
    return w;
  }
}
