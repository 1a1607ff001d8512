package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scores equal to LoCoMo's own script and NLTK's stemmer on data they made
 * ({@code src/test/resources/locomo-score/make_parity.py} says how): words and answers taken from
 * the project's own texts, as LoCoMo's licence keeps its conversations out of the repository.
 */
class LocomoParityTest {
  private static BufferedReader resource(String name) {
    return new BufferedReader(new InputStreamReader(LocomoParityTest.class.getResourceAsStream(
        "/locomo-score/" + name), StandardCharsets.UTF_8));
  }

  @Test
  void every_word_of_the_table_stems_as_nltk_stems_it_by_default() throws IOException {
    List<String> wrong = new ArrayList<>();
    int words = 0;
    try (BufferedReader in = resource("stems.tsv")) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        words++;
        String stem = PorterStemmer.stem(f[0]);
        if (!stem.equals(f[1])) {
          wrong.add(f[0] + " -> " + stem + ", NLTK: " + f[1]);
        }
      }
    }
    assertThat(words).isGreaterThan(10_000);
    assertThat(wrong).as("words stemmed otherwise than NLTK").isEmpty();
  }

  @Test
  void every_case_scores_as_locomos_script_and_mem0s_f1_score_it() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    try (BufferedReader in = resource("cases.jsonl")) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode c = json.readTree(line);
        cases++;
        AnswerScores.Scored s = AnswerScores.score(c.get("id").asText(), c.get("category").asInt(),
            c.get("prediction").asText(), Locomo.pythonStr(c.get("answer")));
        if (Math.abs(s.locomo() - c.get("locomo").asDouble()) > 1e-6
            || Math.abs(s.mem0() - c.get("mem0").asDouble()) > 1e-6) {
          wrong.add(c.get("id").asText() + ": " + s.locomo() + " / " + s.mem0() + ", reference "
              + c.get("locomo") + " / " + c.get("mem0") + " for " + line);
        }
      }
    }
    assertThat(cases).isGreaterThanOrEqualTo(2_000);
    assertThat(wrong).as("cases scored otherwise than the reference").isEmpty();
  }

  @Test
  void the_stemmer_joins_what_nltk_joins_and_keeps_apart_what_it_keeps_apart() {
    assertThat(PorterStemmer.stem("tried")).isEqualTo(PorterStemmer.stem("try"));
    assertThat(PorterStemmer.stem("ties")).isEqualTo("tie");
    assertThat(PorterStemmer.stem("skies")).isEqualTo("sky");
    assertThat(PorterStemmer.stem("one")).isNotEqualTo(PorterStemmer.stem("on"));
    assertThat(PorterStemmer.stem("news")).isEqualTo("news");
    assertThat(LocomoScore.f1("She tried pottery", "try pottery")).isCloseTo(0.8, within(1e-9));
    assertThat(LocomoScore.f1("New\u00a0York City", "New York City")).isEqualTo(1.0);
  }
}
