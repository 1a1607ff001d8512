package dev.opticalmemory.memory.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each reader profile against its provider's worked examples and the sizes at its boundaries
 * (exact multiples of 28 and 32, one pixel over a tile or a limit). Sources: docs/readers.md.
 */
class VisionTokenCostTest {

  static Stream<Arguments> documented() {
    return Stream.of(
        // reader, width, height, detail, tokens, where the figure comes from
        Arguments.of("gpt-4o", 1024, 1024, Detail.HIGH, 765, "OpenAI: 1024 x 1024 at high"),
        Arguments.of("gpt-4o", 2048, 4096, Detail.HIGH, 1105, "OpenAI: 2048 x 4096 at high"),
        Arguments.of("gpt-4o", 4096, 8192, Detail.LOW, 85, "OpenAI: any size at low"),
        Arguments.of("gpt-4o", 512, 512, Detail.HIGH, 255, "one tile"),
        Arguments.of("gpt-4o", 513, 512, Detail.HIGH, 425, "one pixel over a tile"),
        Arguments.of("gpt-4o", 769, 769, Detail.HIGH, 765, "short side brought to 768"),
        Arguments.of("gpt-4o", 2049, 2049, Detail.HIGH, 765, "fitted in 2048 first"),
        Arguments.of("gpt-4.1", 768, 768, Detail.HIGH, 765, "a tile model"),
        Arguments.of("gpt-4o-mini", 768, 768, Detail.HIGH, 25_501, "2,833 + 4 x 5,667"),
        Arguments.of("gpt-4o-mini", 512, 512, Detail.LOW, 2_833, "low detail is the base"),
        Arguments.of("gpt-5", 768, 768, Detail.HIGH, 630, "70 + 4 x 140"),
        Arguments.of("gpt-5.1", 512, 512, Detail.HIGH, 210, "70 + 140"),
        Arguments.of("o1", 1024, 1024, Detail.HIGH, 675, "75 + 4 x 150"),
        Arguments.of("gpt-4.1-mini", 1024, 1024, Detail.HIGH, 1_659, "OpenAI: 1,024 patches x 1.62"),
        Arguments.of("gpt-4.1-mini", 1800, 2400, Detail.HIGH, 2_353,
            "OpenAI: scaled to 1056 x 1408, 1,452 patches x 1.62"),
        Arguments.of("gpt-4.1-mini", 768, 768, Detail.HIGH, 934, "576 patches x 1.62"),
        Arguments.of("gpt-4.1-mini", 512, 512, Detail.LOW, 415, "low detail costs as high"),
        Arguments.of("gpt-4.1-mini", 32, 32, Detail.HIGH, 2, "one patch, rounded up"),
        Arguments.of("gpt-4.1-mini", 33, 32, Detail.HIGH, 4, "one pixel over a patch"),
        Arguments.of("gpt-4.1-mini", 1248, 1248, Detail.HIGH, 2_465, "39 x 39 = 1,521 patches"),
        Arguments.of("gpt-4.1-nano", 768, 768, Detail.HIGH, 1_417, "576 x 2.46"),
        Arguments.of("o4-mini", 768, 768, Detail.HIGH, 991, "576 x 1.72"),
        Arguments.of("gpt-5.4", 768, 768, Detail.HIGH, 692, "576 x 1.2"),
        Arguments.of("gpt-5.4", 512, 512, Detail.LOW, 308, "256 x 1.2; low is not 85"),
        Arguments.of("gpt-5.4", 1600, 1600, Detail.HIGH, 3_000, "2,500 patches x 1.2"),
        Arguments.of("claude", 1000, 1000, Detail.HIGH, 1_296, "36 x 36 patches of 28 px"),
        Arguments.of("claude", 512, 512, Detail.HIGH, 361, "TINY: 19 x 19"),
        Arguments.of("claude", 640, 640, Detail.HIGH, 529, "SMALL: 23 x 23"),
        Arguments.of("claude", 768, 768, Detail.HIGH, 784, "28 x 28"),
        Arguments.of("claude", 28, 28, Detail.HIGH, 1, "one patch"),
        Arguments.of("claude", 29, 28, Detail.HIGH, 2, "one pixel over a patch"),
        Arguments.of("claude", 1568, 1568, Detail.HIGH, 1_521, "scaled to 1092 x 1092, 39 x 39"),
        Arguments.of("claude", 2000, 3000, Detail.HIGH, 1_536, "scaled to 896 x 1344"),
        Arguments.of("claude-4.7", 2000, 3000, Detail.HIGH, 4_704, "scaled to 1568 x 2352, 56 x 84"),
        Arguments.of("claude-4.7", 1568, 1568, Detail.HIGH, 3_136, "within 2576 px and 4,784"),
        Arguments.of("gemini-2.0", 384, 384, Detail.HIGH, 258, "both sides at most 384"),
        Arguments.of("gemini-2.0", 385, 384, Detail.HIGH, 1_032, "one pixel over: tiles of 256"),
        Arguments.of("gemini-2.0", 768, 768, Detail.HIGH, 1_032, "Vertex: tiles of 512"),
        Arguments.of("gemini-2.0", 1152, 1152, Detail.HIGH, 1_032, "tiles of 768"),
        Arguments.of("gemini-2.0", 300, 1000, Detail.HIGH, 2_064, "tiles clamped to 256"),
        Arguments.of("gemini-2.5", 1024, 1024, Detail.HIGH, 1_032, "the default resolution"),
        Arguments.of("gemini-2.5:low", 1024, 1024, Detail.HIGH, 64, "media resolution low"),
        Arguments.of("gemini-2.5:medium", 1024, 1024, Detail.HIGH, 256, "media resolution medium"),
        Arguments.of("gemini-3", 512, 512, Detail.HIGH, 1_120, "Gemini 3's default, high"),
        Arguments.of("gemini-3:low", 2000, 3000, Detail.HIGH, 280, "low"),
        Arguments.of("gemini-3:medium", 2000, 3000, Detail.HIGH, 560, "medium"),
        Arguments.of("gemini-3:ultra-high", 2000, 3000, Detail.HIGH, 2_240, "ultra high"),
        Arguments.of("qwen2.5-vl", 742, 742, Detail.HIGH, 678, "26.5 rounds half to even: 26"),
        Arguments.of("qwen2.5-vl", 770, 770, Detail.HIGH, 786, "27.5 rounds half to even: 28"),
        Arguments.of("qwen2.5-vl", 756, 756, Detail.HIGH, 731, "27 x 28 exactly"),
        Arguments.of("qwen2.5-vl", 2000, 3000, Detail.HIGH, 7_599, "71 x 107 + 2"),
        Arguments.of("qwen2.5-vl", 224, 224, Detail.HIGH, 66, "8 x 8 + 2"),
        Arguments.of("qwen2.5-vl", 20, 50, Detail.HIGH, 10, "enlarged to min_pixels: 2 x 4 + 2"),
        Arguments.of("qwen2.5-vl:ollama", 2000, 3000, Detail.HIGH, 2_648, "within 2 << 20 px"),
        Arguments.of("qwen2.5-vl:ollama", 768, 768, Detail.HIGH, 731, "under the cap: as utils"),
        Arguments.of("deepseek-ocr", 512, 512, Detail.HIGH, 73, "Tiny, with newlines"),
        Arguments.of("deepseek-ocr", 513, 512, Detail.HIGH, 111, "one pixel over Tiny: Small"),
        Arguments.of("deepseek-ocr", 1280, 1280, Detail.HIGH, 421, "Large"),
        Arguments.of("deepseek-ocr:gundam", 1280, 1280, Detail.HIGH, 693, "2 x 2 tiles + global"),
        Arguments.of("deepseek-ocr:gundam", 1024, 1024, Detail.HIGH, 693, "2 x 2 tiles + global"),
        Arguments.of("deepseek-ocr:gundam", 640, 640, Detail.HIGH, 273, "global view only"),
        Arguments.of("deepseek-ocr:gundam", 641, 640, Detail.HIGH, 693, "one pixel over 640"),
        Arguments.of("deepseek-ocr:gundam", 1000, 3000, Detail.HIGH, 603, "1 x 3 tiles"),
        Arguments.of("deepseek-ocr:gundam", 100, 6000, Detail.HIGH, 933, "1 x 6 tiles, the most"),
        Arguments.of("deepseek-ocr:tiny", 1280, 1280, Detail.HIGH, 73, "the server's mode"),
        Arguments.of("deepseek-ocr:small", 512, 512, Detail.HIGH, 111, "the server's mode"),
        Arguments.of("deepseek-ocr:base", 512, 512, Detail.HIGH, 273, "the server's mode"),
        Arguments.of("deepseek-ocr:large", 512, 512, Detail.HIGH, 421, "the server's mode"));
  }

  @ParameterizedTest(name = "{0} prices {1}x{2} at {3} as {4}: {5}")
  @MethodSource("documented")
  void each_profile_prices_the_documented_examples_and_boundaries_as_its_rule_does(String reader,
      int width, int height, Detail detail, int tokens, String why) {
    VisionReader.Price price = VisionReader.named(reader).price(width, height, detail);
    assertThat(price.tokens()).as(why).isEqualTo(tokens);
    assertThat(price.rule()).isNotBlank();
  }

  @Test
  void deepseek_ocr_counts_by_mode_as_in_the_paper_and_as_ids_in_the_sequence() {
    VisionTokenCost paper = VisionTokenCost.deepSeekOcr(false);
    VisionTokenCost ids = VisionTokenCost.deepSeekOcr(true);
    assertThat(paper.tokens(512, 512, Detail.HIGH)).isEqualTo(64);
    assertThat(paper.tokens(640, 640, Detail.HIGH)).isEqualTo(100);
    assertThat(paper.tokens(1024, 1024, Detail.HIGH)).isEqualTo(256);
    assertThat(paper.tokens(1280, 1280, Detail.HIGH)).isEqualTo(400);
    assertThat(ids.tokens(1024, 1024, Detail.HIGH)).isEqualTo(273);
    assertThat(paper.tokens(768, 1024, Detail.HIGH)).as("a 3:4 page is padded into Base")
        .isEqualTo(256);
    assertThat(paper.tokens(3000, 2000, Detail.HIGH)).as("larger fits into Large").isEqualTo(400);
  }

  @Test
  void the_memory_s_pages_cost_what_each_reader_s_server_bills_for_them() {
    assertThat(tiers("deepseek-ocr:gundam")).containsExactly(693, 693, 273, 273);
    assertThat(tiers("gpt-4.1-mini")).containsExactly(934, 934, 648, 415);
    assertThat(tiers("gpt-5.4")).containsExactly(692, 692, 480, 308);
    assertThat(tiers("gpt-4o-mini")).containsExactly(25_501, 25_501, 8_500, 2_833);
    assertThat(tiers("gpt-5")).containsExactly(630, 630, 210, 70);
    assertThat(tiers("claude")).containsExactly(784, 784, 529, 361);
    assertThat(tiers("gemini-2.0")).as("TINY at 384 px: one tile").containsExactly(1_032, 1_032,
        1_032, 258);
    assertThat(tiers("gemini-3")).containsExactly(1_120, 1_120, 1_120, 1_120);
    assertThat(tiers("qwen2.5-vl")).containsExactly(731, 731, 531, 326);
    assertThat(tiers("deepseek-ocr")).containsExactly(421, 273, 111, 73);
    assertThat(tiers("openai")).as("the old vendor name is GPT-4o").containsExactly(765, 765, 255,
        85);
  }

  private static int[] tiers(String reader) {
    VisionReader r = VisionReader.named(reader);
    return Stream.of(Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY)
        .mapToInt(t -> r.delivery(t).tokens()).toArray();
  }

  @Test
  void under_gundam_a_page_goes_down_only_where_that_saves_tokens_and_a_fixed_mode_reads_no_sharper_than_itself() {
    VisionReader gundam = VisionReader.named("deepseek-ocr:gundam");
    assertThat(gundam.delivery(Tier.TINY).tokens()).isEqualTo(gundam.delivery(Tier.SMALL).tokens());
    VisionReader tiny = VisionReader.named("deepseek-ocr:tiny");
    assertThat(tiny.legibility().of(Tier.LARGE, 700)).as("a LARGE page read at Tiny")
        .isEqualTo(Legibility.foxTable().of(Tier.TINY, 700));
    assertThat(VisionReader.named("deepseek-ocr:base").legibility().of(Tier.SMALL, 700))
        .as("a SMALL page is no sharper for a Base server").isEqualTo(
            Legibility.foxTable().of(Tier.SMALL, 700));
  }

  @Test
  void an_image_of_unknown_size_is_priced_at_the_reader_s_largest() {
    assertThat(VisionReader.named("gpt-4o").largestImageTokens()).isEqualTo(85 + 170 * 8);
    assertThat(VisionReader.named("claude").largestImageTokens()).isEqualTo(1_568);
    assertThat(VisionReader.named("claude-4.7").largestImageTokens()).isEqualTo(4_784);
    assertThat(VisionReader.named("gemini-3").largestImageTokens()).isEqualTo(1_120);
    assertThat(VisionReader.named("deepseek-ocr:gundam").largestImageTokens()).isEqualTo(933);
    for (String name : VisionReader.NAMES) {
      VisionReader r = VisionReader.named(name);
      assertThat(r.largestImageTokens()).as(name)
          .isGreaterThanOrEqualTo(r.price(1024, 1024, Detail.HIGH).tokens())
          .isGreaterThanOrEqualTo(r.delivery(Tier.LARGE).tokens());
    }
  }

  @Test
  void impossible_sizes_bounds_and_names_are_refused_with_the_values() {
    assertThatThrownBy(() -> VisionTokenCost.openAi().tokens(0, 10, Detail.HIGH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image size must be 1 to 65536 px a side, but is 0x10");
    assertThatThrownBy(() -> VisionReader.named("claude").price(100_000, 10, Detail.HIGH))
        .hasMessage("image size must be 1 to 65536 px a side, but is 100000x10");
    assertThatThrownBy(() -> VisionReader.named("qwen2.5-vl").price(10, 2_100, Detail.HIGH))
        .hasMessageContaining("aspect ratio over 200").hasMessageContaining("10x2100");
    assertThatThrownBy(() -> VisionTokenCost.qwenVl(100, 50))
        .hasMessage("qwenVl needs 784 <= minPixels <= maxPixels, but they are 100 and 50");
    assertThatThrownBy(() -> VisionTokenCost.deepSeekOcrServer("huge"))
        .hasMessageContaining("tiny, small, base, large, gundam").hasMessageContaining("huge");
    assertThatThrownBy(() -> VisionReader.named("llava"))
        .hasMessageStartingWith("reader must be one of deepseek-ocr, deepseek-ocr:tiny")
        .hasMessageContaining("gpt-5.4").hasMessageContaining("claude-4.7")
        .hasMessageEndingWith("but is: llava");
    assertThatThrownBy(() -> VisionReader.openAi().delivery(Tier.TEXT))
        .hasMessage("tier must be an image tier, but is: TEXT");
  }

  @Test
  void each_reader_sends_every_tier_no_larger_than_the_tier_and_never_dearer_than_the_tier_above() {
    for (String name : VisionReader.NAMES) {
      VisionReader reader = VisionReader.named(name);
      int previous = Integer.MAX_VALUE;
      for (Tier tier : new Tier[] {Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY}) {
        VisionReader.Delivery d = reader.delivery(tier);
        assertThat(d.side()).as("%s %s", name, tier).isLessThanOrEqualTo(tier.mode().pixels());
        assertThat(d.tokens()).as("%s %s", name, tier).isLessThanOrEqualTo(previous)
            .isEqualTo(reader.price(d.side(), d.side(), d.detail()).tokens());
        previous = d.tokens();
      }
      assertThat(reader.source()).as(name).contains("read 2026-12-05");
    }
  }

  @Test
  void a_calibration_kept_in_a_file_is_a_reader_that_prices_by_the_measured_factor(
      @TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("my-server.properties");
    new Calibration("gemini-2.0", 1.25, "gemini-2.0-flash", "http://127.0.0.1:1/v1", "2026-12-05")
        .save(file);
    VisionReader r = VisionReader.named(file.toString());
    assertThat(r.name()).isEqualTo("gemini-2.0@calibrated");
    assertThat(r.price(768, 768, Detail.HIGH).tokens()).isEqualTo(1_290);
    assertThat(r.price(768, 768, Detail.HIGH).rule()).contains("x 1.2500 as measured");
    Files.writeString(file, "reader=gemini-2.0\nfactor=ten\nmodel=m\n");
    assertThatThrownBy(() -> VisionReader.named(file.toString()))
        .hasMessageContaining(file.toString()).hasMessageContaining("ten");
    assertThatThrownBy(() -> VisionReader.named(tmp.resolve("absent.properties").toString()))
        .hasMessageContaining("absent.properties").hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> new Calibration("gpt-4o", 0, "m", "u", "d"))
        .hasMessage("factor must be 0.1 to 10, but is: 0.0");
  }
}
