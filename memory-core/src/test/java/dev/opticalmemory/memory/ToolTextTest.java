package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text the integrations' recall and read tools give a model, from a real aged memory. */
class ToolTextTest {
  @TempDir static Path tmp;
  private static List<MemoryTurn> script;
  private static OpticalMemory memory;

  @BeforeAll
  static void age() {
    script = Conversations.harbour(500, 11);
    memory = Conversations.agedHarbour(tmp.resolve("m"), script);
  }

  @AfterAll
  static void close() {
    memory.close();
  }

  @Test
  void a_recollection_opens_with_its_page_turns_tier_and_words_intact_and_marks_its_neighbours() {
    List<Recollection> found = memory.recall("c", RecallRequest.of("fuel barge painted blue").k(2));
    assertThat(found).hasSize(2);
    String text = ToolText.recollections(found, t -> false);

    Recollection best = found.get(0);
    String heading = "[page " + best.index() + ", turns " + best.firstTurn() + "-"
        + best.lastTurn() + ", read at " + best.tier();
    assertThat(text).startsWith(heading);
    if (best.wordAccuracy().isPresent()) {
      assertThat(text.lines().findFirst().orElseThrow()).matches(
          java.util.regex.Pattern.quote(heading) + ", \\d{1,3}% of words intact\\]");
    }
    assertThat(text.split("\\R\\R")).as("one block per passage").hasSize(2);
    for (RecalledTurn t : best.turns()) {
      assertThat(text).contains("turn " + t.turn() + ", ");
    }
    assertThat(best.turns()).anySatisfy(t -> assertThat(t.match()).isFalse());
    RecalledTurn neighbour = best.turns().stream().filter(t -> !t.match()).findFirst()
        .orElseThrow();
    assertThat(text).containsPattern("turn " + neighbour.turn() + ", [^\\n]+ UTC \\(context\\): ");
  }

  @Test
  void a_measured_page_gives_its_words_intact_and_a_page_drawn_with_missing_fonts_names_them() {
    List<RecalledTurn> turns = List.of(new RecalledTurn(7, null, "Mira: the code is 4417", true));
    Recollection measured = new Recollection(1, 2, 7, 7, Tier.SMALL, "Mira: the code is 4417",
        java.util.OptionalDouble.of(0.99), java.util.OptionalDouble.of(0.966),
        java.util.OptionalDouble.of(3.2), false, null, turns);
    Recollection unmeasured = new Recollection(1, 2, 7, 7, Tier.TINY, "Mira: the code is 4417",
        java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(),
        java.util.OptionalDouble.of(3.2), false, null, turns, List.of("Noto Sans CJK SC"));

    assertThat(ToolText.recollections(List.of(measured), t -> false)).isEqualTo(
        "[page 2, turns 7-7, read at SMALL, 97% of words intact]" + System.lineSeparator()
            + "turn 7: Mira: the code is 4417");
    assertThat(ToolText.recollections(List.of(unmeasured), t -> false)).startsWith(
        "[page 2, turns 7-7, read at TINY; drawn with Noto Sans CJK SC, which this machine lacks:"
            + " those lines were read by OCR and may be misread]");
  }

  @Test
  void hidden_turns_are_left_out_of_the_text_but_their_passage_stays() {
    List<Recollection> found = memory.recall("c", RecallRequest.of("fuel barge painted blue").k(1));
    RecalledTurn first = found.get(0).turns().get(0);

    String text = ToolText.recollections(found, t -> t.turn() == first.turn());

    assertThat(text).startsWith("[page " + found.get(0).index() + ",")
        .doesNotContain("turn " + first.turn() + ",");
    assertThat(ToolText.recollections(List.of(), t -> false)).isEmpty();
  }

  @Test
  void a_read_is_clipped_to_its_page_and_says_how_it_was_read() {
    Segment small = Conversations.firstClosedAt(memory, Tier.SMALL);

    String three = ToolText.read(memory, "c", small.index(), small.firstTurn(), 3);
    assertThat(three).startsWith("[page " + small.index() + ", turns " + small.firstTurn() + "-"
        + (small.firstTurn() + 2) + ", decoded from its SMALL image")
        .contains(": " + script.get(small.firstTurn()).labelledText());
    assertThat(three.lines()).hasSize(4);

    String tail = ToolText.read(memory, "c", small.index(), small.lastTurn(), Integer.MAX_VALUE);
    assertThat(tail).startsWith("[page " + small.index() + ", turns " + small.lastTurn() + "-"
        + small.lastTurn() + ",");

    Segment open = memory.segments("c").get(memory.segments("c").size() - 1);
    assertThat(ToolText.read(memory, "c", open.index(), open.firstTurn(), 1))
        .startsWith("[page " + open.index() + ", turns " + open.firstTurn() + "-"
            + open.firstTurn() + ", as written]");
  }

  @Test
  void a_read_out_of_range_is_refused_with_the_argument_and_its_value() {
    Segment small = Conversations.firstClosedAt(memory, Tier.SMALL);

    assertThatThrownBy(() -> ToolText.read(memory, "c", small.index(), small.firstTurn(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be at least 1, but is: 0");
    assertThatThrownBy(() -> ToolText.read(memory, "c", 10_000, 0, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page")
        .hasMessageContaining("10000");
    assertThatThrownBy(() -> ToolText.read(memory, "c", small.index(), Integer.MAX_VALUE, 5))
        .as("no overflow past the last turn").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
  }

  @Test
  void a_turn_shown_as_text_beside_the_pages_is_written_as_the_tools_write_turns() {
    java.time.Instant when = java.time.Instant.parse("2026-12-07T09:30:00Z");

    assertThat(ToolText.turn(12, when, " Mira: the code is 4471 \n"))
        .isEqualTo("turn 12, 7 December 2026 09:30 UTC: Mira: the code is 4471"
            + System.lineSeparator());
    assertThat(ToolText.turn(0, null, "hello")).isEqualTo("turn 0: hello" + System.lineSeparator());
  }
}
