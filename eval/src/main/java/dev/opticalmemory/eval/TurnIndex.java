package dev.opticalmemory.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Okapi BM25 (k1 1.2, b 0.75) over short documents, one per turn or region: what a retrieval
 * memory ranks. Terms are words (lower-cased, split at anything but letters and digits, stemmed
 * with Porter's algorithm, a few function words left out) or, for text an OCR reader has garbled,
 * the character trigrams of each word, which still match a word with one letter misread.
 */
final class TurnIndex {
  /** How text is cut into terms. */
  enum Terms {
    /** Stemmed words. */
    WORDS,
    /** Character trigrams of each word, with its edges marked. */
    TRIGRAMS
  }

  /** Words too common to rank by; questions are full of them. */
  private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "and", "or", "of",
      "to", "in", "on", "at", "for", "is", "was", "were", "are", "be", "did", "do", "does", "what",
      "when", "where", "who", "which", "how", "why", "i", "you", "it", "that", "this", "with",
      "as", "by", "from", "has", "have", "had");

  private static final double K1 = 1.2;
  private static final double B = 0.75;

  private final Terms terms;
  private final List<Map<String, Integer>> frequencies = new ArrayList<>();
  private final int[] lengths;
  private final Map<String, Integer> documentFrequency = new HashMap<>();
  private final double averageLength;

  TurnIndex(List<String> documents, Terms terms) {
    this.terms = terms;
    this.lengths = new int[documents.size()];
    long total = 0;
    for (int i = 0; i < documents.size(); i++) {
      List<String> words = terms(documents.get(i));
      Map<String, Integer> tf = new HashMap<>();
      words.forEach(w -> tf.merge(w, 1, Integer::sum));
      frequencies.add(tf);
      lengths[i] = words.size();
      total += words.size();
      tf.keySet().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
    }
    this.averageLength = documents.isEmpty() ? 1 : Math.max(1, (double) total / documents.size());
  }

  List<String> terms(String text) {
    List<String> out = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty() || FUNCTION_WORDS.contains(word)) {
        continue;
      }
      if (terms == Terms.WORDS) {
        out.add(PorterStemmer.stem(word));
      } else {
        String marked = "^" + word + "$";
        if (marked.length() <= 3) {
          out.add(marked);
        }
        for (int i = 0; i + 3 <= marked.length(); i++) {
          out.add(marked.substring(i, i + 3));
        }
      }
    }
    return out;
  }

  /** The documents matching any term of the query, best first; ties to the newer document. */
  List<Integer> ranked(String query) {
    double[] scores = scores(query);
    int n = lengths.length;
    List<Integer> hits = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      if (scores[d] > 0) {
        hits.add(d);
      }
    }
    hits.sort(Comparator.<Integer>comparingDouble(d -> -scores[d]).thenComparing(d -> -d));
    return hits;
  }

  /** Each document's BM25 score for the query, 0 where no term matches. */
  double[] scores(String query) {
    Set<String> queryTerms = new HashSet<>(terms(query));
    int n = lengths.length;
    double[] scores = new double[n];
    for (String term : queryTerms) {
      Integer df = documentFrequency.get(term);
      if (df == null) {
        continue;
      }
      double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (int d = 0; d < n; d++) {
        Integer f = frequencies.get(d).get(term);
        if (f != null) {
          scores[d] += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * lengths[d] / averageLength));
        }
      }
    }
    return scores;
  }
}
