package dev.opticalmemory.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * LoCoMo's own answer score (its {@code task_eval/evaluation.py}), step for step, and mem0's F1
 * beside it. LoCoMo's F1: drop commas, lower-case, drop Python's {@code string.punctuation}, drop
 * the words a, an, the and and, split on Python's whitespace, stem with NLTK's Porter stemmer
 * ({@link PorterStemmer}), then token F1 over the multisets. By category:
 * <ul>
 *   <li>1: the gold answer and the prediction are split at commas; each gold part takes its best
 *       F1 against the prediction's parts, and the parts are averaged;
 *   <li>2 and 4: plain F1;
 *   <li>3: F1 against the gold answer up to its first semicolon;
 *   <li>5 (adversarial, no answer in the conversation): 1 if the prediction says "no information
 *       available" or "not mentioned", else 0;
 *   <li>any other: an error, as in the reference.
 * </ul>
 */
final class LocomoScore {
  /** Python's {@code string.punctuation}. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  /** The reference's {@code \b(a|an|the|and)\b}, with Unicode word characters as its regex has. */
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the|and)\\b",
      Pattern.UNICODE_CHARACTER_CLASS);

  /** Stems of words met so far: answers repeat their words. */
  private static final Map<String, String> STEMS = new java.util.concurrent.ConcurrentHashMap<>();

  private LocomoScore() {}

  /**
   * LoCoMo's score of a prediction against the gold answer, by category.
   *
   * @throws IllegalArgumentException for a category other than 1 to 5
   */
  static double score(int category, String prediction, String gold) {
    String p = prediction == null ? "" : prediction;
    String g = gold == null ? "" : gold;
    switch (category) {
      case 1:
        return multiAnswer(p, g);
      case 2:
      case 4:
        return f1(p, g);
      case 3:
        return f1(p, Python.strip(g.split(";", -1)[0]));
      case 5:
        String lower = p.toLowerCase(Locale.ROOT);
        return lower.contains("no information available") || lower.contains("not mentioned")
            ? 1 : 0;
      default:
        throw new IllegalArgumentException("category must be 1 to 5, as LoCoMo's script has them,"
            + " but is: " + category);
    }
  }

  /** Token F1 over stemmed, normalized words (the reference's {@code f1_score}). */
  static double f1(String prediction, String gold) {
    List<String> predicted = tokens(prediction);
    List<String> truth = tokens(gold);
    Map<String, Integer> counts = new HashMap<>();
    truth.forEach(t -> counts.merge(t, 1, Integer::sum));
    int same = 0;
    for (String t : predicted) {
      Integer left = counts.get(t);
      if (left != null && left > 0) {
        counts.put(t, left - 1);
        same++;
      }
    }
    if (same == 0) {
      return 0;
    }
    double precision = 1.0 * same / predicted.size();
    double recall = 1.0 * same / truth.size();
    return (2 * precision * recall) / (precision + recall);
  }

  private static double multiAnswer(String prediction, String gold) {
    String[] predictions = prediction.split(",", -1);
    String[] golds = gold.split(",", -1);
    double sum = 0;
    for (String g : golds) {
      double best = 0;
      for (String p : predictions) {
        best = Math.max(best, f1(Python.strip(p), Python.strip(g)));
      }
      sum += best;
    }
    return sum / golds.length;
  }

  /** The reference's {@code normalize_answer}, in its order of steps. */
  static String normalize(String s) {
    String lower = s.replace(",", "").toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        kept.append(c);
      }
    }
    String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
    return String.join(" ", Python.split(noArticles));
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    String normalized = normalize(s);
    if (normalized.isEmpty()) {
      return out;
    }
    for (String word : normalized.split(" ")) {
      String stem = STEMS.get(word);
      if (stem == null) {
        stem = PorterStemmer.stem(word);
        if (STEMS.size() < 200_000) {
          STEMS.put(word, stem);
        }
      }
      out.add(stem);
    }
    return out;
  }

  /**
   * mem0's F1 (its {@code evaluation/metrics/utils.py}): 0 if either side is empty; else strip,
   * lower-case, read . , ! ? as spaces, split, and compare the token sets. No articles dropped, no
   * stems, no comma rule.
   */
  static double mem0F1(String prediction, String gold) {
    if (prediction == null || prediction.isEmpty() || gold == null || gold.isEmpty()) {
      return 0;
    }
    Set<String> predicted = mem0Tokens(prediction);
    Set<String> truth = mem0Tokens(gold);
    if (predicted.isEmpty() || truth.isEmpty()) {
      return 0;
    }
    Set<String> common = new HashSet<>(predicted);
    common.retainAll(truth);
    if (common.isEmpty()) {
      return 0;
    }
    double precision = (double) common.size() / predicted.size();
    double recall = (double) common.size() / truth.size();
    return 2 * precision * recall / (precision + recall);
  }

  private static Set<String> mem0Tokens(String s) {
    String t = Python.strip(s).toLowerCase(Locale.ROOT).replace('.', ' ').replace(',', ' ')
        .replace('!', ' ').replace('?', ' ');
    return new HashSet<>(Python.split(t));
  }

  /** Python's {@code str.split()}, {@code str.strip()} and {@code str.isspace()}, exactly. */
  static final class Python {
    private Python() {}

    static boolean isSpace(int c) {
      return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0
          || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029
          || c == 0x202f || c == 0x205f || c == 0x3000;
    }

    static List<String> split(CharSequence s) {
      List<String> out = new ArrayList<>();
      int start = -1;
      for (int i = 0; i < s.length(); i++) {
        if (isSpace(s.charAt(i))) {
          if (start >= 0) {
            out.add(s.subSequence(start, i).toString());
            start = -1;
          }
        } else if (start < 0) {
          start = i;
        }
      }
      if (start >= 0) {
        out.add(s.subSequence(start, s.length()).toString());
      }
      return out;
    }

    static String strip(String s) {
      int a = 0;
      int b = s.length();
      while (a < b && isSpace(s.charAt(a))) {
        a++;
      }
      while (b > a && isSpace(s.charAt(b - 1))) {
        b--;
      }
      return s.substring(a, b);
    }
  }
}
