package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval recall end to end on a conversation the test writes: real pages, decoding and embeddings. */
class RecallExperimentTest {
  @TempDir Path tmp;

  @Test
  void every_question_with_evidence_is_asked_three_ways_and_the_facts_are_found() throws Exception {
    Path file = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
    RecallExperiment.Result result = RecallExperiment.builder().locomo(List.of(file)).k(3)
        .fonts(FontSet.latinOnly()).commandLine("eval recall --test").build()
        .run(tmp.resolve("out"));

    // Questions 0-2 (categories 1, 4, 2) have evidence; 3 is adversarial (category 5).
    assertThat(result.rows()).hasSize(3 * 3);
    assertThat(result.rows()).extracting(RecallRow::retrieval)
        .containsOnly("lexical", "dense", "hybrid");
    for (RecallRow row : result.rows()) {
      assertThat(row.evidenceRank()).as("%s", row).isBetween(0, 3);
      int matched = row.evidenceMatchedRank();
      assertThat(matched).as("matched turns are among the returned ones: %s", row)
          .isBetween(0, 3).satisfies(m -> assertThat(m == 0 || m >= row.evidenceRank()).isTrue());
      assertThat(row.answerVerbatim()).isTrue();
    }
    assertThat(result.rows()).filteredOn(r -> r.retrieval().equals("hybrid"))
        .allSatisfy(r -> {
          assertThat(r.evidenceRank()).as("%s", r).isPositive();
          assertThat(r.answerFound()).as("read from the decoded page: %s", r).contains(true);
        });
    assertThat(Files.readAllLines(result.csv()).get(0).split(","))
        .containsExactlyElementsOf(RecallRow.COLUMNS.stream().map(Reports.Column::name).toList());
    assertThat(Files.readString(result.summary())).contains("| hybrid | 1.000 |")
        .contains("evidence@1 | evidence@3 | evidence matched@3 | answer@3");
    assertThat(Files.size(result.plot())).isPositive();
    assertThat(Files.readString(result.html())).contains("eval recall --test")
        .contains("reciprocal rank fusion of BM25 and embeddings, k = 10, dense weight 0.5")
        .contains("all-MiniLM-L6-v2 (quantized)");
  }

  @Test
  void the_stronger_embedder_is_chosen_by_name_and_named_in_the_reports() throws Exception {
    Path file = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
    RecallExperiment.Result result = RecallExperiment.builder().locomo(List.of(file)).k(3)
        .model(RecallExperiment.Model.of("bge-small")).fonts(FontSet.latinOnly())
        .commandLine("eval recall --embedder bge-small").build().run(tmp.resolve("bge"));

    assertThat(result.rows()).filteredOn(r -> r.retrieval().equals("dense"))
        .hasSize(3).allSatisfy(r -> assertThat(r.evidenceRank()).as("%s", r)
            .isPositive());
    assertThat(Files.readString(result.summary()))
        .contains("Embedding model: BGE small English v1.5 (quantized); hybrid: reciprocal rank"
            + " fusion of BM25 and embeddings, k = 10, dense weight 0.5.");
    assertThat(Files.readString(result.html())).contains("BGE small English v1.5 (quantized)");
  }

  @Test
  void bad_settings_name_their_value() {
    assertThatThrownBy(() -> RecallExperiment.builder().k(0))
        .hasMessage("k must be between 1 and 20, but is: 0");
    assertThatThrownBy(() -> RecallExperiment.builder().build())
        .hasMessage("LoCoMo files are required");
    assertThatThrownBy(() -> RecallExperiment.Model.of("bge"))
        .hasMessage("embedder must be minilm, bge-small or e5-small, but is: 'bge'");
    assertThatThrownBy(() -> RecallExperiment.builder().model(null))
        .hasMessage("model must not be null");
  }
}
