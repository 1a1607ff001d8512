package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TextMetricsTest {

  @Test
  void precision_ignores_whitespace_and_counts_edits_against_the_longer_text() {
    assertThat(TextMetrics.precision("hello world", "hel lo\nworld")).isEqualTo(1.0);
    assertThat(TextMetrics.precision("hellp world", "hello world")).isCloseTo(0.9, within(1e-9));
    assertThat(TextMetrics.precision("", "abcd")).isEqualTo(0.0);
    assertThat(TextMetrics.precision("", "")).isEqualTo(1.0);
    assertThat(TextMetrics.precision("abcdabcd", "abcd")).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void precision_counts_code_points_not_utf16_units() {
    assertThat(TextMetrics.precision("a\uD83D\uDE00", "a\uD83D\uDE01")).isCloseTo(0.5, within(1e-9));
    assertThat(TextMetrics.precision("记忆", "记亿")).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void character_error_rate_is_edits_per_truth_character_with_whitespace_collapsed() {
    assertThat(TextMetrics.characterErrorRate("a  b", "a b")).isEqualTo(0.0);
    assertThat(TextMetrics.characterErrorRate("axc", "abc")).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(TextMetrics.characterErrorRate("abcdef", "ab")).isEqualTo(2.0);
  }

  @Test
  void word_accuracy_is_the_share_of_truth_words_reproduced_in_order() {
    assertThat(TextMetrics.wordAccuracy("the quick fox", "the quick brown fox")).isEqualTo(0.75);
    assertThat(TextMetrics.wordAccuracy("fox quick the", "the quick fox")).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(TextMetrics.wordAccuracy("", "")).isEqualTo(1.0);
  }

  @Test
  void levenshtein_counts_insertions_deletions_and_substitutions() {
    assertThat(TextMetrics.levenshtein("kitten".codePoints().toArray(), "sitting".codePoints().toArray()))
        .isEqualTo(3);
  }
}
