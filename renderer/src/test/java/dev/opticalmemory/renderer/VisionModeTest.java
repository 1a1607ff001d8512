package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VisionModeTest {

  @ParameterizedTest(name = "{0}: {1} px, {2} vision tokens, {3} sequence ids")
  @CsvSource({"TINY, 512, 64, 73", "SMALL, 640, 100, 111", "BASE, 1024, 256, 273",
      "LARGE, 1280, 400, 421"})
  void modes_carry_deepseek_ocr_sizes_and_token_counts(
      VisionMode mode, int pixels, int tokens, int ids) {
    assertThat(mode.pixels()).isEqualTo(pixels);
    assertThat(mode.visionTokens()).isEqualTo(tokens);
    assertThat(mode.sequenceIds()).isEqualTo(ids);
  }

  @Test
  void valid_tokens_of_a_padded_three_by_four_page_match_the_paper() {
    assertThat(VisionMode.BASE.validTokens(768, 1024)).isEqualTo(192);
    assertThat(VisionMode.BASE.validTokens(1024, 1024)).isEqualTo(256);
    assertThat(VisionMode.LARGE.validTokens(960, 1280)).isEqualTo(300);
  }

  @Test
  void lower_walks_down_the_tiers_and_ends_below_tiny() {
    assertThat(VisionMode.LARGE.lower()).isEqualTo(VisionMode.BASE);
    assertThat(VisionMode.BASE.lower()).isEqualTo(VisionMode.SMALL);
    assertThat(VisionMode.SMALL.lower()).isEqualTo(VisionMode.TINY);
    assertThat(VisionMode.TINY.lower()).isNull();
  }

  @Test
  void parse_ignores_case_and_lists_the_choices_when_unknown() {
    assertThat(VisionMode.parse("Base")).isEqualTo(VisionMode.BASE);
    assertThat(VisionMode.parse(" tiny ")).isEqualTo(VisionMode.TINY);
    assertThatThrownBy(() -> VisionMode.parse("gundam"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown vision mode 'gundam', expected one of [tiny, small, base, large]");
  }

  @Test
  void valid_tokens_rejects_an_empty_page() {
    assertThatThrownBy(() -> VisionMode.BASE.validTokens(0, 10))
        .hasMessage("width and height must be positive, but are: 0x10");
  }
}
