package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Contexts shaped by the user's message: relevance, focus, and pages before recent text. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FocusedContextTest {
  static final String FACT = "The lighthouse keeper's parrot is called Bartholomew.";
  OpticalMemory memory;
  long factSegment;

  @BeforeAll
  void open(@TempDir Path tmp) {
    memory = OpticalMemory.builder().decodeInBackground(false).path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build();
    List<MemoryTurn> turns = Conversations.harbour(400, 3);
    for (int i = 0; i < turns.size(); i++) {
      memory.append("c", i == 150 ? MemoryTurn.user("Mira", FACT) : turns.get(i));
    }
    factSegment = memory.segments("c").stream()
        .filter(s -> s.firstTurn() <= 150 && 150 <= s.lastTurn()).findFirst().orElseThrow().id();
  }

  @AfterAll
  void close() {
    memory.close();
  }

  @Test
  void relevance_scores_the_segment_that_holds_the_words_highest_from_the_index_alone() {
    Map<Long, Double> relevance = memory.operations().relevance("c", "What is the parrot called, Bartholomew?");

    assertThat(relevance).containsEntry(factSegment, 1.0);
    assertThat(relevance.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    assertThat(memory.operations().relevance("c", "?!")).isEmpty();
    assertThat(memory.operations().relevance("c", "zeppelin")).isEmpty();
  }

  @Test
  void a_word_on_most_pages_gets_a_relevance_of_at_least_zero_and_a_focused_context_takes_it() {
    Map<String, java.util.Set<Long>> pagesOf = new java.util.HashMap<>();
    List<MemoryTurn> turns = Conversations.harbour(400, 3);
    for (Segment s : memory.segments("c")) {
      for (MemoryTurn t : turns.subList(s.firstTurn(), s.lastTurn() + 1)) {
        for (String w : t.text().toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) {
          if (w.length() > 3) {
            pagesOf.computeIfAbsent(w, k -> new java.util.HashSet<>()).add(s.id());
          }
        }
      }
    }
    String common = pagesOf.entrySet().stream()
        .max(java.util.Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
    assertThat(pagesOf.get(common).size()).as(common).isGreaterThan(memory.segments("c").size() / 2);
    Map<Long, Double> relevance = memory.operations().relevance("c", common);
    assertThat(relevance.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    ContextAssembler assembler = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.deepSeekOcr()).build();
    assertThat(assembler.assemble("c", 2000, relevance).totalTokens()).isPositive();
  }

  @Test
  void relevance_rehearses_nothing_and_names_a_bad_argument() {
    Map<Long, Integer> before = rehearsals();
    for (int i = 0; i < 1_000; i++) {
      memory.operations().relevance("c", "parrot Bartholomew");
    }
    memory.append("c", MemoryTurn.user("Tomas", "The tide turns at noon."));

    assertThat(rehearsals()).isEqualTo(before);
    assertThatThrownBy(() -> memory.operations().relevance("nobody", "parrot"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
    assertThatThrownBy(() -> memory.operations().relevance("c", null))
        .isInstanceOf(NullPointerException.class).hasMessage("query");
  }

  private Map<Long, Integer> rehearsals() {
    Map<Long, Integer> counts = new HashMap<>();
    memory.segments("c").forEach(s -> counts.put(s.id(), s.importance().rehearsals()));
    return counts;
  }

  @Test
  void a_focused_context_keeps_the_page_the_question_points_to_sharper_than_an_unfocused_one() {
    ContextAssembler assembler = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.deepSeekOcr()).build();
    Map<Long, Double> focus = new HashMap<>(memory.operations().relevance("c", "parrot Bartholomew"));
    focus.replaceAll((id, v) -> v * 16);
    boolean sharper = false;
    for (int budget : new int[] {700, 900, 1_200, 1_600}) {
      AssembledContext plain = assembler.assemble("c", budget);
      AssembledContext focused = assembler.assemble("c", budget, focus);
      assertThat(focused.totalTokens()).isLessThanOrEqualTo(budget);
      Tier without = tierOf(plain, factSegment);
      Tier with = tierOf(focused, factSegment);
      assertThat(with).as("at %d", budget).isNotEqualTo(Tier.FORGOTTEN);
      assertThat(without.isAbove(with)).as("at %d: %s unfocused, %s focused", budget, without,
          with).isFalse();
      sharper |= with.isAbove(without);
    }
    assertThat(sharper).as("at some budget the focused page goes sharper").isTrue();
    assertThat(assembler.assemble("c", 1_200, Map.of())).isEqualTo(assembler.assemble("c", 1_200));
    assertThatThrownBy(() -> assembler.assemble("c", 1_200, Map.of(factSegment, -1.0)))
        .hasMessage("focus of segment " + factSegment + " must be a finite number at least 0,"
            + " but is: -1.0");
  }

  /** The tier a segment is sent at; FORGOTTEN where it is left out. */
  private static Tier tierOf(AssembledContext context, long segment) {
    return context.images().stream().filter(i -> i.segment() == segment).map(ContextItem::tier)
        .findFirst().orElse(Tier.FORGOTTEN);
  }

  @Test
  void pages_before_text_spends_a_tight_budget_on_the_history_and_keeps_only_the_floor_as_text() {
    ContextAssembler textFirst = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.deepSeekOcr()).build();
    ContextAssembler pagesFirst = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.deepSeekOcr()).pagesBeforeText(true).build();
    for (int budget : new int[] {900, 1_500}) {
      AssembledContext a = textFirst.assemble("c", budget);
      AssembledContext b = pagesFirst.assemble("c", budget);
      assertThat(b.totalTokens()).isLessThanOrEqualTo(budget);
      assertThat(b.texts()).as("the floor's 4 turns").hasSize(4);
      assertThat(a.texts()).hasSizeGreaterThan(4);
      assertThat(b.imageTokens()).as("at %d", budget).isGreaterThan(a.imageTokens());
      assertThat(b.texts()).extracting(TextItem::turnNumber)
          .isEqualTo(a.texts().subList(a.texts().size() - 4, a.texts().size()).stream()
              .map(TextItem::turnNumber).toList());
    }
  }

  @Test
  void a_larger_page_font_puts_fewer_tokens_on_each_page_and_a_size_out_of_range_is_refused(
      @TempDir Path tmp) {
    try (OpticalMemory big = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("big")).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .pageFontSize(25).build()) {
      Conversations.harbour(300, 3).forEach(t -> big.append("c", t));
      double perPage = big.segments("c").stream().filter(s -> !s.open())
          .mapToInt(Segment::textTokens).average().orElseThrow();
      double usual = memory.segments("c").stream().filter(s -> !s.open())
          .mapToInt(Segment::textTokens).average().orElseThrow();
      assertThat(perPage).isLessThan(usual * 0.8);
    }
    assertThatThrownBy(() -> OpticalMemory.builder().pageFontSize(4))
        .hasMessage("pageFontSize must be between 8 and 64 pixels, but is: 4.0");
  }
}
