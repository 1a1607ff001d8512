package dev.opticalmemory.ocr;

import java.util.Objects;

/**
 * Text accuracy metrics shared by tests and experiments.
 *
 * <ul>
 *   <li>{@link #precision}: DeepSeek-OCR's measure, {@code 1 - Levenshtein(output, truth) / max(lengths)}
 *       with all whitespace removed, counted in code points; 1.0 for two empty texts.
 *   <li>{@link #characterErrorRate}: edits per character of the truth, whitespace runs collapsed to
 *       one space; can exceed 1.
 *   <li>{@link #wordAccuracy}: the share of the truth's words that the output reproduces in order
 *       (longest common subsequence of whitespace-separated words).
 * </ul>
 */
public final class TextMetrics {
  private TextMetrics() {}

  /**
   * DeepSeek-OCR's precision (see above).
   *
   * @param output what the engine read
   * @param truth the source text
   * @return 0 to 1
   */
  public static double precision(String output, String truth) {
    int[] a = codePoints(stripWhitespace(output));
    int[] b = codePoints(stripWhitespace(truth));
    int longest = Math.max(a.length, b.length);
    return longest == 0 ? 1.0 : 1.0 - (double) levenshtein(a, b) / longest;
  }

  /**
   * The character error rate (see above).
   *
   * @param output what the engine read
   * @param truth the source text
   * @return edits per character of the truth, 0 or more
   */
  public static double characterErrorRate(String output, String truth) {
    int[] a = codePoints(collapseWhitespace(output));
    int[] b = codePoints(collapseWhitespace(truth));
    if (b.length == 0) {
      return a.length == 0 ? 0.0 : 1.0;
    }
    return (double) levenshtein(a, b) / b.length;
  }

  /**
   * The word accuracy (see above).
   *
   * @param output what the engine read
   * @param truth the source text
   * @return 0 to 1
   */
  public static double wordAccuracy(String output, String truth) {
    String[] out = words(output);
    String[] ref = words(truth);
    if (ref.length == 0) {
      return out.length == 0 ? 1.0 : 0.0;
    }
    int[] previous = new int[out.length + 1];
    int[] current = new int[out.length + 1];
    for (String word : ref) {
      for (int j = 1; j <= out.length; j++) {
        current[j] = word.equals(out[j - 1])
            ? previous[j - 1] + 1
            : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return (double) previous[out.length] / ref.length;
  }

  /**
   * Edit distance (insertions, deletions, substitutions) between two code-point sequences.
   *
   * @param a one sequence
   * @param b the other
   * @return the number of edits
   */
  public static int levenshtein(int[] a, int[] b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (a.length < b.length) {
      int[] swap = a;
      a = b;
      b = swap;
    }
    int[] previous = new int[b.length + 1];
    int[] current = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      current[0] = i;
      int ai = a[i - 1];
      for (int j = 1; j <= b.length; j++) {
        int cost = ai == b[j - 1] ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length];
  }

  private static int[] codePoints(String s) {
    return s.codePoints().toArray();
  }

  private static String stripWhitespace(String s) {
    Objects.requireNonNull(s, "text must not be null");
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  private static String collapseWhitespace(String s) {
    Objects.requireNonNull(s, "text must not be null");
    return s.strip().replaceAll("[\\s\\u00A0\\u3000]+", " ");
  }

  private static String[] words(String s) {
    String collapsed = collapseWhitespace(s);
    return collapsed.isEmpty() ? new String[0] : collapsed.split(" ");
  }
}
