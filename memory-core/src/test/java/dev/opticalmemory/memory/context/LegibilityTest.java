package dev.opticalmemory.memory.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opticalmemory.memory.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DeepSeek-OCR's Fox table as the assembler and the modelled reader of eval read it. */
class LegibilityTest {
  @Test
  void precision_is_the_fox_table_at_its_points_with_the_one_dip_pooled() {
    assertThat(Legibility.foxPrecision(Tier.TINY, 10.5)).isCloseTo(0.965, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 11.8)).isCloseTo(0.938, within(1e-9));
    // 83.8% at 13.2x and 85.9% at 15.1x rise with compression; the model pools them.
    assertThat(Legibility.foxPrecision(Tier.TINY, 13.2)).isCloseTo(0.8485, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 15.1)).isCloseTo(0.8485, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 19.7)).isCloseTo(0.591, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.SMALL, 6.7)).isCloseTo(0.985, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.SMALL, 10.6)).isCloseTo(0.915, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.SMALL, 12.6)).isCloseTo(0.871, within(1e-9));
  }

  @Test
  void precision_interpolates_holds_below_the_table_and_extrapolates_down_to_zero_beyond_it() {
    assertThat(Legibility.foxPrecision(Tier.TINY, 18.7)).isCloseTo((0.764 + 0.591) / 2,
        within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 4)).isCloseTo(0.965, within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 21.7)).isCloseTo(0.591 - 0.173,
        within(1e-9));
    assertThat(Legibility.foxPrecision(Tier.TINY, 60)).isZero();
    assertThat(Legibility.foxExtrapolated(Tier.TINY, 19.7)).isFalse();
    assertThat(Legibility.foxExtrapolated(Tier.TINY, 19.8)).isTrue();
    assertThat(Legibility.foxExtrapolated(Tier.BASE, 13)).isTrue();
  }

  @Test
  void base_and_large_pages_are_read_as_well_as_a_small_page_of_the_same_compression() {
    for (double ratio : new double[] {2.5, 4, 9.7, 11, 14}) {
      assertThat(Legibility.foxPrecision(Tier.BASE, ratio))
          .isEqualTo(Legibility.foxPrecision(Tier.SMALL, ratio))
          .isEqualTo(Legibility.foxPrecision(Tier.LARGE, ratio));
    }
    assertThat(Legibility.foxPrecision(Tier.BASE, 4)).isCloseTo(0.985, within(1e-9));
  }

  @Test
  void precision_never_rises_with_compression_at_any_tier() {
    for (Tier tier : List.of(Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY)) {
      double previous = 1;
      for (double ratio = 0; ratio < 40; ratio += 0.05) {
        double p = Legibility.foxPrecision(tier, ratio);
        assertThat(p).as("%s at %.2fx", tier, ratio).isBetween(0.0, previous);
        previous = p;
      }
    }
  }

  @Test
  void bad_tiers_and_ratios_are_refused_with_the_value() {
    assertThatThrownBy(() -> Legibility.foxPrecision(Tier.TINY, Double.NaN))
        .hasMessage("ratio must be a finite number at least 0, but is: NaN");
    assertThatThrownBy(() -> Legibility.foxPrecision(Tier.TEXT, 1))
        .hasMessage("tier must be an image tier, but is: TEXT");
  }

  @Test
  void fox_legibility_is_the_precision_to_the_answer_length_and_uniform_is_one() {
    Legibility fox = Legibility.foxTable();
    assertThat(fox.of(Tier.TINY, 960)).isCloseTo(Math.pow(Legibility.foxPrecision(Tier.TINY, 15),
        Legibility.ANSWER_CHARS), within(1e-12)).isLessThan(fox.of(Tier.SMALL, 960));
    assertThat(fox.of(Tier.SMALL, 960)).isLessThanOrEqualTo(fox.of(Tier.BASE, 960));
    assertThat(Legibility.uniform().of(Tier.TINY, 5_000)).isEqualTo(1.0);
  }

  @Test
  void a_reader_that_points_and_reads_back_needs_a_word_whole_so_blurrier_pages_keep_more_worth() {
    Legibility answer = Legibility.foxTable();
    Legibility word = Legibility.foxTable(Legibility.WORD_CHARS);
    for (Tier tier : new Tier[] {Tier.TINY, Tier.SMALL, Tier.BASE, Tier.LARGE}) {
      for (int tokens : new int[] {0, 300, 960, 1_500, 3_000}) {
        assertThat(Legibility.foxTable(Legibility.ANSWER_CHARS).of(tier, tokens))
            .isEqualTo(answer.of(tier, tokens));
        assertThat(word.of(tier, tokens)).as("%s, %d tokens", tier, tokens)
            .isCloseTo(Math.pow(Legibility.foxPrecision(tier,
                tokens / (double) tier.mode().visionTokens()), 5), within(1e-12))
            .isGreaterThanOrEqualTo(answer.of(tier, tokens));
      }
    }
    // A TINY page at 15x: most answers lost, most words still there to point at.
    assertThat(answer.of(Tier.TINY, 960)).isLessThan(0.1);
    assertThat(word.of(Tier.TINY, 960)).isGreaterThan(0.4);
    assertThatThrownBy(() -> Legibility.foxTable(0))
        .hasMessage("characters must be between 1 and 1000, but is: 0");
    assertThatThrownBy(() -> Legibility.foxTable(1_001))
        .hasMessage("characters must be between 1 and 1000, but is: 1001");
  }
}
