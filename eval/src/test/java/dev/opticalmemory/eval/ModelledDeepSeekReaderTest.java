package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.Legibility;
import dev.opticalmemory.ocr.TextMetrics;
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
  void the_text_read_back_has_the_modelled_precision_by_the_papers_own_measure() {
    PageReader reader = PageReader.deepSeekModelled(42);
    for (int tokens : new int[] {640, 960, 1_100, 1_260}) {
      String read = reader.read(at(Tier.TINY, tokens));
      double expected = Legibility.foxPrecision(Tier.TINY, tokens / 64.0);
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
  }
}
