package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.ocr.TextMetrics;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelledDeepSeekReaderTest {
  static final String SOURCE = page();

  static String page() {
    Random random = new Random(3);
    StringBuilder text = new StringBuilder();
    while (text.length() < 4_000) {
      text.append(random.nextBoolean() ? "Mira: " : "Tomas: ")
          .append(ExperimentsTest.prose(random, 20 + random.nextInt(30))).append('\n');
    }
    return text.toString();
  }

  static PageReader.Page at(Tier tier, int textTokens) {
    return new PageReader.Page("26", 4, tier, new byte[0], SOURCE, textTokens);
  }

  @Test
  void precision_is_the_fox_table_at_its_points_with_the_one_dip_pooled() {
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 10.5)).isCloseTo(0.965, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 11.8)).isCloseTo(0.938, within(1e-9));
    // 83.8% at 13.2x and 85.9% at 15.1x rise with compression; the model pools them.
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 13.2)).isCloseTo(0.8485, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 15.1)).isCloseTo(0.8485, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 19.7)).isCloseTo(0.591, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.SMALL, 6.7)).isCloseTo(0.985, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.SMALL, 10.6)).isCloseTo(0.915, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.SMALL, 12.6)).isCloseTo(0.871, within(1e-9));
  }

  @Test
  void precision_interpolates_holds_below_the_table_and_extrapolates_down_to_zero_beyond_it() {
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 18.7)).isCloseTo((0.764 + 0.591) / 2,
        within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 4)).isCloseTo(0.965, within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 21.7)).isCloseTo(0.591 - 0.173,
        within(1e-9));
    assertThat(ModelledDeepSeekReader.precision(Tier.TINY, 60)).isZero();
    assertThat(ModelledDeepSeekReader.extrapolated(Tier.TINY, 19.7)).isFalse();
    assertThat(ModelledDeepSeekReader.extrapolated(Tier.TINY, 19.8)).isTrue();
    assertThat(ModelledDeepSeekReader.extrapolated(Tier.BASE, 13)).isTrue();
  }

  @Test
  void base_and_large_pages_are_read_as_well_as_a_small_page_of_the_same_compression() {
    for (double ratio : new double[] {2.5, 4, 9.7, 11, 14}) {
      assertThat(ModelledDeepSeekReader.precision(Tier.BASE, ratio))
          .isEqualTo(ModelledDeepSeekReader.precision(Tier.SMALL, ratio))
          .isEqualTo(ModelledDeepSeekReader.precision(Tier.LARGE, ratio));
    }
    assertThat(ModelledDeepSeekReader.precision(Tier.BASE, 4)).isCloseTo(0.985, within(1e-9));
  }

  @Test
  void precision_never_rises_with_compression_at_any_tier() {
    for (Tier tier : List.of(Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY)) {
      double previous = 1;
      for (double ratio = 0; ratio < 40; ratio += 0.05) {
        double p = ModelledDeepSeekReader.precision(tier, ratio);
        assertThat(p).as("%s at %.2fx", tier, ratio).isBetween(0.0, previous);
        previous = p;
      }
    }
  }

  @Test
  void the_text_read_back_has_the_modelled_precision_by_the_papers_own_measure() {
    PageReader reader = PageReader.deepSeekModelled(42);
    for (int tokens : new int[] {640, 960, 1_100, 1_260}) {
      String read = reader.read(at(Tier.TINY, tokens));
      double expected = ModelledDeepSeekReader.precision(Tier.TINY, tokens / 64.0);
      assertThat(TextMetrics.precision(read, SOURCE)).as("%d tokens", tokens)
          .isCloseTo(expected, within(0.01));
    }
    String small = reader.read(at(Tier.SMALL, 1_060));
    assertThat(TextMetrics.precision(small, SOURCE)).isCloseTo(0.915, within(0.01));
  }

  @Test
  void edits_touch_no_whitespace_so_line_and_word_breaks_stay_where_they_were() {
    String read = ModelledDeepSeekReader.corrupt(SOURCE, 0.3, new SplittableRandom(1));
    assertThat(read).isNotEqualTo(SOURCE);
    assertThat(read.replaceAll("\\S", "")).isEqualTo(SOURCE.replaceAll("\\S", ""));
    assertThat(ModelledDeepSeekReader.corrupt(SOURCE, 0, new SplittableRandom(1)))
        .isEqualTo(SOURCE);
    assertThat(ModelledDeepSeekReader.corrupt("", 0.5, new SplittableRandom(1))).isEmpty();
  }

  @Test
  void the_same_page_reads_the_same_for_a_seed_and_differently_at_another_tier_or_seed() {
    PageReader reader = PageReader.deepSeekModelled(7);
    String once = reader.read(at(Tier.TINY, 1_000));
    assertThat(reader.read(at(Tier.TINY, 1_000))).isEqualTo(once);
    assertThat(PageReader.deepSeekModelled(7).read(at(Tier.TINY, 1_000))).isEqualTo(once);
    assertThat(PageReader.deepSeekModelled(8).read(at(Tier.TINY, 1_000))).isNotEqualTo(once);
    assertThat(reader.read(at(Tier.SMALL, 1_000))).isNotEqualTo(once);
  }

  @Test
  void it_says_it_is_a_model_and_refuses_text_pages_and_negative_counts() {
    PageReader reader = PageReader.deepSeekModelled(42);
    assertThat(reader.measured()).isFalse();
    assertThat(reader.name()).isEqualTo("deepseek-modelled");
    assertThat(reader.description()).contains("not a measurement").contains("Fox table");
    assertThatThrownBy(() -> at(Tier.TEXT, 10))
        .hasMessage("tier must be an image tier, but is: TEXT");
    assertThatThrownBy(() -> at(Tier.TINY, -1))
        .hasMessage("textTokens must be at least 0, but is: -1");
    assertThatThrownBy(() -> ModelledDeepSeekReader.precision(Tier.TINY, Double.NaN))
        .hasMessage("ratio must be a finite number at least 0, but is: NaN");
  }
}
