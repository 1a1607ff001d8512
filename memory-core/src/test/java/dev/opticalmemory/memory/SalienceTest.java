package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SalienceTest {
  private final Salience facts = Salience.facts();

  @Test
  void stated_facts_score_higher_than_small_talk() {
    double smallTalk = facts.score("haha yes, that sounds like so much fun!");
    double fact = facts.score("My locker code is 4417 and I'm allergic to peanuts.");
    double date = facts.score("Caroline went to the LGBTQ support group on 7 May 2023.");
    assertThat(smallTalk).isLessThan(0.15);
    assertThat(fact).isGreaterThan(0.4);
    assertThat(date).isGreaterThan(0.4);
  }

  @Test
  void empty_binary_malformed_and_huge_turns_score_between_0_and_1() {
    assertThat(facts.score("")).isZero();
    assertThat(facts.score(null)).isZero();
    assertThat(facts.score("\u0000\u0001\uFFFF\uD800 lone surrogate \uDC00")).isBetween(0.0, 1.0);
    String huge = "Order 12345 ships Friday. ".repeat(400_000);
    assertThat(facts.score(huge)).isBetween(0.9, 1.0)
        .as("only the first characters are read").isEqualTo(facts.score(huge.substring(0,
            FactSalience.SCANNED)));
    assertThat(Salience.none().score(huge)).isZero();
  }

  @Test
  void a_sentence_initial_capital_is_not_taken_for_a_name() {
    assertThat(facts.score("The boat was late. It was fine.")).isZero();
    assertThat(facts.score("the boat met Tomas")).isGreaterThan(0);
  }
}
