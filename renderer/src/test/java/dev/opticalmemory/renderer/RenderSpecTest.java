package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RenderSpecTest {

  @Test
  void for_mode_scales_font_and_margin_with_the_page() {
    RenderSpec base = RenderSpec.forMode(VisionMode.BASE);
    RenderSpec large = RenderSpec.forMode(VisionMode.LARGE);
    assertThat(base.width()).isEqualTo(1024);
    assertThat(base.height()).isEqualTo(1024);
    assertThat(base.fontSize()).isEqualTo(16f);
    assertThat(base.margin()).isEqualTo(16);
    assertThat(large.fontSize()).isEqualTo(20f);
    assertThat(large.linesPerPage()).isEqualTo(base.linesPerPage());
  }

  @Test
  void explicit_values_survive_to_builder() {
    RenderSpec spec = RenderSpec.builder().pageSize(800, 600).margin(10).fontSize(12)
        .lineSpacing(1.5f).tabSize(8).fonts(FontSet.latinOnly()).build();
    RenderSpec copy = spec.toBuilder().build();
    assertThat(copy).isEqualTo(spec);
    assertThat(copy.lineHeight()).isEqualTo(18f);
    assertThat(copy.linesPerPage()).isEqualTo(32);
    assertThat(copy.toString()).contains("800x600", "fontSize=12.0");
  }

  @Test
  void rejects_a_page_side_out_of_range_naming_the_field() {
    assertThatThrownBy(() -> RenderSpec.builder().pageSize(10, 1024).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width must be between 64 and 8192, but is: 10");
    assertThatThrownBy(() -> RenderSpec.builder().pageSize(1024, 100_000).build())
        .hasMessage("height must be between 64 and 8192, but is: 100000");
  }

  @Test
  void rejects_bad_font_size_line_spacing_tab_size_and_margin() {
    assertThatThrownBy(() -> RenderSpec.builder().fontSize(Float.NaN).build())
        .hasMessage("fontSize must be between 4 and 512 pixels, but is: NaN");
    assertThatThrownBy(() -> RenderSpec.builder().lineSpacing(0.5f).build())
        .hasMessage("lineSpacing must be between 1.0 and 4.0, but is: 0.5");
    assertThatThrownBy(() -> RenderSpec.builder().tabSize(0).build())
        .hasMessage("tabSize must be between 1 and 16, but is: 0");
    assertThatThrownBy(() -> RenderSpec.builder().margin(600).build())
        .hasMessage("margin must be at least 0 and less than half the page side (512), but is: 600");
  }

  @Test
  void rejects_a_spec_where_no_line_fits() {
    assertThatThrownBy(() -> RenderSpec.builder().pageSize(64, 64).margin(20).fontSize(30).build())
        .hasMessageStartingWith("no line fits: a 64x64 page with margin 20");
  }
}
