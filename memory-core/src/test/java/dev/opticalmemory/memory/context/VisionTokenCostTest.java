package dev.opticalmemory.memory.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import org.junit.jupiter.api.Test;

/** Each formula against the worked examples its provider publishes (sources in the README). */
class VisionTokenCostTest {

  @Test
  void deepseek_ocr_counts_by_mode_as_in_the_paper_and_as_ids_in_the_sequence() {
    VisionTokenCost paper = VisionTokenCost.deepSeekOcr(false);
    VisionTokenCost ids = VisionTokenCost.deepSeekOcr(true);
    assertThat(paper.tokens(512, 512, Detail.HIGH)).isEqualTo(64);
    assertThat(paper.tokens(640, 640, Detail.HIGH)).isEqualTo(100);
    assertThat(paper.tokens(1024, 1024, Detail.HIGH)).isEqualTo(256);
    assertThat(paper.tokens(1280, 1280, Detail.HIGH)).isEqualTo(400);
    assertThat(ids.tokens(512, 512, Detail.HIGH)).isEqualTo(73);
    assertThat(ids.tokens(640, 640, Detail.HIGH)).isEqualTo(111);
    assertThat(ids.tokens(1024, 1024, Detail.HIGH)).isEqualTo(273);
    assertThat(ids.tokens(1280, 1280, Detail.HIGH)).isEqualTo(421);
    assertThat(paper.tokens(768, 1024, Detail.HIGH)).as("a 3:4 page is padded into Base")
        .isEqualTo(256);
    assertThat(paper.tokens(3000, 2000, Detail.HIGH)).as("larger fits into Large").isEqualTo(400);
  }

  @Test
  void openai_matches_its_documented_examples_for_high_and_low_detail() {
    VisionTokenCost openAi = VisionTokenCost.openAi();
    // "A 1024 x 1024 square image in detail: high mode costs 765 tokens"
    assertThat(openAi.tokens(1024, 1024, Detail.HIGH)).isEqualTo(765);
    // "A 2048 x 4096 image in detail: high mode costs 1105 tokens"
    assertThat(openAi.tokens(2048, 4096, Detail.HIGH)).isEqualTo(1105);
    // "A 4096 x 8192 image in detail: low most costs 85 tokens"
    assertThat(openAi.tokens(4096, 8192, Detail.LOW)).isEqualTo(85);
    assertThat(openAi.tokens(512, 512, Detail.HIGH)).as("one tile").isEqualTo(255);
    assertThat(openAi.tokens(640, 640, Detail.HIGH)).as("not enlarged; four tiles").isEqualTo(765);
  }

  @Test
  void anthropic_matches_its_size_table_and_scales_large_images_down_first() {
    VisionTokenCost claude = VisionTokenCost.anthropic();
    assertThat(claude.tokens(200, 200, Detail.HIGH)).isEqualTo(54);
    assertThat(claude.tokens(1000, 1000, Detail.HIGH)).isEqualTo(1334);
    assertThat(claude.tokens(1092, 1092, Detail.HIGH)).isEqualTo(1590);
    assertThat(claude.tokens(1280, 1280, Detail.HIGH)).as("scaled to about 1,600 tokens")
        .isBetween(1590, 1600);
    assertThat(claude.tokens(4000, 100, Detail.HIGH)).as("long edge cut to 1568")
        .isEqualTo((int) Math.ceil(1568 * 39 / 750.0));
  }

  @Test
  void gemini_charges_258_up_to_384_px_and_258_per_768_px_tile_above() {
    VisionTokenCost gemini = VisionTokenCost.gemini();
    assertThat(gemini.tokens(384, 384, Detail.HIGH)).isEqualTo(258);
    assertThat(gemini.tokens(600, 400, Detail.HIGH)).isEqualTo(258);
    assertThat(gemini.tokens(768, 768, Detail.HIGH)).isEqualTo(258);
    assertThat(gemini.tokens(1024, 1024, Detail.HIGH)).isEqualTo(4 * 258);
    assertThat(gemini.tokens(1280, 769, Detail.HIGH)).isEqualTo(4 * 258);
  }

  @Test
  void qwen_vl_counts_28_px_cells_after_its_smart_resize_plus_two_markers() {
    VisionTokenCost qwen = VisionTokenCost.qwenVl();
    assertThat(qwen.tokens(224, 224, Detail.HIGH)).isEqualTo(8 * 8 + 2);
    assertThat(qwen.tokens(1280, 1280, Detail.HIGH)).isEqualTo(46 * 46 + 2);
    assertThat(qwen.tokens(1024, 1024, Detail.HIGH)).isEqualTo(37 * 37 + 2);
    // With max_pixels = 1280 * 28 * 28, a 1280 px page is shrunk to 980 px: 35 x 35 cells.
    assertThat(VisionTokenCost.qwenVl(3136, 1280L * 28 * 28).tokens(1280, 1280, Detail.HIGH))
        .isEqualTo(35 * 35 + 2);
    // Below min_pixels it is enlarged by sqrt(3136 / 1000): 20x50 becomes 56x112, 2 x 4 cells.
    assertThat(qwen.tokens(20, 50, Detail.HIGH)).isEqualTo(2 * 4 + 2);
  }

  @Test
  void impossible_sizes_and_bounds_are_refused_with_the_values() {
    assertThatThrownBy(() -> VisionTokenCost.openAi().tokens(0, 10, Detail.HIGH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image size must be 1 to 65536 px a side, but is 0x10");
    assertThatThrownBy(() -> VisionTokenCost.qwenVl(100, 50))
        .hasMessage("qwenVl needs 784 <= minPixels <= maxPixels, but they are 100 and 50");
    assertThatThrownBy(() -> VisionReader.named("llava"))
        .hasMessage("reader must be one of [deepseek-ocr, openai, anthropic, gemini, qwen-vl], but is: llava");
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
        assertThat(d.tokens()).as("%s %s", name, tier).isLessThanOrEqualTo(previous);
        previous = d.tokens();
      }
    }
    assertThat(VisionReader.openAi().delivery(Tier.TINY).tokens()).isEqualTo(85);
    assertThat(VisionReader.deepSeekOcr().delivery(Tier.BASE).tokens()).isEqualTo(273);
    assertThat(VisionReader.anthropic().delivery(Tier.LARGE).tokens()).isEqualTo(787);
    assertThat(VisionReader.qwenVl().delivery(Tier.BASE).tokens()).isEqualTo(27 * 27 + 2);
    assertThat(VisionReader.gemini().delivery(Tier.LARGE).tokens()).isEqualTo(258);
    assertThat(VisionReader.qwenVl().delivery(Tier.TINY).tokens()).isEqualTo(18 * 18 + 2);
  }
}
