package dev.opticalmemory.renderer;

import static dev.opticalmemory.renderer.Layouts.assertCoversEveryCharacterOnce;
import static dev.opticalmemory.renderer.Layouts.inkPixels;
import static dev.opticalmemory.renderer.Layouts.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CjkRenderingTest {
  private static final String CHINESE =
      "记忆会随着时间慢慢变得模糊，最近的对话保持清晰，较早的内容被压缩成更小的图像。";

  private static PageRenderer cjkRenderer() {
    FontSet fonts = FontSet.defaults();
    assumeTrue(fonts.coversCjk(),
        "no CJK font found: install fonts-noto-cjk or set -D" + FontSet.CJK_FONT_PROPERTY);
    return PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.BASE).fonts(fonts).build());
  }

  @Test
  void chinese_text_breaks_between_characters_and_keeps_closing_punctuation_attached() {
    PageRenderer renderer = cjkRenderer();
    List<Turn> turns = List.of(Turn.of("用户", CHINESE.repeat(20)));
    List<PageLayout> pages = renderer.layout(turns);
    assertCoversEveryCharacterOnce(turns, pages);
    List<LineLayout> lines = lines(pages);
    assertThat(lines.size()).isGreaterThan(5);
    for (LineLayout line : lines.subList(1, lines.size())) {
      assertThat(line.text()).doesNotStartWith("，").doesNotStartWith("。");
      assertThat(line.width()).isLessThanOrEqualTo(renderer.spec().textWidth());
    }
    assertThat(pages.get(0).missingGlyphs()).isZero();
    assertThat(inkPixels(renderer.render(pages.get(0)).image())).isGreaterThan(10_000);
  }

  @Test
  void mixed_latin_and_chinese_fall_back_per_character() {
    PageRenderer renderer = cjkRenderer();
    List<Turn> turns = List.of(Turn.plain("DeepSeek-OCR 把 1024x1024 的页面压缩成 256 个视觉 tokens."));
    PageLayout page = renderer.layout(turns).get(0);
    assertThat(page.lines()).hasSize(1);
    assertThat(page.missingGlyphs()).isZero();
    assertThat(page.text()).isEqualTo(turns.get(0).text());
  }

  @Test
  void a_font_set_names_the_fallback_fonts_a_text_needs() {
    FontSet fonts = FontSet.defaults();
    assumeTrue(fonts.coversCjk(),
        "no CJK font found: install fonts-noto-cjk or set -D" + FontSet.CJK_FONT_PROPERTY);
    assertThat(fonts.faces()).hasSize(2);
    assertThat(fonts.fallbackFaces("ferry 渡轮 at 9")).containsExactly(fonts.faces().get(1));
    assertThat(fonts.fallbackFaces("plain English")).isEmpty();
    assertThat(FontSet.latinOnly().fallbackFaces("渡轮")).isEmpty();
  }

  @Test
  void chinese_without_a_cjk_font_fails_with_a_clear_error() {
    PageRenderer latin = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.BASE).fonts(FontSet.latinOnly()).build());
    assertThatThrownBy(() -> latin.layout(List.of(Turn.plain("ok"), Turn.plain("hello 中文"))))
        .isInstanceOf(MissingFontException.class)
        .hasMessageStartingWith("turns[1] needs a CJK font for U+4E2D '中' at offset 6")
        .hasMessageContaining("install fonts-noto-cjk");
  }
}
