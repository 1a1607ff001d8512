package dev.opticalmemory.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  static Bm25 load(Connection c, String conversation, List<String> queryTerms)
      throws SQLException {
    Bm25 index = new Bm25(queryTerms);
    try (PreparedStatement p = c.prepareStatement("SELECT id, term_count FROM segments"
        + " WHERE conversation_id = ? AND page_map IS NOT NULL AND tier <> 'FORGOTTEN'")) {
      p.setString(1, conversation);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          index.lengths.put(r.getLong(1), r.getInt(2));
        }
      }
    }
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < queryTerms.size(); i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    try (PreparedStatement p = c.prepareStatement("SELECT t.segment_id, t.term, t.tf, t.lines"
        + " FROM segment_terms t JOIN segments s ON s.id = t.segment_id"
        + " WHERE s.conversation_id = ? AND s.tier <> 'FORGOTTEN' AND t.term IN (" + in + ")")) {
      p.setString(1, conversation);
      for (int i = 0; i < queryTerms.size(); i++) {
        p.setString(i + 2, queryTerms.get(i));
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          long segment = r.getLong(1);
          String term = r.getString(2);
          index.frequencies.computeIfAbsent(segment, k -> new HashMap<>()).put(term, r.getInt(3));
          index.documentFrequency.merge(term, 1, Integer::sum);
          TreeSet<Integer> set = index.lines.computeIfAbsent(segment, k -> new TreeSet<>());
          for (String n : r.getString(4).split(",")) {
            if (!n.isEmpty()) {
              set.add(Integer.parseInt(n));
            }
          }
        }
      }
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
