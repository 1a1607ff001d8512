package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LoCoMo input that cannot be read as given is refused whole, naming the field. */
class LocomoTest {
  private static final String TURN = "{\"speaker\": \"Ana\", \"dia_id\": \"D1:1\", \"text\": \"hi\"}";

  @Test
  void a_well_formed_conversation_gives_its_turns_in_session_order_with_their_times() {
    Locomo.Conversation c = Locomo.parse("f.json", "f", "{\"conversation\": {"
        + "\"session_2\": [{\"speaker\": \"Bo\", \"dia_id\": \"D2:1\", \"text\": \"later\"}],"
        + "\"session_2_date_time\": \"1:56 pm on 8 May, 2023\","
        + "\"session_1\": [" + TURN + "]}}");
    assertThat(c.turns()).extracting(t -> t.text()).containsExactly("hi", "later");
    assertThat(c.turns().get(1).timestamp()).isNotNull();
  }

  @Test
  void two_fields_for_one_session_number_are_refused_naming_both() {
    assertThatThrownBy(() -> Locomo.parse("f.json", "f", "{\"session_1\": [" + TURN + "],"
        + " \"session_01\": [" + TURN + "]}"))
        .hasMessage("f.json: session_01 and session_1 both name LoCoMo sitting 1; each number may"
            + " appear once");
  }

  @Test
  void a_turn_that_is_not_an_object_is_refused_naming_its_place() {
    for (String bad : new String[] {"\"text\"", "42", "null"}) {
      assertThatThrownBy(() -> Locomo.parse("f.json", "f", "{\"session_1\": [" + TURN + ", " + bad
          + "]}")).as(bad).hasMessageStartingWith("f.json: session_1[1] must be a turn object"
              + " with \"text\", but is ").hasMessageEndingWith(bad);
    }
  }

  @Test
  void a_second_json_value_after_the_conversation_is_refused() {
    assertThatThrownBy(() -> Locomo.parse("f.json", "f", "{\"session_1\": [" + TURN + "]}"
        + " {\"session_2\": [" + TURN + "]}")).hasMessageStartingWith("f.json: not a readable JSON"
            + " file");
  }

  @Test
  void a_session_time_that_is_not_a_string_is_refused_naming_the_field() {
    assertThatThrownBy(() -> Locomo.parse("f.json", "f", "{\"session_1\": [" + TURN + "],"
        + " \"session_1_date_time\": 1683554160}"))
        .hasMessage("f.json: session_1_date_time must be a string like '1:56 pm on 8 May, 2023',"
            + " but is number: 1683554160");
  }
}
