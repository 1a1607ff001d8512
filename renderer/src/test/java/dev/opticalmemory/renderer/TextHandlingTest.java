package dev.opticalmemory.renderer;

import static dev.opticalmemory.renderer.Layouts.assertCoversEveryCharacterOnce;
import static dev.opticalmemory.renderer.Layouts.inkPixels;
import static dev.opticalmemory.renderer.Layouts.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Text that is not plain words: breaks, tabs, invisible and control characters, bad input. */
class TextHandlingTest {
  private final PageRenderer renderer =
      PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.BASE).fonts(FontSet.latinOnly()).build());

  private List<PageLayout> layout(String text) {
    List<Turn> turns = List.of(Turn.plain(text));
    List<PageLayout> pages = renderer.layout(turns);
    assertCoversEveryCharacterOnce(turns, pages);
    return pages;
  }

  @Test
  void crlf_cr_and_lf_all_end_a_line() {
    List<LineLayout> lines = lines(layout("one\r\ntwo\rthree\nfour"));
    assertThat(lines).extracting(LineLayout::text).containsExactly("one", "two", "three", "four");
    assertThat(lines.get(0).end()).isEqualTo(5);
  }

  @Test
  void blank_lines_are_kept_and_a_trailing_newline_adds_no_line() {
    assertThat(lines(layout("a\n\nb\n"))).extracting(LineLayout::text).containsExactly("a", "", "b");
  }

  @Test
  void tabs_expand_to_the_next_stop_as_spaces() {
    List<LineLayout> lines = lines(layout("a\tb\n\tc\nabcde\tf"));
    assertThat(lines.get(0).text()).matches("a {3,4}b");
    assertThat(lines.get(1).text()).matches(" {4}c");
    assertThat(lines.get(2).text()).matches("abcde +f");
  }

  @Test
  void zero_width_and_format_characters_draw_nothing_but_stay_in_the_source_range() {
    String text = "zero\u200Bwidth\u200Djoiner\uFEFFbom\u00ADsoft\u202Eoverride";
    List<LineLayout> lines = lines(layout(text));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).text()).isEqualTo("zerowidthjoinerbomsoftoverride");
    assertThat(lines.get(0).end()).isEqualTo(text.length());
  }

  @Test
  void control_characters_are_shown_in_caret_notation() {
    List<LineLayout> lines = lines(layout("bell\u0007 esc\u001B nul\u0000 del\u007F c1\u0085x\u009B"));
    assertThat(lines).extracting(LineLayout::text)
        .containsExactly("bell^G esc^[ nul^@ del^? c1", "xM-^[");
  }

  @Test
  void unpaired_surrogates_are_drawn_as_replacement_characters() {
    String text = "high\uD800 low\uDC00 pair\uD83D\uDE00 end";
    List<PageLayout> pages = layout(text);
    assertThat(pages.get(0).text()).isEqualTo("high\uFFFD low\uFFFD pair\uD83D\uDE00 end");
    RenderedPage page = renderer.render(pages.get(0));
    assertThat(inkPixels(page.image())).isGreaterThan(50);
  }

  @Test
  void a_glyph_no_font_has_is_drawn_as_a_visible_box_and_counted() {
    String privateUse = "\uE000\uE001";
    PageLayout withBoxes = layout("see " + privateUse + " here").get(0);
    PageLayout withoutBoxes = layout("see here").get(0);
    assertThat(withBoxes.missingGlyphs()).isEqualTo(2);
    assertThat(withoutBoxes.missingGlyphs()).isZero();
    assertThat(inkPixels(renderer.render(withBoxes).image()))
        .isGreaterThan(inkPixels(renderer.render(withoutBoxes).image()) + 20);
  }

  @Test
  void a_long_unbroken_string_is_broken_between_characters() {
    String url = "https://example.com/" + "a1b2c3d4e5".repeat(60) + "?q=x";
    List<LineLayout> lines = lines(layout("see " + url + " ok"));
    assertThat(lines.get(0).text()).isEqualTo("see");
    assertThat(lines.size()).isGreaterThan(3);
    for (LineLayout line : lines) {
      assertThat(line.width()).isLessThanOrEqualTo(renderer.spec().textWidth());
    }
  }

  @Test
  void a_single_fifty_thousand_character_word_fills_full_lines() {
    String word = "x".repeat(50_000);
    List<PageLayout> pages = layout(word);
    List<LineLayout> lines = lines(pages);
    assertThat(lines.size()).isGreaterThan(300);
    assertThat(lines.get(0).text()).hasSizeGreaterThan(100).matches("x+");
    assertThat(pages.size()).isGreaterThan(5);
  }

  @Test
  void a_surrogate_pair_is_never_split_by_a_forced_break() {
    String emoji = "\uD83D\uDE00".repeat(5000);
    for (LineLayout line : lines(layout(emoji))) {
      assertThat(line.start() % 2).isZero();
      assertThat(line.end() % 2).isZero();
    }
  }

  @Test
  void empty_input_gives_no_pages_and_an_empty_turn_still_shows_its_speaker() {
    assertThat(renderer.layout(List.of())).isEmpty();
    assertThat(renderer.layout(List.of(Turn.plain("")))).isEmpty();
    List<PageLayout> pages = renderer.layout(List.of(Turn.of("Alice", "")));
    assertThat(pages).hasSize(1);
    assertThat(pages.get(0).lines().get(0).text()).isEqualTo("Alice:");
    assertThat(pages.get(0).sourceChars()).isZero();
  }

  @Test
  void ten_megabytes_of_text_lay_out_completely() {
    StringBuilder text = new StringBuilder(10_000_000);
    String sentence = "Melanie painted a lake sunrise last year, and it is special to her. ";
    while (text.length() < 10_000_000) {
      text.append(sentence);
      if (text.length() % 7 == 0) {
        text.append('\n');
      }
    }
    List<PageLayout> pages = layout(text.toString());
    assertThat(pages.size()).isGreaterThan(1500);
    assertThat(pages.stream().mapToLong(PageLayout::sourceChars).sum()).isEqualTo(text.length());
  }

  @Test
  void null_turns_are_rejected_with_their_position() {
    assertThatThrownBy(() -> renderer.layout(java.util.Arrays.asList(Turn.plain("a"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("turns[1] must not be null");
    assertThatThrownBy(() -> Turn.of("a", null)).hasMessage("text must not be null");
  }
}
