package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerScoresTest {
  @TempDir Path tmp;

  private Path file(String text) throws Exception {
    Path f = tmp.resolve("p.jsonl");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void a_file_of_predictions_is_scored_row_by_row_and_summed_up_strict_and_without_errors()
      throws Exception {
    List<AnswerScores.Scored> rows = AnswerScores.scoreFile(file(
        "{\"id\":\"q1\",\"prediction\":\"She tried pottery\",\"answer\":\"try pottery\","
            + "\"category\":2}\n\n"
            + "{\"prediction\":\"No information available\",\"answer\":\"x\",\"category\":\"5\"}\n"
            + "{\"prediction\":\"   \",\"answer\":2022,\"category\":4}\n"
            + "{\"error\":\"timed out\",\"category\":1}\n"));
    assertThat(rows).extracting(AnswerScores.Scored::id).containsExactly("q1", "3", "4", "5");
    assertThat(rows.get(0).locomo()).isCloseTo(0.8, within(1e-9));
    assertThat(rows.get(0).mem0()).isCloseTo(0.4, within(1e-9));
    assertThat(rows.get(1).locomo()).isEqualTo(1.0);
    assertThat(rows.get(2).locomo()).as("a blank prediction scores 0, and is no error").isZero();
    assertThat(rows.get(3).errored()).isTrue();
    AnswerScores.Summary strict = AnswerScores.summarize(rows, true);
    assertThat(strict.locomoAll()).isCloseTo((0.8 + 1.0) / 4, within(1e-9));
    assertThat(strict.locomo1to4()).isCloseTo(0.8 / 3, within(1e-9));
    AnswerScores.Summary kept = AnswerScores.summarize(rows, false);
    assertThat(kept.locomoAll()).isCloseTo(1.8 / 3, within(1e-9));
    assertThat(kept.mem0F1to4()).isCloseTo(0.4 / 2, within(1e-9));
    assertThat(AnswerScores.summaryLines(rows)).hasSize(2).first().asString()
        .startsWith("strict (errors count 0):").contains("(4 rows, 1 errored)");
  }

  @Test
  void each_bad_line_is_one_error_naming_the_line_and_the_field() throws Exception {
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("{\"prediction\":\"a\",\"answer\":\"b\","
        + "\"category\":2}\n{\"answer\":\"b\",\"category\":2}\n")))
        .hasMessageEndingWith("p.jsonl line 2: the field prediction is missing");
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("{\"prediction\":\"a\","
        + "\"category\":2}\n"))).hasMessageEndingWith("p.jsonl line 1: the field answer is missing");
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("{\"prediction\":\"a\",\"answer\":\"b\","
        + "\"category\":\"two\"}\n")))
        .hasMessageEndingWith("p.jsonl line 1: the field category must be an integer from 1 to 5, but is:"
            + " \"two\"");
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("{\"prediction\":\"a\",\"answer\":\"b\","
        + "\"category\":7}\n"))).hasMessageContaining("line 1: the field category")
        .hasMessageContaining("but is: 7");
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("prediction,answer,category\n")))
        .hasMessageContaining("p.jsonl line 1: not a JSON object").hasCauseInstanceOf(
            com.fasterxml.jackson.core.JsonProcessingException.class);
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("[1, 2]\n")))
        .hasMessageContaining("p.jsonl line 1: not a JSON object");
    assertThatThrownBy(() -> AnswerScores.scoreFile(file("\n \n")))
        .hasMessageContaining("holds no rows");
    Path binary = tmp.resolve("b.jsonl");
    Files.write(binary, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}', '\n'});
    assertThatThrownBy(() -> AnswerScores.scoreFile(binary))
        .hasMessageEndingWith("b.jsonl line 1: not UTF-8 text");
  }

  @Test
  void a_category_outside_one_to_five_is_an_error_as_in_locomos_script() {
    assertThatThrownBy(() -> AnswerScores.score("q", 6, "a", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: 6");
  }
}
