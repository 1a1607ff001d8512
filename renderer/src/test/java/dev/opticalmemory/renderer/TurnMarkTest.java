package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A turn's region mark: its number drawn before the label, counted as part of it. */
class TurnMarkTest {
  private static final PageRenderer RENDERER =
      PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.LARGE).build());

  @Test
  void a_marked_turn_draws_its_number_before_the_speaker_on_its_first_line_only() {
    String text = "The harbour master came back from the yard. ".repeat(6).strip();
    List<LineLayout> lines = RENDERER.layout(List.of(Turn.of("Mira", text).marked(57),
        Turn.plain("a note").marked(58))).get(0).lines();

    assertThat(lines.get(0).text()).startsWith("57 Mira: The harbour");
    assertThat(lines.get(0).labelLength()).isEqualTo("57 Mira: ".length());
    assertThat(lines.get(0).start()).isZero();
    assertThat(lines.get(1).text()).doesNotStartWith("5");
    assertThat(lines.get(lines.size() - 1).text()).isEqualTo("58 a note");
  }

  @Test
  void a_mark_makes_the_label_longer_and_an_unmarked_turn_is_as_before() {
    assertThat(Turn.of("Mira", "hi").label()).isEqualTo("Mira: ");
    assertThat(Turn.of("Mira", "hi").marked(3).label()).isEqualTo("3 Mira: ");
    assertThat(Turn.plain("hi").marked(3).label()).isEqualTo("3 ");
    assertThat(Turn.of("Mira", "hi").marked(3).mark()).hasValue(3);
    assertThat(Turn.of("Mira", "hi").mark()).isEmpty();
  }

  @Test
  void a_negative_or_null_mark_is_refused_naming_it() {
    assertThatThrownBy(() -> Turn.of("Mira", "hi").marked(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mark must be at least 0, but is: -1");
    assertThatThrownBy(() -> new Turn("Mira", "hi", (OptionalInt) null))
        .isInstanceOf(NullPointerException.class).hasMessageStartingWith("mark must not be null");
  }
}
