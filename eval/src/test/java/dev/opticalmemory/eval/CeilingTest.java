package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The ceiling of pages plus retrieval that eval forgetting reports under independent edits. */
class CeilingTest {

  private static ForgettingRow rag(int budget, int question, String answer, boolean found) {
    return new ForgettingRow("26", ModelledDeepSeekReader.NAME, false, "rag", budget, 50,
        question, 4, answer, 3, 47, 900, Optional.empty(), found ? "TEXT" : "LEFT_OUT",
        OptionalInt.empty(), OptionalDouble.empty(), found, found ? "retrieved" : "", budget,
        budget, 0);
  }

  @Test
  void a_probe_rag_finds_within_a_smaller_share_counts_whole_and_any_other_as_read_at_best() {
    List<ForgettingRow> rows = List.of(rag(1000, 1, "the harbour", true),
        rag(1000, 2, "44-17", false), rag(2000, 1, "the harbour", true),
        rag(2000, 2, "44-17", false));

    String ceiling = ForgettingReport.ceiling(rows, List.of(1000, 2000));

    // Probe 2's answer "44-17" has 4 letters and digits: 0.985^4 = 0.9413, (1 + 0.9413) / 2.
    assertThat(ceiling).contains("| 2000 | 0.500 | 0.971 (R = 1000) |")
        .contains("| 1000 | 0.500 |  |");
  }

  @Test
  void without_rag_under_the_modelled_reader_there_is_no_ceiling() {
    ForgettingRow other = new ForgettingRow("26", "paddle", true, "rag", 1000, 50, 1, 4, "x", 3,
        47, 900, Optional.empty(), "TEXT", OptionalInt.empty(), OptionalDouble.empty(), true,
        "retrieved", 1000, 1000, 0);

    assertThat(ForgettingReport.ceiling(List.of(other), List.of(1000))).isEmpty();
  }
}
