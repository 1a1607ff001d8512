package dev.opticalmemory.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Okapi BM25 over one conversation's segments, from the term rows written when each segment closed
 * (term, frequency, and the page lines it is on). Only the query's terms are loaded.
 */
final class Bm25 {
  private final List<String> queryTerms;
  private final Map<Long, Integer> lengths = new HashMap<>();
  private final Map<Long, Map<String, Integer>> frequencies = new HashMap<>();
  /** By segment, by query term: the page lines the term is on. */
  private final Map<Long, Map<String, TreeSet<Integer>>> lines = new HashMap<>();
  private final Map<String, Integer> documentFrequency = new HashMap<>();

  private Bm25(List<String> queryTerms) {
    this.queryTerms = queryTerms;
  }

  record Hit(long segment, double score, TreeSet<Integer> lines) {}

  /** An index of the conversation's indexed segments, for the query's terms, from the store. */
  static Bm25 load(MemoryStore.Session s, String conversation, List<String> queryTerms) {
    Bm25 index = empty(queryTerms);
    index.lengths.putAll(s.indexedLengths(conversation));
    for (MemoryStore.IndexRow row : s.indexRows(conversation, queryTerms)) {
      if (!index.lengths.containsKey(row.segment())) {
        // Terms written before the page's map (work under way elsewhere): the segment is scored
        // from its text instead, and counting it here too would make a term's idf negative.
        continue;
      }
      index.frequencies.computeIfAbsent(row.segment(), k -> new HashMap<>())
          .put(row.term(), row.frequency());
      index.documentFrequency.merge(row.term(), 1, Integer::sum);
      index.lines.computeIfAbsent(row.segment(), k -> new HashMap<>())
          .computeIfAbsent(row.term(), k -> new TreeSet<>()).addAll(row.lines());
    }
    return index;
  }

  /** An empty index for the query's terms, filled by {@link #addDocument}. */
  static Bm25 empty(List<String> queryTerms) {
    return new Bm25(queryTerms);
  }

  /** Adds a document scored from memory (the open segment); it has no line numbers. */
  void addDocument(long segment, int length, Map<String, Integer> tf) {
    lengths.put(segment, length);
    if (!tf.isEmpty()) {
      frequencies.put(segment, tf);
      for (String term : tf.keySet()) {
        documentFrequency.merge(term, 1, Integer::sum);
      }
    }
  }

  private double idf(String term, int n) {
    return idf(n, documentFrequency.getOrDefault(term, 0));
  }

  /** BM25's idf of a term held by {@code df} of {@code n} documents. */
  private static double idf(int n, int df) {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The keys that weigh at least {@link #LINE_SHARE} of the heaviest. */
  private static TreeSet<Integer> nearBest(Map<Integer, Double> weights) {
    double most = weights.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    TreeSet<Integer> best = new TreeSet<>();
    weights.forEach((key, w) -> {
      if (w >= LINE_SHARE * most) {
        best.add(key);
      }
    });
    return best;
  }

  /**
   * The lines of a page that match the query best: each line weighs the idf of the query terms on
   * it, and those within {@link #LINE_SHARE} of the heaviest are kept, so a common word shared by
   * most of a page's lines does not mark them all.
   */
  private TreeSet<Integer> bestLines(long segment, int n) {
    Map<String, TreeSet<Integer>> byTerm = lines.getOrDefault(segment, Map.of());
    Map<Integer, Double> weights = new HashMap<>();
    byTerm.forEach((term, on) -> {
      double idf = idf(term, n);
      on.forEach(line -> weights.merge(line, idf, Double::sum));
    });
    return nearBest(weights);
  }

  /** A line matches when it weighs at least this share of the page's best line. */
  static final double LINE_SHARE = 0.5;

  /**
   * The turns of {@code termsByTurn} that match {@code queryTerms} best, by the rule of a page's
   * lines: each turn weighs the idf (among these turns) of the query terms it holds.
   */
  static java.util.Set<Integer> bestTurns(Map<Integer, java.util.Set<String>> termsByTurn,
      List<String> queryTerms) {
    int n = termsByTurn.size();
    Map<String, Integer> df = new HashMap<>();
    termsByTurn.values().forEach(terms -> queryTerms.stream().filter(terms::contains).distinct()
        .forEach(t -> df.merge(t, 1, Integer::sum)));
    Map<Integer, Double> weights = new HashMap<>();
    termsByTurn.forEach((turn, terms) -> {
      double w = 0;
      for (String t : new java.util.LinkedHashSet<>(queryTerms)) {
        if (terms.contains(t)) {
          w += idf(n, df.get(t));
        }
      }
      if (w > 0) {
        weights.put(turn, w);
      }
    });
    return nearBest(weights);
  }

  List<Hit> top(int k, double k1, double b) {
    int n = lengths.size();
    if (n == 0) {
      return List.of();
    }
    double average = lengths.values().stream().mapToInt(Integer::intValue).average().orElse(1);
    List<Hit> hits = new ArrayList<>();
    for (Map.Entry<Long, Map<String, Integer>> doc : frequencies.entrySet()) {
      double length = lengths.getOrDefault(doc.getKey(), 0);
      double score = 0;
      for (String term : queryTerms) {
        Integer tf = doc.getValue().get(term);
        if (tf == null) {
          continue;
        }
        score += idf(term, n) * tf * (k1 + 1)
            / (tf + k1 * (1 - b + b * length / Math.max(1, average)));
      }
      hits.add(new Hit(doc.getKey(), score, bestLines(doc.getKey(), n)));
    }
    hits.sort(Comparator.comparingDouble(Hit::score).reversed()
        .thenComparing(Comparator.comparingLong(Hit::segment).reversed()));
    return hits.size() > k ? hits.subList(0, k) : hits;
  }
}
