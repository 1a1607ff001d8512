package dev.opticalmemory.ocr;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Words the recogniser read that are not in the {@link Lexicon}, replaced by a reading of the same
 * steps that is, where the recogniser itself found that reading nearly as likely: a small page's
 * "leaming", "cornmunity", "fiowers" and "Melaniel" become "learning", "community", "flowers" and
 * "Melanie!"; and a space read inside a word ("a wareness") is dropped.
 *
 * <p>For each unknown word, the steps it spans (from after the space before it to before the space
 * after it) are searched again by CTC prefix beam search, over the few likeliest classes of each
 * step; each reading's probability sums over all its alignments. The likeliest reading whose word
 * is known replaces the one read if its probability, multiplied by {@code boost}, reaches the
 * probability of what was read. Words with digits or letters outside ASCII, and known words, are
 * left as they are. A space between two words is dropped where the two make a known word, one of
 * them (not a single letter) is not one, and reading no space there, times {@code boost}, is as
 * likely as the space. Thread-safe.
 */
final class WordCorrector {
  /** Classes tried at each step, besides the blank. */
  private static final int CLASSES_PER_STEP = 5;
  /** Readings kept at each step. */
  private static final int BEAM = 12;
  /** Classes below this probability at a step are not tried there. */
  private static final float MIN_CLASS_PROBABILITY = 1e-3f;

  private final String[] characters;
  private final Map<String, Integer> classOf = new HashMap<>();
  private final double boost;

  WordCorrector(String[] characters, double boost) {
    this.characters = characters;
    this.boost = boost;
    for (int i = characters.length - 1; i > 0; i--) {
      classOf.put(characters[i], i);
    }
  }

  /**
   * Corrects the unknown words of one decoded line.
   *
   * @param chars the characters emitted, after the context rules
   * @param start each character's first step
   * @param end each character's last step
   * @param probs the recogniser's output for the batch
   * @param base where this line's steps start in {@code probs}
   * @param steps the line's steps
   * @param classes classes per step (blank 0, space last)
   * @return the line's characters, corrected
   */
  List<String> correct(List<String> chars, List<Integer> start, List<Integer> end, FloatBuffer probs,
      int base, int steps, int classes) {
    int n = chars.size();
    // The words, as [first, end) ranges of chars, with the single spaces between them.
    List<int[]> words = new ArrayList<>();
    for (int i = 0; i < n; ) {
      if (chars.get(i).equals(" ")) {
        i++;
        continue;
      }
      int j = i;
      while (j < n && !chars.get(j).equals(" ")) {
        j++;
      }
      words.add(new int[] {i, j});
      i = j;
    }
    boolean[] dropped = new boolean[n];
    // A space inside a word ("a wareness"): dropped where the two halves make a known word, at
    // least one half is not one (a single letter counts as one: "(d)" in a list, an initial), and
    // reading no space there is nearly as likely.
    for (int w = 0; w + 1 < words.size(); w++) {
      int[] a = words.get(w);
      int[] b = words.get(w + 1);
      if (b[0] != a[1] + 1) {
        continue;
      }
      String left = text(chars, a, dropped);
      String right = text(chars, b, dropped);
      // Cheapest first: nearly every pair of a line is two known words, and is left at once.
      if (!isAsciiLetter(left.charAt(left.length() - 1)) || !isAsciiLetter(right.charAt(0))
          || (knownOrLetter(left) && knownOrLetter(right))) {
        continue;
      }
      String joined = core(left + right);
      if (joined == null || !Lexicon.knows(joined)) {
        continue;
      }
      int[] split = classes(chars, a[0], b[1], dropped);
      if (split == null) {
        continue;
      }
      int space = a[1];
      int at = countKept(dropped, a[0], space);
      int[] together = new int[split.length - 1];
      System.arraycopy(split, 0, together, 0, at);
      System.arraycopy(split, at + 1, together, at, split.length - at - 1);
      int from = a[0] == 0 ? 0 : end.get(a[0] - 1) + 1;
      int to = b[1] == n ? steps - 1 : start.get(b[1]) - 1;
      if (probability(together, probs, base, from, to, classes) * boost
          >= probability(split, probs, base, from, to, classes)) {
        dropped[space] = true;
        words.set(w, new int[] {a[0], b[1]});
        words.remove(w + 1);
        w--;
      }
    }
    List<String> out = new ArrayList<>(n + 8);
    int previousEnd = 0;
    for (int[] word : words) {
      for (int k = previousEnd; k < word[0]; k++) {
        out.add(chars.get(k));
      }
      List<String> read = new ArrayList<>();
      for (int k = word[0]; k < word[1]; k++) {
        if (!dropped[k]) {
          read.add(chars.get(k));
        }
      }
      int from = word[0] == 0 ? 0 : end.get(word[0] - 1) + 1;
      int to = word[1] == n ? steps - 1 : start.get(word[1]) - 1;
      List<String> better = !known(String.join("", read)) && to >= from
          ? better(read, probs, base, from, to, classes) : null;
      out.addAll(better == null ? read : better);
      previousEnd = word[1];
    }
    for (int k = previousEnd; k < n; k++) {
      out.add(chars.get(k));
    }
    return out;
  }

  private static String text(List<String> chars, int[] range, boolean[] dropped) {
    StringBuilder b = new StringBuilder();
    for (int k = range[0]; k < range[1]; k++) {
      if (!dropped[k]) {
        b.append(chars.get(k));
      }
    }
    return b.toString();
  }

  private static int countKept(boolean[] dropped, int from, int to) {
    int kept = 0;
    for (int k = from; k < to; k++) {
      if (!dropped[k]) {
        kept++;
      }
    }
    return kept;
  }

  /** The classes of chars {@code from..to} not dropped, or null if one is not a class. */
  private int[] classes(List<String> chars, int from, int to, boolean[] dropped) {
    int[] ids = new int[countKept(dropped, from, to)];
    for (int k = from, m = 0; k < to; k++) {
      if (!dropped[k]) {
        Integer c = classOf.get(chars.get(k));
        if (c == null) {
          return null;
        }
        ids[m++] = c;
      }
    }
    return ids;
  }

  private static boolean knownOrLetter(String word) {
    String core = core(word);
    return core == null || core.length() == 1 || Lexicon.knows(core);
  }

  /** Whether a word is known or is not one to check (see {@link #core}). */
  private static boolean known(String word) {
    String core = core(word);
    return core == null || Lexicon.knows(core);
  }

  /**
   * The word without punctuation before and after it, or null if what is left is empty or holds
   * anything but ASCII letters and apostrophes.
   */
  static String core(String word) {
    int a = 0;
    int b = word.length();
    while (a < b && !isAsciiLetter(word.charAt(a))) {
      a++;
    }
    while (b > a && !isAsciiLetter(word.charAt(b - 1))) {
      b--;
    }
    if (a == b) {
      return null;
    }
    for (int k = a; k < b; k++) {
      char c = word.charAt(k);
      if (!isAsciiLetter(c) && c != '\'' && c != '\u2019') {
        return null;
      }
    }
    return word.substring(a, b);
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  /** The known reading of steps {@code from..to} that replaces {@code word}, or null. */
  private List<String> better(List<String> word, FloatBuffer probs, int base, int from, int to,
      int classes) {
    int[] read = new int[word.size()];
    for (int k = 0; k < read.length; k++) {
      Integer c = classOf.get(word.get(k));
      if (c == null) {
        return null;
      }
      read[k] = c;
    }
    double readP = probability(read, probs, base, from, to, classes);
    Map<String, double[]> beam = search(probs, base, from, to, classes);
    String best = null;
    double bestP = 0;
    for (Map.Entry<String, double[]> e : beam.entrySet()) {
      double p = e.getValue()[0] + e.getValue()[1];
      if (p > bestP && p * boost >= readP && knownReading(e.getKey())) {
        best = e.getKey();
        bestP = p;
      }
    }
    if (best == null) {
      return null;
    }
    List<String> result = new ArrayList<>(best.length());
    for (int k = 0; k < best.length(); k++) {
      result.add(characters[best.charAt(k)]);
    }
    return result.equals(word) ? null : result;
  }

  private boolean knownReading(String classesRead) {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < classesRead.length(); k++) {
      text.append(characters[classesRead.charAt(k)]);
    }
    String core = core(text.toString());
    return core != null && Lexicon.knows(core);
  }


  /**
   * CTC prefix beam search over steps {@code from..to}: readings (each class as one char of the
   * key) with their probabilities ending in a blank and in a character.
   */
  private static Map<String, double[]> search(FloatBuffer probs, int base, int from, int to,
      int classes) {
    Map<String, double[]> beam = new HashMap<>();
    beam.put("", new double[] {1, 0});
    int[] top = new int[CLASSES_PER_STEP];
    float[] topP = new float[CLASSES_PER_STEP];
    for (int t = from; t <= to; t++) {
      int offset = base + t * classes;
      int found = topClasses(probs, offset, classes, top, topP);
      float blank = probs.get(offset);
      Map<String, double[]> next = new HashMap<>();
      for (Map.Entry<String, double[]> e : beam.entrySet()) {
        String prefix = e.getKey();
        double pb = e.getValue()[0];
        double pnb = e.getValue()[1];
        next.computeIfAbsent(prefix, k -> new double[2])[0] += (pb + pnb) * blank;
        int last = prefix.isEmpty() ? -1 : prefix.charAt(prefix.length() - 1);
        for (int k = 0; k < found; k++) {
          int c = top[k];
          double p = topP[k];
          String extended = prefix + (char) c;
          if (c == last) {
            next.computeIfAbsent(prefix, x -> new double[2])[1] += pnb * p;
            next.computeIfAbsent(extended, x -> new double[2])[1] += pb * p;
          } else {
            next.computeIfAbsent(extended, x -> new double[2])[1] += (pb + pnb) * p;
          }
        }
      }
      beam = prune(next);
    }
    beam.remove("");
    return beam;
  }

  private static Map<String, double[]> prune(Map<String, double[]> next) {
    if (next.size() <= BEAM) {
      return next;
    }
    List<Map.Entry<String, double[]>> entries = new ArrayList<>(next.entrySet());
    entries.sort((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1],
        x.getValue()[0] + x.getValue()[1]));
    Map<String, double[]> kept = new HashMap<>();
    for (int k = 0; k < BEAM; k++) {
      kept.put(entries.get(k).getKey(), entries.get(k).getValue());
    }
    return kept;
  }

  /** The likeliest classes of a step other than the blank and the space; returns how many. */
  private static int topClasses(FloatBuffer probs, int offset, int classes, int[] top,
      float[] topP) {
    int found = 0;
    for (int c = 1; c < classes - 1; c++) {
      float p = probs.get(offset + c);
      if (p < MIN_CLASS_PROBABILITY || found == top.length && p <= topP[found - 1]) {
        continue;
      }
      int k = found < top.length ? found++ : found - 1;
      while (k > 0 && topP[k - 1] < p) {
        top[k] = top[k - 1];
        topP[k] = topP[k - 1];
        k--;
      }
      top[k] = c;
      topP[k] = p;
    }
    return found;
  }

  /** The probability of reading exactly {@code labels} over steps {@code from..to} (CTC forward). */
  static double probability(int[] labels, FloatBuffer probs, int base, int from, int to,
      int classes) {
    int s = 2 * labels.length + 1;
    double[] alpha = new double[s];
    double[] next = new double[s];
    int offset = base + from * classes;
    alpha[0] = probs.get(offset);
    if (labels.length > 0) {
      alpha[1] = probs.get(offset + labels[0]);
    }
    for (int t = from + 1; t <= to; t++) {
      offset = base + t * classes;
      for (int k = 0; k < s; k++) {
        int label = k % 2 == 0 ? 0 : labels[k / 2];
        double a = alpha[k];
        if (k > 0) {
          a += alpha[k - 1];
        }
        if (k > 1 && label != 0 && label != labels[k / 2 - 1]) {
          a += alpha[k - 2];
        }
        next[k] = a * probs.get(offset + label);
      }
      double[] swap = alpha;
      alpha = next;
      next = swap;
    }
    return alpha[s - 1] + (s > 1 ? alpha[s - 2] : 0);
  }
}
