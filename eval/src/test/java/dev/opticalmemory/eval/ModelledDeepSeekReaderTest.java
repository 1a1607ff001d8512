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

  static AgedPageReader.Page at(Tier tier, int textTokens) {
    return new AgedPageReader.Page("26", 4, tier, new byte[0], SOURCE, textTokens);
  }

  @Test
  void the_text_read_back_has_the_modelled_precision_by_the_papers_own_measure() {
    AgedPageReader reader = AgedPageReader.deepSeekModelled(42);
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
    AgedPageReader reader = AgedPageReader.deepSeekModelled(7);
    String once = reader.read(at(Tier.TINY, 1_000));
    assertThat(reader.read(at(Tier.TINY, 1_000))).isEqualTo(once);
    assertThat(AgedPageReader.deepSeekModelled(7).read(at(Tier.TINY, 1_000))).isEqualTo(once);
    assertThat(AgedPageReader.deepSeekModelled(8).read(at(Tier.TINY, 1_000))).isNotEqualTo(once);
    assertThat(reader.read(at(Tier.SMALL, 1_000))).isNotEqualTo(once);
  }

  @Test
  void it_says_it_is_a_model_and_refuses_text_pages_and_negative_counts() {
    AgedPageReader reader = AgedPageReader.deepSeekModelled(42);
    assertThat(reader.measured()).isFalse();
    assertThat(reader.name()).isEqualTo("deepseek-modelled");
    assertThat(reader.description()).contains("not a measurement").contains("Fox table");
    assertThatThrownBy(() -> at(Tier.TEXT, 10))
        .hasMessage("tier must be an image tier, but is: TEXT");
    assertThatThrownBy(() -> at(Tier.TINY, -1))
        .hasMessage("textTokens must be at least 0, but is: -1");
  }

  @Test
  void the_bursts_reader_has_the_same_precision_from_whole_words_misread_and_whole_lines_dropped() {
    AgedPageReader reader = AgedPageReader.deepSeekBursts(42);
    assertThat(reader.name()).isEqualTo("deepseek-bursts");
    assertThat(reader.measured()).isFalse();
    assertThat(reader.description()).contains("not a measurement").contains("in bursts");
    for (int tokens : new int[] {640, 1_100, 1_260}) {
      String read = reader.read(at(Tier.TINY, tokens));
      double expected = Legibility.foxPrecision(Tier.TINY, tokens / 64.0);
      assertThat(TextMetrics.precision(read, SOURCE)).as("%d tokens", tokens)
          .isCloseTo(expected, within(0.015));
      String[] sourceLines = SOURCE.split("\n", -1);
      String[] readLines = read.split("\n", -1);
      assertThat(readLines).as("a dropped line stays as an empty line").hasSameSizeAs(sourceLines);
      int dropped = 0;
      for (int i = 0; i < sourceLines.length; i++) {
        if (readLines[i].isEmpty() && !sourceLines[i].isEmpty()) {
          dropped++;
          continue;
        }
        String[] words = sourceLines[i].split(" ", -1);
        String[] got = readLines[i].split(" ", -1);
        assertThat(got).hasSameSizeAs(words);
        for (int w = 0; w < words.length; w++) {
          if (!got[w].equals(words[w])) {
            assertThat(got[w]).hasSameSizeAs(words[w]);
            for (int c = 0; c < words[w].length(); c++) {
              if (Character.isLetterOrDigit(words[w].charAt(c))) {
                assertThat(Character.toLowerCase(got[w].charAt(c)))
                    .as("every letter of a misread word is misread")
                    .isNotEqualTo(Character.toLowerCase(words[w].charAt(c)));
              }
            }
          }
        }
      }
      assertThat(dropped).as("%d tokens: lines dropped", tokens).isPositive();
    }
  }

  @Test
  void at_the_same_precision_bursts_spare_more_short_answers_than_independent_edits() {
    String[] words = SOURCE.split("\\s+");
    int independent = 0;
    int bursts = 0;
    String a = AgedPageReader.deepSeekModelled(42).read(at(Tier.TINY, 1_000));
    String b = AgedPageReader.deepSeekBursts(42).read(at(Tier.TINY, 1_000));
    for (int i = 0; i + 1 < words.length; i += 7) {
      String span = " " + words[i] + " " + words[i + 1] + " ";
      independent += (" " + a.replaceAll("\\s+", " ") + " ").contains(span) ? 1 : 0;
      bursts += (" " + b.replaceAll("\\s+", " ") + " ").contains(span) ? 1 : 0;
    }
    assertThat(bursts).isGreaterThan(independent);
  }

  @Test
  void a_burst_rate_of_zero_changes_nothing_and_empty_text_stays_empty() {
    assertThat(ModelledDeepSeekReader.bursts(SOURCE, 0, new SplittableRandom(1)))
        .isEqualTo(SOURCE);
    assertThat(ModelledDeepSeekReader.bursts("", 0.5, new SplittableRandom(1))).isEmpty();
  }
}
