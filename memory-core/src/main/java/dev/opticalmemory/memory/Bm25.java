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
  private final Map<Long, TreeSet<Integer>> lines = new HashMap<>();
  private final Map<String, Integer> documentFrequency = new HashMap<>();

  private Bm25(List<String> queryTerms) {
    this.queryTerms = queryTerms;
  }

  record Hit(long segment, double score, TreeSet<Integer> lines) {}

  /** An index of the conversation's indexed segments, for the query's terms, from the store. */
  static Bm25 load(MemoryStore.Session s, String conversation, List<String> queryTerms) {
    Bm25 index = new Bm25(queryTerms);
    index.lengths.putAll(s.indexedLengths(conversation));
    for (MemoryStore.IndexRow row : s.indexRows(conversation, queryTerms)) {
      index.frequencies.computeIfAbsent(row.segment(), k -> new HashMap<>())
          .put(row.term(), row.frequency());
      index.documentFrequency.merge(row.term(), 1, Integer::sum);
      index.lines.computeIfAbsent(row.segment(), k -> new TreeSet<>()).addAll(row.lines());
    }
    return index;
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
        int df = documentFrequency.getOrDefault(term, 0);
        double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / Math.max(1, average)));
      }
      hits.add(new Hit(doc.getKey(), score, lines.getOrDefault(doc.getKey(), new TreeSet<>())));
    }
    hits.sort(Comparator.comparingDouble(Hit::score).reversed()
        .thenComparing(Comparator.comparingLong(Hit::segment).reversed()));
    return hits.size() > k ? hits.subList(0, k) : hits;
  }
}
