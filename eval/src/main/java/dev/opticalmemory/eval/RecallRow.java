package dev.opticalmemory.eval;

import java.util.List;
import java.util.Optional;

/**
 * One question and one ranking of {@code eval recall}, a row of {@code recall.csv}.
 *
 * @param conversation the LoCoMo conversation
 * @param question the question's index
 * @param category its LoCoMo category
 * @param retrieval the ranking (lexical, dense, hybrid)
 * @param k the passages asked for
 * @param evidenceRank the rank of the first passage spanning an evidence turn, 0 if none did
 * @param evidenceMatchedRank the same, counting only turns marked as matching
 * @param answerVerbatim whether the gold answer appears word for word in its evidence
 * @param answerFound where it does, whether it was read in the passages returned
 * @param latencyMillis how long the recall took
 */
public record RecallRow(String conversation, int question, int category, String retrieval,
    int k, int evidenceRank, int evidenceMatchedRank, boolean answerVerbatim,
    Optional<Boolean> answerFound, double latencyMillis) {

  /** The columns of {@code recall.csv}, in order. */
  static final List<Reports.Column<RecallRow>> COLUMNS = List.of(
      Reports.column("conversation", RecallRow::conversation),
      Reports.column("question", RecallRow::question),
      Reports.column("category", RecallRow::category),
      Reports.column("retrieval", RecallRow::retrieval),
      Reports.column("k", RecallRow::k),
      Reports.column("evidenceRank", RecallRow::evidenceRank),
      Reports.column("evidenceMatchedRank", RecallRow::evidenceMatchedRank),
      Reports.column("answerVerbatim", r -> r.answerVerbatim() ? 1 : 0),
      Reports.column("answerFound", r -> r.answerFound().map(f -> (Object) (f ? 1 : 0))
          .orElse("")),
      Reports.column("latencyMillis", RecallRow::latencyMillis));
}
