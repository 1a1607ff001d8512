package dev.opticalmemory.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Recall and decoding: BM25 over the stored terms (the open segment's and unrendered segments'
 * text scored on the fly), and by meaning where asked, then each hit read back as turns: those
 * that matched and their neighbours on the page, TEXT segments verbatim, image segments from the
 * page's lines decoded in the background when it entered its tier; a page not decoded yet by OCR
 * of just those turns' lines ({@link PageDecoder}). A page's stored lines are cached, and a
 * whole page read by {@link #decode} is stored, so a page is decoded once per tier.
 */
final class Recall {
  static final double BM25_K1 = 1.2;
  static final double BM25_B = 0.75;

  private final MemoryStore store;
  private final PageCache cache;
  private final PageDecoder decoder;
  private final Supplier<Embedder> embeddings;
  /** Unpacked stored embeddings per conversation, bounded by bytes (64 MiB). */
  private final Cache<String, StoredVectors> vectors =
      Caffeine.newBuilder().maximumWeight(64L << 20)
          .weigher((String c, StoredVectors v) -> 64 + v.vectors().length * (16 + 4 * 384))
          .build();
  /** Embeddings of turns not stored yet (open segment, unrendered pages): segment/turn/text. */
  private final Cache<String, float[]> fresh =
      Caffeine.newBuilder().maximumSize(10_000).build();

  private final EmbedderCheck embedderCheck;
  /**
   * The terms of turns not on a page yet (the open segment's), by their labelled text: every query
   * searches them, and stemming them again for each query showed in recall's profile. Bounded by
   * terms (a million).
   */
  private final Cache<String, List<String>> unindexedTerms = Caffeine.newBuilder()
      .maximumWeight(1 << 20).weigher((String text, List<String> terms) -> 1 + terms.size())
      .build();

  Recall(MemoryStore store, PageCache cache, PageDecoder decoder,
      Supplier<Embedder> embeddings, EmbedderCheck embedderCheck) {
    this.store = store;
    this.cache = cache;
    this.decoder = decoder;
    this.embeddings = embeddings;
    this.embedderCheck = embedderCheck;
  }

  /**
   * Weighted reciprocal rank fusion: a segment scores {@code 1 / (RRF_K + rank)} from BM25 plus
   * {@code DENSE_WEIGHT / (RRF_K + rank)} from the embeddings. Chosen on LoCoMo conversation 26
   * alone ({@code eval recall}), with each turn embedded after the turn before it, by the sum of
   * evidence recall@3 and @5 over both offered models (the recall tool asks for 3). Dense weight
   * 0.5 / 1.0 / 1.5 / 2.0, evidence@3 and @5: BGE small 0.839 and 0.926 / 0.832 and 0.919 / 0.832
   * and 0.940 / 0.839 and 0.933; MiniLM 0.826 and 0.906 / 0.826 and 0.906 / 0.785 and 0.906 /
   * 0.758 and 0.913 (BM25 alone 0.846 and 0.893). k = 10 rather than Cormack et al.'s 60 lets the
   * first ranks of each list lead (BGE, weight 1.0, in a scratch build that embedded the open
   * segment's turns alone: 0.940 at k = 10, 0.933 at 30 and at 60).
   */
  static final double RRF_K = 10;
  static final double DENSE_WEIGHT = 0.5;

  /**
   * Each segment's BM25 score for the query's words over the best segment's, 0 to 1; segments no
   * word matches are absent. Reads only the index: nothing is decoded or rehearsed.
   */
  Map<Long, Double> relevance(String conversation, String query) {
    List<String> queryTerms = new ArrayList<>(new LinkedHashSet<>(
        Terms.of(Checks.wellFormed(query))));
    if (queryTerms.isEmpty()) {
      return Map.of();
    }
    Bm25 index = index(conversation, queryTerms, Set.of()).bm25();
    Map<Long, Double> scores = new HashMap<>();
    double best = 0;
    for (Bm25.Hit hit : index.top(Integer.MAX_VALUE, BM25_K1, BM25_B)) {
      // A term on most pages has a negative idf; such a match says nothing, not less than nothing.
      double score = Math.max(0, hit.score());
      scores.put(hit.segment(), score);
      best = Math.max(best, score);
    }
    if (best > 0) {
      double top = best;
      scores.replaceAll((id, score) -> score / top);
    }
    return scores;
  }

  /** A conversation's BM25 index for some terms, and the segments scored from their text. */
  private record Index(Bm25 bm25, Map<Long, List<MemoryStore.StoredPart>> unindexed) {}

  /**
   * Loads the index rows of the query's terms, and scores the segments that have none (the open
   * one, and closed ones whose page is not rendered yet) from their text, turns in
   * {@code shownTurns} left out: the question being answered would otherwise rank its own page
   * first.
   */
  private Index index(String conversation, List<String> queryTerms, Set<Integer> shownTurns) {
    Map<Long, List<MemoryStore.StoredPart>> unindexed = new HashMap<>();
    Bm25 index = store.read("searching '" + conversation + "'", s -> {
      if (s.conversation(conversation).isEmpty()) {
        throw Checks.unknown(conversation);
      }
      Bm25 bm25 = Bm25.load(s, conversation, queryTerms);
      s.openSegment(conversation).ifPresent(o -> unindexed.put(o.id(), o.parts()));
      for (long id : s.unrenderedSegments(conversation)) {
        unindexed.put(id, s.parts(id));
      }
      return bm25;
    });
    unindexed.forEach((id, parts) -> addUnindexed(index, id, turns(parts.stream()
        .filter(p -> !shownTurns.contains(p.turn())).toList()), queryTerms));
    return new Index(index, unindexed);
  }

  List<Recollection> recall(String conversation, String query, int k,
      Set<Integer> shownTurns, Retrieval mode) {
    List<String> queryTerms = new ArrayList<>(new LinkedHashSet<>(
        Terms.of(Checks.wellFormed(query))));
    if (queryTerms.isEmpty()) {
      throw new IllegalArgumentException("query has no words to search for: '" + query + "'");
    }
    Index loaded = index(conversation, queryTerms, shownTurns);
    Bm25 index = loaded.bm25();
    Map<Long, List<MemoryStore.StoredPart>> unindexed = loaded.unindexed();
    int wanted = Math.min(100, k + shownTurns.size());
    // Lexical ranking (BM25), by segment, with the lines that hold the query's words.
    Map<Long, TreeSet<Integer>> lexicalLines = new HashMap<>();
    List<Long> lexical = new ArrayList<>();
    Map<Long, Double> scores = new HashMap<>();
    if (mode != Retrieval.DENSE) {
      for (Bm25.Hit hit : index.top(wanted * 2, BM25_K1, BM25_B)) {
        lexical.add(hit.segment());
        lexicalLines.put(hit.segment(), hit.lines());
        scores.put(hit.segment(), hit.score());
      }
    }
    // Dense ranking: each segment by its turn most like the query (turns shown left out).
    Map<Long, Integer> bestTurn = new HashMap<>();
    List<Long> dense = mode == Retrieval.LEXICAL ? List.of()
        : dense(conversation, query, unindexed, shownTurns, bestTurn, wanted * 2);
    List<Long> order;
    if (mode == Retrieval.LEXICAL) {
      order = lexical;
    } else if (mode == Retrieval.DENSE) {
      order = dense;
    } else {
      // Weighted reciprocal rank fusion: robust to the two scores' scales.
      Map<Long, Double> fused = new HashMap<>();
      for (int i = 0; i < lexical.size(); i++) {
        fused.merge(lexical.get(i), 1.0 / (RRF_K + i + 1), Double::sum);
      }
      for (int i = 0; i < dense.size(); i++) {
        fused.merge(dense.get(i), DENSE_WEIGHT / (RRF_K + i + 1), Double::sum);
      }
      order = new ArrayList<>(fused.keySet());
      order.sort((a, b) -> Double.compare(fused.get(b), fused.get(a)));
      scores.clear();
      scores.putAll(fused);
    }
    List<Recollection> result = new ArrayList<>();
    for (long id : order) {
      if (result.size() == k) {
        break;
      }
      Segment segment = segment(conversation, id);
      if (segment.tier() == Tier.FORGOTTEN) {
        continue;
      }
      double score = scores.getOrDefault(id, Double.NaN);
      Integer best = bestTurn.get(id);
      if (segment.tier() == Tier.TEXT) {
        Recollection r = readText(segment, queryTerms, score, false, shownTurns, best);
        if (r != null) {
          result.add(r);
        }
      } else if (!shownTurns.containsAll(turnRange(segment))) {
        result.add(read(segment, lexicalLines.getOrDefault(id, new TreeSet<>()), best,
            queryTerms, score, false));
      }
    }
    return result;
  }

  /**
   * Segments by their turn most similar to the query, best first, at most {@code n}; fills
   * {@code bestTurn}. Stored vectors are cached per conversation until the set of vectors changes;
   * turns without a stored vector (the open segment, pages not rendered yet) are embedded here and
   * kept for the next query.
   */
  private List<Long> dense(String conversation, String query,
      Map<Long, List<MemoryStore.StoredPart>> unindexed, Set<Integer> shownTurns,
      Map<Long, Integer> bestTurn, int n) {
    embedderCheck.check(conversation);
    float[] q = Embeddings.embed(embeddings.get(), query);
    long[] stamp = store.read("checking embeddings", s -> s.vectorStamp(conversation));
    StoredVectors stored = vectors.getIfPresent(conversation);
    if (stored == null || !java.util.Arrays.equals(stored.stamp(), stamp)) {
      List<MemoryStore.VectorRow> rows = store.read("reading embeddings",
          s -> s.vectors(conversation));
      long[] segments = new long[rows.size()];
      int[] turns = new int[rows.size()];
      float[][] v = new float[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        segments[i] = rows.get(i).segmentId();
        turns[i] = rows.get(i).turn();
        v[i] = Embeddings.unpack(rows.get(i).vector());
      }
      stored = new StoredVectors(stamp, segments, turns, v);
      vectors.put(conversation, stored);
    }
    Map<Long, Double> best = new HashMap<>();
    for (int i = 0; i < stored.vectors().length; i++) {
      if (!shownTurns.contains(stored.turns()[i])) {
        consider(best, bestTurn, stored.segments()[i], stored.turns()[i],
            Embeddings.dot(q, stored.vectors()[i]));
      }
    }
    for (Map.Entry<Long, List<MemoryStore.StoredPart>> e : unindexed.entrySet()) {
      List<String> texts = Embeddings.turnTexts(e.getValue());
      for (int i = 0; i < texts.size(); i++) {
        MemoryStore.StoredPart part = e.getValue().get(i);
        String text = texts.get(i);
        if (text == null || shownTurns.contains(part.turn())) {
          continue;
        }
        float[] v = fresh.get(e.getKey() + "/" + part.turn() + "/" + text.hashCode(),
            key -> Embeddings.embed(embeddings.get(), text));
        consider(best, bestTurn, e.getKey(), part.turn(), Embeddings.dot(q, v));
      }
    }
    List<Long> order = new ArrayList<>(best.keySet());
    order.sort((a, b) -> Double.compare(best.get(b), best.get(a)));
    return order.size() > n ? order.subList(0, n) : order;
  }

  private static void consider(Map<Long, Double> best, Map<Long, Integer> bestTurn, long segment,
      int turn, double similarity) {
    Double seen = best.get(segment);
    if (seen == null || similarity > seen) {
      best.put(segment, similarity);
      bestTurn.put(segment, turn);
    }
  }

  /** A conversation's stored embeddings, unpacked, with what they were read at. */
  private record StoredVectors(long[] stamp, long[] segments, int[] turns, float[][] vectors) {}

  private static List<Integer> turnRange(Segment s) {
    List<Integer> turns = new ArrayList<>();
    for (int t = s.firstTurn(); t <= s.lastTurn(); t++) {
      turns.add(t);
    }
    return turns;
  }

  private Segment segment(String conversation, long id) {
    return store.read("reading a segment", s -> s.segment(conversation, id)).orElseThrow(() ->
        new IllegalArgumentException("segment " + id + " is unknown in conversation '"
            + conversation + "'"));
  }

  private static List<Turn> turns(List<MemoryStore.StoredPart> parts) {
    List<Turn> turns = new ArrayList<>();
    for (MemoryStore.StoredPart part : parts) {
      if (part.text() != null) {
        turns.add(Appender.turn(part));
      }
    }
    return turns;
  }

  private void addUnindexed(Bm25 index, long segmentId, List<Turn> turns,
      List<String> queryTerms) {
    Map<String, Integer> tf = new HashMap<>();
    int length = 0;
    for (Turn t : turns) {
      for (String term : unindexedTerms.get(t.label() + t.text(),
          text -> List.copyOf(Terms.of(text)))) {
        length++;
        if (queryTerms.contains(term)) {
          tf.merge(term, 1, Integer::sum);
        }
      }
    }
    index.addDocument(segmentId, length, tf);
  }

  /** Reads a whole segment back. */
  Recollection decode(Segment segment) {
    return read(segment, null, null, List.of(), Double.NaN, true);
  }

  /**
   * Reads a segment: the turns that matched (a line holding a query word, or the turn most like the
   * query) and their neighbours on the page, or the whole page; TEXT verbatim, an image tier from
   * the lines decoded in the background, or by OCR of just the wanted lines if not decoded yet.
   */
  private Recollection read(Segment segment, TreeSet<Integer> matching, Integer bestTurn,
      List<String> queryTerms, double score, boolean wholePage) {
    if (segment.tier() == Tier.TEXT) {
      return readText(segment, queryTerms, score, wholePage, Set.of(), null);
    }
    Tier tier = segment.tier();
    // The image only where the page is not decoded yet.
    Supplier<byte[]> bytes = () -> cache.image(segment.id(), tier,
        () -> store.read("reading an image", s -> s.image(segment.id(), tier)))
        .orElseThrow(() -> new MemoryException("segment " + segment.id() + " is at " + tier
            + " but its image is missing"));
    PageMap map = store.read("reading a page map", s -> s.pageMap(segment.id()))
        .orElseThrow(() -> new MemoryException("segment " + segment.id() + " has no page map"));
    TreeSet<Integer> onPage = new TreeSet<>();
    map.lines().forEach(l -> onPage.add(l.turn()));
    TreeSet<Integer> matched = new TreeSet<>();
    if (matching != null) {
      matching.stream().filter(l -> l < map.lines().size())
          .forEach(l -> matched.add(map.lines().get(l).turn()));
    }
    if (bestTurn != null && onPage.contains(bestTurn)) {
      matched.add(bestTurn);
    }
    boolean whole = wholePage || matched.isEmpty();
    TreeSet<Integer> turns = whole ? onPage : withNeighbours(matched, onPage::contains);
    TreeSet<Integer> lines = new TreeSet<>();
    for (int l = 0; l < map.lines().size(); l++) {
      if (turns.contains(map.lines().get(l).turn())) {
        lines.add(l);
      }
    }
    List<String> decoded = decodedLines(segment.id(), tier, map, bytes, whole ? null : lines);
    Map<Integer, StringBuilder> texts = new java.util.TreeMap<>();
    for (int l : lines) {
      StringBuilder t = texts.computeIfAbsent(map.lines().get(l).turn(), k -> new StringBuilder());
      String line = map.withoutMark(l, decoded.get(l));
      if (line.isBlank()) {
        continue;
      }
      if (t.length() == 0) {
        t.append(line.stripTrailing());
      } else {
        // The line before is of the same turn (lines are in order): join them as the source was.
        t.append(map.joiner(l - 1)).append(line.strip());
      }
    }
    Map<Integer, Instant> times = times(segment.id());
    List<RecalledTurn> recalled = new ArrayList<>();
    texts.forEach((turn, text) -> recalled.add(new RecalledTurn(turn, times.get(turn),
        text.toString(), matched.contains(turn))));
    List<String> missing = decoder.missingFaces(map);
    Double precision = missing.isEmpty() ? segment.fidelity().get(tier) : null;
    Double words = missing.isEmpty() ? segment.wordAccuracy().get(tier) : null;
    return recollection(segment, tier, measured(precision), measured(words), score, whole,
        recalled, missing);
  }

  private static java.util.OptionalDouble measured(Double value) {
    return value == null || value.isNaN() ? java.util.OptionalDouble.empty()
        : java.util.OptionalDouble.of(value);
  }

  private static Recollection recollection(Segment segment, Tier tier,
      java.util.OptionalDouble fidelity, java.util.OptionalDouble wordAccuracy, double score,
      boolean whole, List<RecalledTurn> turns, List<String> missingFonts) {
    StringBuilder text = new StringBuilder();
    for (RecalledTurn t : turns) {
      if (!t.text().isEmpty()) {
        text.append(text.length() == 0 ? "" : "\n").append(t.text());
      }
    }
    int first = turns.isEmpty() ? segment.firstTurn() : turns.get(0).turn();
    int last = turns.isEmpty() ? segment.lastTurn() : turns.get(turns.size() - 1).turn();
    return new Recollection(segment.id(), segment.index(), first, last, tier, text.toString(),
        fidelity, wordAccuracy, measured(score), whole,
        turns.isEmpty() ? null : turns.get(0).time(), turns, missingFonts);
  }

  /** The turns and, of each, the turn before and after where {@code present} holds them. */
  private static TreeSet<Integer> withNeighbours(Set<Integer> turns,
      java.util.function.IntPredicate present) {
    TreeSet<Integer> result = new TreeSet<>();
    for (int t : turns) {
      for (int n = t - 1; n <= t + 1; n++) {
        if (present.test(n)) {
          result.add(n);
        }
      }
    }
    return result;
  }

  /**
   * A page's text at a tier, one entry per line of its page map: the lines decoded in the
   * background when it entered the tier; if not decoded yet, OCR of the wanted lines only, or, for
   * the whole page ({@code wanted} null), of every line, stored so that it is decoded once per tier.
   */
  private List<String> decodedLines(long segmentId, Tier tier, PageMap map, Supplier<byte[]> bytes,
      TreeSet<Integer> wanted) {
    int count = map.lines().size();
    String stored = cache.text(segmentId, tier, java.util.Optional.empty(), key -> store.read(
        "reading decoded lines", s -> s.decodedLines(segmentId, tier))
        .filter(d -> d.size() == count).map(d -> String.join("\n", d)).orElse(null));
    if (stored != null) {
      return List.of(stored.split("\n", -1));
    }
    if (wanted == null) {
      List<String> lines = decoder.lines(PageImages.decode(bytes.get()), map, null);
      store.write("storing a decoded page", s -> s.putDecodedLines(segmentId, tier, lines));
      return lines;
    }
    String read = cache.text(segmentId, tier, java.util.Optional.of(wanted), key -> String.join(
        "\n", decoder.lines(PageImages.decode(bytes.get()), map, wanted)));
    return List.of(read.split("\n", -1));
  }

  /** When each turn of a segment was appended (kept when the text is dropped). */
  private Map<Integer, Instant> times(long segmentId) {
    Map<Integer, Instant> times = new HashMap<>();
    for (MemoryStore.StoredPart part : store.read("reading turns", s -> s.parts(segmentId))) {
      times.putIfAbsent(part.turn(), part.at());
    }
    return times;
  }

  /**
   * A TEXT segment's matching turns and their neighbours, less those shown; the whole segment if
   * asked or there is no query; null if every matching turn is shown.
   */
  private Recollection readText(Segment segment, List<String> queryTerms, double score,
      boolean wholePage, Set<Integer> shownTurns, Integer bestTurn) {
    List<MemoryStore.StoredPart> parts = store.read("reading turns", s -> s.parts(segment.id()));
    boolean whole = wholePage || queryTerms.isEmpty();
    Map<Integer, StringBuilder> texts = new java.util.TreeMap<>();
    Map<Integer, Instant> times = new HashMap<>();
    TreeSet<Integer> matched = new TreeSet<>();
    Map<Integer, Set<String>> termsByTurn = new HashMap<>();
    for (MemoryStore.StoredPart part : parts) {
      if (part.text() == null) {
        continue;
      }
      Turn turn = Appender.turn(part);
      String line = turn.label() + turn.text();
      StringBuilder t = texts.computeIfAbsent(part.turn(), k -> new StringBuilder());
      t.append(t.length() == 0 ? "" : "\n").append(line);
      times.putIfAbsent(part.turn(), part.at());
      termsByTurn.computeIfAbsent(part.turn(), k -> new HashSet<>()).addAll(Terms.of(line));
    }
    if (!whole) {
      // The turns that hold the query's rarer words, not every turn with a common one.
      matched.addAll(Bm25.bestTurns(termsByTurn, queryTerms));
      if (bestTurn != null && texts.containsKey(bestTurn)) {
        matched.add(bestTurn);
      }
      matched.removeAll(shownTurns);
    }
    TreeSet<Integer> wanted = whole ? new TreeSet<>(texts.keySet())
        : withNeighbours(matched, t -> texts.containsKey(t) && !shownTurns.contains(t));
    wanted.removeAll(shownTurns);
    if (wanted.isEmpty() && !shownTurns.isEmpty()) {
      return null;
    }
    if (wanted.isEmpty()) {
      wanted.addAll(texts.keySet());
      whole = true;
    }
    List<RecalledTurn> recalled = new ArrayList<>();
    for (int t : wanted) {
      recalled.add(new RecalledTurn(t, times.get(t), texts.get(t).toString(), matched.contains(t)));
    }
    return recollection(segment, Tier.TEXT, java.util.OptionalDouble.of(1),
        java.util.OptionalDouble.of(1), score, wholePage, recalled, List.of());
  }

  /**
   * Turns {@code fromTurn} to {@code toTurn} of a page: as written where its text is kept
   * ({@code kept}, the segment's turns from its first), else as its image decodes, each wrapped
   * line joined to the next as the source went on.
   */
  Passage passage(Segment segment, List<MemoryTurn> kept, int fromTurn, int toTurn) {
    List<RecalledTurn> turns = new ArrayList<>();
    if (!kept.isEmpty()) {
      for (int i = 0; i < kept.size(); i++) {
        int number = segment.firstTurn() + i;
        if (number >= fromTurn && number <= toTurn) {
          MemoryTurn t = kept.get(i);
          turns.add(new RecalledTurn(number, t.timestamp(), t.labelledText(), true));
        }
      }
      return new Passage(segment.id(), segment.index(), segment.tier(), fromTurn, toTurn, turns,
          false, java.util.OptionalDouble.empty());
    }
    Recollection whole = decode(segment);
    for (RecalledTurn t : whole.turns()) {
      if (t.turn() >= fromTurn && t.turn() <= toTurn) {
        turns.add(new RecalledTurn(t.turn(), t.time(), t.text().strip(), true));
      }
    }
    return new Passage(segment.id(), segment.index(), segment.tier(), fromTurn, toTurn, turns,
        true, whole.wordAccuracy(), whole.missingFonts());
  }
}
