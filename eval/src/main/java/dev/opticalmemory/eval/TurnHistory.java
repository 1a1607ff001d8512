package dev.opticalmemory.eval;

import dev.opticalmemory.memory.Embedder;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.TokenCounter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One conversation as the systems see it: its turns, their prices as text for the budget's
 * reader (alone in a window; with their time when retrieved), the probes and, per checkpoint,
 * a BM25 index of the turns so far; with an embedder, each turn's vector too, for hybrid ranking.
 */
final class TurnHistory {
  /**
   * Hybrid ranking fuses BM25's and the embeddings' ranks as the memory's recall does: weighted
   * reciprocal rank fusion with k = 10 and the dense list at half weight (chosen there on
   * conversation 26 alone).
   */
  static final double RRF_K = 10;
  static final double DENSE_WEIGHT = 0.5;

  final Locomo.Conversation conversation;
  final List<MemoryTurn> turns;
  final List<ForgettingExperiment.Probe> probes;
  final long[] tokensBefore;
  final int[] windowPrice;
  final int[] retrievedPrice;
  final long[] fullPrice;
  private TurnIndex index;
  private int indexed = -1;
  private final Embedder embedder;
  private final float[][] vectors;
  private final java.util.Map<String, float[]> questions = new java.util.HashMap<>();
  private final java.util.Map<String, float[]> readings = new java.util.HashMap<>();

  TurnHistory(Locomo.Conversation c, List<MemoryTurn> turns, TokenCounter ageCounter,
      TokenCounter price) {
    this(c, turns, ageCounter, price, null);
  }

  /** With {@code embedder} not null, retrieval ranks turns by BM25 and meaning together. */
  TurnHistory(Locomo.Conversation c, List<MemoryTurn> turns, TokenCounter ageCounter,
      TokenCounter price, Embedder embedder) {
    this.embedder = embedder;
    this.vectors = embedder == null ? null : new float[turns.size()][];
    this.conversation = c;
    this.turns = turns;
    this.probes = probes(c, turns.size());
    this.tokensBefore = new long[turns.size() + 1];
    this.windowPrice = new int[turns.size()];
    this.retrievedPrice = new int[turns.size()];
    this.fullPrice = new long[turns.size() + 1];
    for (int i = 0; i < turns.size(); i++) {
      MemoryTurn t = turns.get(i);
      tokensBefore[i + 1] = tokensBefore[i] + ageCounter.count(t.speaker() + ": " + t.text());
      windowPrice[i] = price.count(t.labelledText());
      retrievedPrice[i] = price.count(retrieved(t));
      fullPrice[i + 1] = fullPrice[i] + windowPrice[i];
    }
  }

  /** A retrieved turn as a retrieval memory sends it: its time, then "speaker: text". */
  static String retrieved(MemoryTurn t) {
    return (t.timestamp() == null ? "" : "[" + t.timestamp() + "] ") + t.labelledText();
  }

  String dia(int turn) {
    return turns.get(turn).attributes().get("dia_id");
  }

  /**
   * The turns up to {@code last} BM25 ranks highest for {@code question}, those in
   * {@code exclude} left out, added best first while they fit in {@code budget} tokens (one that
   * does not fit is passed over for the next); returns them with what they cost.
   */
  Retrieved retrieve(String question, int last, int budget, Set<Integer> exclude) {
    return fill(ranked(question, last), budget, exclude, null);
  }

  /** Turns 0 to {@code last} as retrieval ranks them for {@code question}, best first. */
  List<Integer> ranked(String question, int last) {
    index(last);
    List<Integer> lexical = index.ranked(question);
    return embedder == null ? lexical : fused(lexical, dense(question, last));
  }

  /**
   * Retrieval's turns and the pointer's regions (as turns) in one order, each list weighing the
   * same: what the agent of {@code optical+rag+read} recalls and reads, where both agree first.
   */
  static List<Integer> recalledAndRead(List<Integer> retrieved, List<Integer> regionRanks,
      List<Integer> regionTurn) {
    List<Integer> read = new ArrayList<>(regionRanks.size());
    for (int rank : regionRanks) {
      read.add(regionTurn.get(rank));
    }
    return fused(retrieved, read, 1.0);
  }

  /**
   * The pointer's ranking of regions, from what the reader read of them: BM25 over character
   * trigrams, fused with meaning (the reading embedded as it was read) where the run ranks hybrid.
   */
  List<Integer> rankRegions(TurnIndex pointer, List<String> regions, String question) {
    List<Integer> lexical = pointer.ranked(question);
    if (embedder == null) {
      return lexical;
    }
    float[] q = questions.computeIfAbsent(question, embedder::embed);
    double[] similarity = new double[regions.size()];
    List<Integer> order = new ArrayList<>(regions.size());
    for (int i = 0; i < regions.size(); i++) {
      String reading = regions.get(i);
      // A region read as nothing has no meaning to rank by.
      similarity[i] = reading.isBlank() ? -1
          : cosine(q, readings.computeIfAbsent(reading, embedder::embed));
      order.add(i);
    }
    order.sort(java.util.Comparator.<Integer>comparingDouble(i -> -similarity[i])
        .thenComparing(i -> -i));
    return fused(lexical, order);
  }

  /**
   * The turns the pointer reads at each region it ranks: that region and the next ones sent, as
   * {@code read(page, region, READ_COUNT)} reads them, since the answer to what a
   * region asks or tells is often in the reply below it. Chosen on LoCoMo conversation 26 among 1
   * to 4 and one region on either side; the other conversations are reported, not tuned on.
   */
  static final int READ_COUNT = 3;

  /** The pointer's ranking of regions as the regions it reads, each with the ones after it. */
  static List<Integer> readOn(List<Integer> ranks, List<Integer> regionTurn) {
    List<Integer> read = new ArrayList<>(ranks.size() * READ_COUNT);
    for (int rank : ranks) {
      read.add(rank);
      for (int k = 1; k < READ_COUNT && rank + k < regionTurn.size()
          // Regions run over the pages sent: the next one is the next turn unless one is missing.
          && regionTurn.get(rank + k) == regionTurn.get(rank) + k; k++) {
        read.add(rank + k);
      }
    }
    return read;
  }

  /** Turns 0 to {@code last} by cosine similarity to the question, best first. */
  private List<Integer> dense(String question, int last) {
    float[] q = questions.computeIfAbsent(question, embedder::embed);
    double[] similarity = new double[last + 1];
    List<Integer> order = new ArrayList<>(last + 1);
    for (int i = 0; i <= last; i++) {
      if (vectors[i] == null) {
        // Each turn after the turn before it, as the memory embeds turns.
        String own = turns.get(i).labelledText();
        vectors[i] = embedder.embed(i == 0 ? own : turns.get(i - 1).labelledText() + "\n" + own);
      }
      similarity[i] = cosine(q, vectors[i]);
      order.add(i);
    }
    order.sort(java.util.Comparator.<Integer>comparingDouble(i -> -similarity[i])
        .thenComparing(i -> -i));
    return order;
  }

  static List<Integer> fused(List<Integer> lexical, List<Integer> dense) {
    return fused(lexical, dense, DENSE_WEIGHT);
  }

  /** Reciprocal rank fusion of two rankings, the second weighing {@code weight} of the first. */
  static List<Integer> fused(List<Integer> first, List<Integer> second, double weight) {
    java.util.Map<Integer, Double> score = new java.util.HashMap<>();
    for (int r = 0; r < first.size(); r++) {
      score.putIfAbsent(first.get(r), 1.0 / (RRF_K + r + 1));
    }
    // A turn may stand twice in a list (read on from two regions above it): its best rank counts.
    java.util.Set<Integer> seen = new HashSet<>();
    for (int r = 0; r < second.size(); r++) {
      if (seen.add(second.get(r))) {
        score.merge(second.get(r), weight / (RRF_K + r + 1), Double::sum);
      }
    }
    List<Integer> order = new ArrayList<>(score.keySet());
    order.sort(java.util.Comparator.<Integer>comparingDouble(i -> -score.get(i))
        .thenComparing(i -> -i));
    return order;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private void index(int last) {
    if (indexed != last) {
      List<String> documents = new ArrayList<>();
      for (int i = 0; i <= last; i++) {
        documents.add(turns.get(i).labelledText());
      }
      index = new TurnIndex(documents, TurnIndex.Terms.WORDS);
      indexed = last;
    }
  }

  /** Adds turns in the order given while they fit; {@code map} turns a rank into a turn. */
  Retrieved fill(List<Integer> ranked, int budget, Set<Integer> exclude, List<Integer> map) {
    Set<Integer> chosen = new HashSet<>();
    int spent = 0;
    for (int hit : ranked) {
      int turn = map == null ? hit : map.get(hit);
      if (exclude.contains(turn) || chosen.contains(turn)) {
        continue;
      }
      if (spent + retrievedPrice[turn] <= budget) {
        chosen.add(turn);
        spent += retrievedPrice[turn];
      }
    }
    return new Retrieved(chosen, spent);
  }

  /** Turns retrieved or read as text, and their price. */
  record Retrieved(Set<Integer> turns, int tokens) {}

  private static List<ForgettingExperiment.Probe> probes(Locomo.Conversation c, int turns) {
    List<ForgettingExperiment.Probe> probes = new ArrayList<>();
    List<Locomo.Question> questions = c.questions();
    for (int i = 0; i < questions.size(); i++) {
      Locomo.Question q = questions.get(i);
      String answer = ForgettingExperiment.normalize(q.answer());
      if (q.category() < 1 || q.category() > 4 || answer.isEmpty()) {
        continue;
      }
      for (String dia : q.evidence()) {
        int turn = c.turnOf(dia);
        if (turn >= 0 && turn < turns
            && (" " + ForgettingExperiment.normalize(c.turns().get(turn).text()) + " ").contains(" " + answer + " ")) {
          probes.add(new ForgettingExperiment.Probe(i, q, turn));
          break;
        }
      }
    }
    return probes;
  }

  /** A stretch of a page's reading that the pointer takes to be turn {@code turn}'s. */
  record Region(int turn, String text) {}

  private static final java.util.regex.Pattern MARK =
      java.util.regex.Pattern.compile("(?m)^(\\d{1,9}) ");

  /**
   * What the reader read of a page with region marks, cut where it read a mark: each stretch is
   * the turn whose number it read there, as a model would name the turn to read back. A mark read
   * as a number that is not on the page names nothing, and its stretch is left out; text before
   * the first mark read is the page's first turn. Empty if no mark was read at all.
   */
  static java.util.Optional<List<Region>> markedRegions(String readText, int firstTurn,
      int lastTurn) {
    java.util.regex.Matcher m = MARK.matcher(readText);
    List<Region> out = new ArrayList<>();
    int at = 0;
    int turn = firstTurn;
    boolean any = false;
    while (m.find()) {
      any = true;
      if (m.start() > at && turn >= firstTurn && turn <= lastTurn) {
        out.add(new Region(turn, readText.substring(at, m.start())));
      }
      long read = Long.parseLong(m.group(1));
      turn = read >= firstTurn && read <= lastTurn ? (int) read : -1;
      at = m.start();
    }
    if (!any) {
      return java.util.Optional.empty();
    }
    if (turn >= firstTurn && turn <= lastTurn) {
      out.add(new Region(turn, readText.substring(at)));
    }
    return java.util.Optional.of(out);
  }

  /**
   * What the reader read of a page, cut into the page's turns: line by line where the reading kept
   * the source's lines (the modelled readers do), else in proportion to each turn's length: for
   * pages drawn without region marks, or where none was read.
   */
  static List<String> regions(String readText, List<MemoryTurn> turns) {
    List<String> lines = List.of(readText.split("\n", -1));
    int[] lineCounts = new int[turns.size()];
    int sourceLines = 0;
    int sourceChars = 0;
    for (int i = 0; i < turns.size(); i++) {
      String text = turns.get(i).labelledText();
      lineCounts[i] = (int) text.chars().filter(c -> c == '\n').count() + 1;
      sourceLines += lineCounts[i];
      sourceChars += text.length() + 1;
    }
    List<String> out = new ArrayList<>();
    if (lines.size() == sourceLines || lines.size() == sourceLines + 1) {
      int at = 0;
      for (int count : lineCounts) {
        out.add(String.join("\n", lines.subList(at, at + count)));
        at += count;
      }
      return out;
    }
    int at = 0;
    int sourceAt = 0;
    for (MemoryTurn turn : turns) {
      sourceAt += turn.labelledText().length() + 1;
      int end = (int) Math.min(readText.length(),
          Math.round((double) sourceAt / Math.max(1, sourceChars) * readText.length()));
      out.add(readText.substring(Math.min(at, end), end));
      at = end;
    }
    return out;
  }
}
