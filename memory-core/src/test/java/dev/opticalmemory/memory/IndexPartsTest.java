package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.LineLayout;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts of recall's index on their own: terms, BM25 and the page map. */
class IndexPartsTest {

  @Test
  void terms_are_nfkc_lower_case_words_and_han_characters_with_their_pairs() {
    assertThat(Terms.of("The Ｆerry's 9:15 départ")).containsExactly("the", "ferry", "s", "9",
        "15", "départ");
    assertThat(Terms.of("渡船九点")).containsExactly("渡", "船", "渡船", "九", "船九", "点", "九点");
    assertThat(Terms.of("a" + "x".repeat(100))).singleElement()
        .satisfies(t -> assertThat(t).hasSize(Terms.MAX_LENGTH));
    assertThat(Terms.of("  ?! ")).isEmpty();
  }

  @Test
  void bm25_ranks_the_segment_with_the_rarer_word_first_and_breaks_ties_by_the_newer() {
    Bm25 index = Bm25.empty(List.of("ferry", "harbour"));
    index.addDocument(1, 100, Map.of("harbour", 3));
    index.addDocument(2, 100, Map.of("harbour", 1, "ferry", 1));
    index.addDocument(3, 100, Map.of("harbour", 2));
    index.addDocument(4, 100, Map.of()); // holds none of the query's words
    List<Bm25.Hit> hits = index.top(10, 1.2, 0.75);
    assertThat(hits).extracting(Bm25.Hit::segment).startsWith(2L);
    assertThat(hits).extracting(Bm25.Hit::segment).doesNotContain(4L);
    Bm25 tie = Bm25.empty(List.of("ferry"));
    tie.addDocument(7, 50, Map.of("ferry", 1));
    tie.addDocument(9, 50, Map.of("ferry", 1));
    assertThat(tie.top(1, 1.2, 0.75)).extracting(Bm25.Hit::segment).containsExactly(9L);
  }

  @Test
  void the_best_turns_are_those_holding_the_rarer_query_words() {
    Map<Integer, Set<String>> turns = Map.of(
        0, Set.of("the", "ferry", "left"),
        1, Set.of("the", "crane"),
        2, Set.of("the", "locker", "4417"),
        3, Set.of("the", "boat"));
    assertThat(Bm25.bestTurns(turns, List.of("the", "locker"))).containsExactly(2);
    assertThat(Bm25.bestTurns(turns, List.of("the"))).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(Bm25.bestTurns(turns, List.of("whale"))).isEmpty();
  }

  @Test
  void a_page_map_names_the_fallback_fonts_its_page_was_drawn_with_and_which_are_missing() {
    org.assertj.core.api.Assumptions.assumeThat(FontSet.findCjkFont())
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    RenderSpec spec = RenderSpec.builder().fonts(FontSet.defaults()).build();
    PageLayout page = PageRenderer.java2d(spec).layout(List.of(new Turn("Mira", "ferry 渡轮"),
        new Turn("Tomas", "plain English"))).get(0);
    PageMap map = PageMap.of(page, new int[] {1, 2}, List.of("ferry 渡轮", "plain English"),
        false, spec.fonts());
    assertThat(map.faces()).singleElement().asString().contains("CJK");
    assertThat(PageMap.fromBytes(map.toBytes())).isEqualTo(map);
    assertThat(map.missingFaces(spec.fonts())).isEmpty();
    assertThat(map.missingFaces(FontSet.latinOnly())).isEqualTo(map.faces());
    PageLayout latin = PageRenderer.java2d(spec).layout(List.of(new Turn("Tomas", "plain")))
        .get(0);
    assertThat(PageMap.of(latin, new int[] {3}, List.of("plain"), false, spec.fonts()).faces())
        .isEmpty();
  }

  @Test
  void a_page_map_keeps_each_lines_turn_and_box_through_its_bytes_and_refuses_corrupt_ones() {
    PageRenderer renderer = PageRenderer.java2d(RenderSpec.builder().fonts(FontSet.latinOnly())
        .build());
    List<Turn> turns = List.of(new Turn("Mira", "The ferry leaves at nine. ".repeat(20)),
        new Turn("Tomas", "The crane was checked twice."));
    PageLayout page = renderer.layout(turns).get(0);
    PageMap map = PageMap.of(page, new int[] {40, 41}, turns.stream().map(Turn::text).toList(),
        false, FontSet.latinOnly());
    assertThat(map.lines()).extracting(PageMap.Line::turn).contains(40, 41);
    PageMap back = PageMap.fromBytes(map.toBytes());
    assertThat(back).isEqualTo(map);
    assertThat(back.layout().lines()).hasSameSizeAs(page.lines());
    byte[] bytes = map.toBytes();
    bytes[0] = 9;
    assertThatThrownBy(() -> PageMap.fromBytes(bytes)).isInstanceOf(MemoryException.class)
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> PageMap.fromBytes(Arrays.copyOf(map.toBytes(), 12)))
        .isInstanceOf(MemoryException.class).hasMessageContaining("corrupt");
  }

  @Test
  void a_page_map_knows_how_each_wrapped_line_goes_on_and_an_older_map_joins_with_a_space() {
    org.assertj.core.api.Assumptions.assumeThat(FontSet.findCjkFont())
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    RenderSpec spec = RenderSpec.builder().fonts(FontSet.defaults()).build();
    List<Turn> turns = List.of(new Turn("Mira", "The ferry leaves at nine. ".repeat(12).strip()),
        new Turn("Mira", "我们明天早上九点在码头见面。".repeat(12)),
        new Turn("Tomas", "first line\nsecond line"));
    PageLayout page = PageRenderer.java2d(spec).layout(turns).get(0);
    PageMap map = PageMap.of(page, new int[] {5, 6, 7}, turns.stream().map(Turn::text).toList(),
        false, spec.fonts());

    for (int turn = 0; turn < turns.size(); turn++) {
      StringBuilder text = new StringBuilder();
      for (int l = 0; l < page.lines().size(); l++) {
        LineLayout line = page.lines().get(l);
        if (line.turn() != turn) {
          continue;
        }
        String drawn = line.text().substring(line.labelLength());
        text.append(text.length() == 0 ? drawn : map.joiner(l - 1) + drawn);
      }
      assertThat(text.toString()).as("turn %d put back together", turn)
          .isEqualTo(turns.get(turn).text());
    }
    assertThat(map.lines()).extracting(PageMap.Line::end)
        .contains(PageMap.JOINED, PageMap.SPACE, PageMap.BREAK);
    assertThat(PageMap.fromBytes(map.toBytes())).isEqualTo(map);

    byte[] v4 = map.toBytes();
    byte[] v3 = Arrays.copyOf(v4, v4.length - map.lines().size());
    v3[0] = 3;
    PageMap older = PageMap.fromBytes(v3);
    assertThat(older.lines()).extracting(PageMap.Line::end).containsOnly(PageMap.UNKNOWN);
    assertThat(older.joiner(0)).isEqualTo(" ");

    byte[] corrupt = map.toBytes();
    corrupt[corrupt.length - 1] = 9;
    assertThatThrownBy(() -> PageMap.fromBytes(corrupt)).isInstanceOf(MemoryException.class)
        .hasMessageContaining("ends with 9");
  }
}
