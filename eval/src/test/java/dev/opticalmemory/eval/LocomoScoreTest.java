package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LocomoScoreTest {
  @Test
  void f1_ignores_case_punctuation_articles_and_word_endings() {
    assertThat(LocomoScore.f1("The red Boathouse!", "red boathouse")).isEqualTo(1.0);
    assertThat(LocomoScore.f1("She ran marathons", "marathon")).isCloseTo(2 * (1.0 / 3) / (1.0 / 3
        + 1), within(1e-9));
    assertThat(LocomoScore.f1("pottery and painting", "painting, pottery")).isEqualTo(1.0);
    assertThat(LocomoScore.f1("", "October")).isZero();
    assertThat(LocomoScore.normalize("An apple, the pear; and  a plum.")).isEqualTo("apple pear plum");
  }

  @Test
  void categories_are_scored_as_locomo_scores_them() {
    // 1: each gold part takes its best match among the prediction's comma-separated parts.
    assertThat(LocomoScore.score(1, "painting, pottery", "pottery, painting")).isEqualTo(1.0);
    assertThat(LocomoScore.score(1, "pottery", "pottery, painting")).isEqualTo(0.5);
    // 3: only the gold answer's first alternative counts.
    assertThat(LocomoScore.score(3, "Paris", "Paris; or perhaps Lyon")).isEqualTo(1.0);
    assertThat(LocomoScore.score(2, "7 May 2023", "7 May 2023")).isEqualTo(1.0);
    // 5: the answer must say there is nothing to say.
    assertThat(LocomoScore.score(5, "No information available.", "")).isEqualTo(1.0);
    assertThat(LocomoScore.score(5, "That is not mentioned anywhere", "")).isEqualTo(1.0);
    assertThat(LocomoScore.score(5, "Kiwi", "")).isZero();
    assertThat(LocomoScore.score(4, null, "x")).isZero();
  }
}
