package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepetitionGuardTest {

  @Test
  void a_phrase_looping_until_the_output_cap_is_cut_after_its_first_occurrence() {
    String loop = "The ferry left at seven. " + "Locker 14 holds the blue rucksack and a map. ".repeat(30);
    RepetitionGuard.Cut cut = RepetitionGuard.cut(loop, 40);
    assertThat(cut.text()).isEqualTo("The ferry left at seven. Locker 14 holds the blue rucksack and a map.");
    assertThat(cut.unit()).isEqualTo("Locker 14 holds the blue rucksack and a map.");
    assertThat(cut.repeats()).isEqualTo(29);
  }

  @Test
  void a_cjk_loop_is_found_character_by_character() {
    String loop = "会议在周三。" + "我们明天见面吧，".repeat(12);
    RepetitionGuard.Cut cut = RepetitionGuard.cut(loop, 40);
    assertThat(cut.text()).isEqualTo("会议在周三。我们明天见面吧，");
    assertThat(cut.repeats()).isEqualTo(11);
  }

  @Test
  void ordinary_text_with_short_repeats_is_left_alone() {
    String text = "ha ha ha, she said. Yes yes yes. " + "The radar unit arrives on the 14th. "
        + "Row 1: 0 0 0 0 0 0 0 0\nRow 2: 0 0 0 0 0 0 0 0";
    RepetitionGuard.Cut cut = RepetitionGuard.cut(text, 40);
    assertThat(cut.text()).isEqualTo(text);
    assertThat(cut.repeats()).isZero();
  }

  @Test
  void a_repetition_shorter_than_the_span_is_kept() {
    String text = "one two three four. ".repeat(3);
    assertThat(RepetitionGuard.cut(text, 40).repeats()).isZero();
    assertThat(RepetitionGuard.cut(text, 12).repeats()).isEqualTo(2);
  }
}
