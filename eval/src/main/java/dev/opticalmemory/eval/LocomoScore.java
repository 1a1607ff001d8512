package dev.opticalmemory.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.stemmer.PorterStemmer;

/**
 * LoCoMo's own answer score (its {@code task_eval/evaluation.py}), reimplemented: token F1 after
 * lower-casing, dropping commas, punctuation and the words a, an, the and and, with Porter stems.
 * By category, as LoCoMo scores them:
 * <ul>
 *   <li>1: the gold answer is split at commas; each part takes its best F1 against the prediction's
 *       comma-separated parts, and the parts are averaged;
 *   <li>2 and 4: plain F1;
 *   <li>3: F1 against the gold answer up to its first semicolon;
 *   <li>5 (adversarial, no answer in the conversation): 1 if the prediction says "no information
 *       available" or "not mentioned", else 0.
 * </ul>
 */
final class LocomoScore {
  private LocomoScore() {}

  static double score(int category, String prediction, String gold) {
    String p = prediction == null ? "" : prediction;
    String g = gold == null ? "" : gold;
    switch (category) {
      case 1:
        return multiAnswer(p, g);
      case 3:
        return f1(p, g.split(";", -1)[0].strip());
      case 5:
        String lower = p.toLowerCase(Locale.ROOT);
        return lower.contains("no information available") || lower.contains("not mentioned")
            ? 1 : 0;
      default:
        return f1(p, g);
    }
  }

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
    double precision = (double) same / predicted.size();
    double recall = (double) same / truth.size();
    return 2 * precision * recall / (precision + recall);
  }

  private static double multiAnswer(String prediction, String gold) {
    String[] predictions = prediction.split(",", -1);
    String[] golds = gold.split(",", -1);
    double sum = 0;
    for (String g : golds) {
      double best = 0;
      for (String p : predictions) {
        best = Math.max(best, f1(p.strip(), g.strip()));
      }
      sum += best;
    }
    return sum / golds.length;
  }

  static String normalize(String s) {
    String lower = s.replace(",", "").toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      // Python's string.punctuation: the ASCII punctuation characters.
      if (c < 128 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c)) {
        continue;
      }
      kept.append(c);
    }
    String noArticles = kept.toString().replaceAll("\\b(a|an|the|and)\\b", " ");
    return String.join(" ", noArticles.strip().split("\\s+"));
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    String normalized = normalize(s);
    if (normalized.isEmpty()) {
      return out;
    }
    PorterStemmer stemmer = new PorterStemmer();
    for (String word : normalized.split(" ")) {
      out.add(stemmer.stem(word));
    }
    return out;
  }
}
