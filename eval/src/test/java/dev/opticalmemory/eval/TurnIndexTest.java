package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnIndexTest {
  static final List<String> TURNS = List.of(
      "Mira: We adopted a puppy last weekend.",
      "Tomas: The ferry was late again.",
      "Mira: Adoption papers are signed, the puppy is called Pixel.",
      "Tomas: What did you eat?");

  @Test
  void words_match_across_their_forms_and_the_better_match_ranks_first() {
    TurnIndex index = new TurnIndex(TURNS, TurnIndex.Terms.WORDS);

    assertThat(index.ranked("When did Mira adopt the puppy?")).containsExactlyInAnyOrder(0, 2);
    assertThat(index.ranked("What is the puppy called?")).containsExactly(2, 0);
    assertThat(index.ranked("ferries")).containsExactly(1);
  }

  @Test
  void function_words_alone_match_nothing_and_an_empty_index_ranks_nothing() {
    assertThat(new TurnIndex(TURNS, TurnIndex.Terms.WORDS).ranked("what did you do")).isEmpty();
    assertThat(new TurnIndex(List.of(), TurnIndex.Terms.WORDS).ranked("puppy")).isEmpty();
  }

  @Test
  void trigrams_still_find_a_turn_whose_words_an_ocr_reader_garbled() {
    List<String> garbled = List.of("Mira: We adoqted a pupky last weekend.",
        "Tomas: The ferry was late again.");

    assertThat(new TurnIndex(garbled, TurnIndex.Terms.WORDS).ranked("adopted puppy")).isEmpty();
    assertThat(new TurnIndex(garbled, TurnIndex.Terms.TRIGRAMS).ranked("adopted puppy"))
        .containsExactly(0);
  }

  @Test
  void a_page_read_line_by_line_is_cut_at_its_turns_and_otherwise_in_proportion_to_their_length() {
    List<MemoryTurn> turns = List.of(turn("Mira", "one two three"), turn("Tomas", "four"),
        turn("Mira", "five six"));

    assertThat(TurnHistory.regions("Mira: one twq three\nTomas: four\n\n", turns))
        .containsExactly("Mira: one twq three", "Tomas: four", "");
    List<String> wrapped = TurnHistory.regions("Mira: one two three Tomas: four Mira:"
        + " five six", turns);
    assertThat(wrapped).hasSize(3);
    assertThat(String.join("", wrapped)).isEqualTo("Mira: one two three Tomas: four Mira: five"
        + " six");
    assertThat(wrapped.get(0)).contains("one two three");
    assertThat(wrapped.get(2)).contains("six");
  }

  @Test
  void a_page_with_region_marks_is_cut_where_a_mark_was_read_and_named_by_the_number_read() {
    String read = "40 Mira: one two\nthree\n41 Tomas: four\n4? Mira: five\n43 Mira: six";

    assertThat(TurnHistory.markedRegions(read, 40, 43).orElseThrow()).containsExactly(
        new TurnHistory.Region(40, "40 Mira: one two\nthree\n"),
        new TurnHistory.Region(41, "41 Tomas: four\n4? Mira: five\n"),
        new TurnHistory.Region(43, "43 Mira: six"));
    assertThat(TurnHistory.markedRegions("17 Mira: a number not on the page", 40, 43))
        .as("a misread number names no turn of the page").contains(List.of());
    assertThat(TurnHistory.markedRegions("Mira: no mark read\nTomas: at all", 40, 43)).isEmpty();
  }

  @Test
  void hybrid_ranking_fuses_the_two_lists_by_rank_with_the_meaning_at_half_weight() {
    // Turn 3: 1/11 + 0.5/13; turn 1: 1/12 + 0.5/11; turn 2: 0.5/12.
    assertThat(TurnHistory.fused(List.of(3, 1), List.of(1, 2, 3))).containsExactly(3, 1, 2);
    assertThat(TurnHistory.fused(List.of(), List.of(5, 4))).containsExactly(5, 4);
  }

  @Test
  void with_meaning_the_pointer_finds_a_region_that_shares_no_word_with_the_question() {
    List<MemoryTurn> turns = List.of(turn("Mira", "The crane operator asked about permits."),
        turn("Tomas", "My dog Rex loves chasing the ball at the beach."),
        turn("Mira", "The tide table needs a new battery."));
    TurnHistory h = new TurnHistory(new Locomo.Conversation("t", turns, List.of()), turns,
        String::length, String::length, RecallExperiment.Model.MINILM.embedder());
    List<String> read = List.of("Mira: The cranc operator askcd about licences.",
        "Tomas: My dog Rex lovcs chasing the ball at the bcach.", "",
        "Mira: The tide table needs a ncw battery.");
    TurnIndex pointer = new TurnIndex(read, TurnIndex.Terms.TRIGRAMS);

    List<Integer> ranked = h.rankRegions(pointer, read, "Which pet?");

    assertThat(pointer.ranked("Which pet?")).as("words alone find nothing").isEmpty();
    assertThat(ranked.get(0)).isEqualTo(1);
    assertThat(ranked).as("a region read as nothing comes last").endsWith(2);
  }

  private static MemoryTurn turn(String speaker, String text) {
    return new MemoryTurn(Role.USER, speaker, text, Instant.EPOCH, Map.of());
  }
}
