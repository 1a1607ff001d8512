package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.ContextChoice;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportanceTest {
  @TempDir
  Path tmp;

  private OpticalMemory memory(String name, Salience salience) {
    return OpticalMemory.builder().decodeInBackground(false).path(tmp.resolve(name))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).salience(salience)
        .agingPolicy(AgingPolicy.byTokens(500, 1_000, 1_500, 2_500, 4_000).withImportance())
        .build();
  }

  private static Segment holding(OpticalMemory memory, String conversation, int turn) {
    return memory.segments(conversation).stream()
        .filter(s -> s.firstTurn() <= turn && turn <= s.lastTurn()).findFirst().orElseThrow();
  }

  @Test
  void a_pinned_turns_page_stops_at_base_while_its_neighbours_blur_and_moves_on_once_unpinned() {
    try (OpticalMemory memory = memory("pin", Salience.none())) {
      List<MemoryTurn> turns = Conversations.harbour(400, 3);
      for (int i = 0; i < 10; i++) {
        memory.append("c", turns.get(i));
      }
      assertThat(memory.pin("c", 3)).isTrue();
      assertThat(memory.pin("c", 3)).as("pinning again changes nothing").isFalse();
      assertThat(memory.pins("c")).containsExactly(3);
      for (int i = 10; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
      }
      Segment pinned = holding(memory, "c", 3);
      assertThat(pinned.importance().pinned()).isTrue();
      assertThat(pinned.tier()).isEqualTo(Tier.BASE);
      assertThat(memory.segments("c").get(pinned.index() + 1).tier())
          .as("the next page, as old, is not pinned").isIn(Tier.TINY, Tier.FORGOTTEN);

      assertThat(memory.unpin("c", 3)).isTrue();
      assertThat(memory.unpin("c", 3)).isFalse();
      memory.operations().age("c");
      assertThat(memory.operations().awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(holding(memory, "c", 3).tier()).isIn(Tier.TINY, Tier.FORGOTTEN);
    }
  }

  @Test
  void pins_of_unknown_conversations_or_turns_are_refused_with_the_value_and_change_nothing() {
    try (OpticalMemory memory = memory("bad", Salience.none())) {
      memory.append("c", MemoryTurn.user("Mira", "hello"));
      assertThatThrownBy(() -> memory.pin("nobody", 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
      assertThatThrownBy(() -> memory.pin("c", 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("turn must be between 0 and 0 in 'c', but is: 1");
      assertThatThrownBy(() -> memory.pin("c", -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: -1");
      assertThatThrownBy(() -> memory.pins("nobody"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
      assertThat(memory.pins("c")).isEmpty();
      assertThat(memory.unpin("c", 7)).isFalse();
    }
  }

  @Test
  void a_pin_storm_keeps_appending_and_aging_and_the_assembler_still_fits_the_budget() {
    try (OpticalMemory memory = memory("storm", Salience.none())) {
      List<MemoryTurn> turns = Conversations.harbour(300, 5);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        memory.pin("c", i);
      }
      assertThat(memory.pins("c")).hasSize(300);
      assertThat(memory.stats("c").turns()).isEqualTo(300);
      List<Segment> closed = memory.segments("c").stream().filter(s -> !s.open()).toList();
      assertThat(closed).as("every closed page aged, and stopped at BASE")
          .allMatch(s -> s.tier() == Tier.BASE || s.tier() == Tier.LARGE || s.tier() == Tier.TEXT)
          .anyMatch(s -> s.tier() == Tier.BASE);

      AssembledContext context = ContextAssembler.builder().memory(memory)
          .reader(VisionReader.deepSeekOcr()).build().assemble("c", 1_500);
      assertThat(context.totalTokens()).isLessThanOrEqualTo(1_500);
      assertThat(context.choices()).as("pinned pages give way only when nothing else is left")
          .anyMatch(c -> c.reason().endsWith("pinned, but nothing else was left"));
    }
  }

  @Test
  void the_assembler_keeps_a_pinned_page_at_base_or_above_while_other_pages_can_give_way() {
    try (OpticalMemory memory = memory("keep", Salience.none())) {
      List<MemoryTurn> turns = Conversations.harbour(300, 7);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        if (i == 3) {
          memory.pin("c", 3);
        }
      }
      Segment pinned = holding(memory, "c", 3);
      ContextAssembler assembler = ContextAssembler.builder().memory(memory)
          .reader(VisionReader.deepSeekOcr()).build();
      AssembledContext roomy = assembler.assemble("c", 50_000);
      AssembledContext tight = assembler.assemble("c", roomy.totalTokens() * 3 / 4);
      PageItem page = tight.images().stream().filter(i -> i.segment() == pinned.id())
          .findFirst().orElseThrow();
      assertThat(page.tier()).isIn(Tier.LARGE, Tier.BASE);
      assertThat(tight.choices()).as("other pages gave way: left out or sent smaller")
          .anyMatch(c -> c.segment() != pinned.id()
              && (c.leftOut() || c.sentTier() != c.storedTier()))
          .noneMatch(c -> c.segment() == pinned.id() && c.leftOut());
    }
  }

  @Test
  void a_recall_storm_counts_as_one_rehearsal_and_stalls_no_append() {
    try (OpticalMemory memory = memory("recall", Salience.none())) {
      List<MemoryTurn> turns = Conversations.harbour(120, 9);
      for (MemoryTurn turn : turns) {
        memory.append("c", turn);
      }
      Segment fact = holding(memory, "c", 3);
      assertThat(fact.tier().isImage()).as("%s", fact.tier()).isTrue();
      for (int i = 0; i < 10_000; i++) {
        assertThat(memory.recall("c", RecallRequest.of("locker code 4417").k(1))).isNotEmpty();
      }
      memory.append("c", MemoryTurn.user("Mira", "and one more thing"));
      Importance after = holding(memory, "c", 3).importance();
      assertThat(after.rehearsals()).isEqualTo(1);
      assertThat(after.tokensSinceRehearsed()).isBetween(0L, 50L);
      assertThat(memory.stats("c").turns()).isEqualTo(121);

      // Another storm right away is within the spacing: it does not count again.
      for (int i = 0; i < 100; i++) {
        memory.recall("c", RecallRequest.of("locker code 4417").k(1));
      }
      memory.append("c", MemoryTurn.user("Mira", "and another"));
      assertThat(holding(memory, "c", 3).importance().rehearsals()).isEqualTo(1);
    }
  }

  @Test
  void a_rehearsed_page_blurs_more_slowly_than_its_neighbours() {
    try (OpticalMemory memory = memory("slow", Salience.none())) {
      List<MemoryTurn> turns = Conversations.harbour(400, 11);
      int i = 0;
      for (; i < 120; i++) {
        memory.append("c", turns.get(i));
      }
      Segment fact = holding(memory, "c", 3);
      for (; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        if (i % 20 == 0) {
          memory.recall("c", RecallRequest.of("locker code 4417").k(1));
        }
      }
      Segment now = holding(memory, "c", 3);
      assertThat(now.importance().rehearsals()).as("14 recalls, counted at most once per spacing")
          .isBetween(2, 13);
      Segment neighbour = memory.segments("c").get(fact.index() + 1);
      assertThat(now.tier().isAbove(neighbour.tier()))
          .as("%s (rehearsed) against %s", now.tier(), neighbour.tier()).isTrue();
    }
  }

  @Test
  void salience_is_scored_at_append_and_kept_as_the_mean_of_each_segments_turns() {
    try (OpticalMemory memory = memory("salience", Salience.facts())) {
      memory.append("c", MemoryTurn.user("Mira", "haha ok"));
      memory.append("c", MemoryTurn.user("Mira",
          "My locker code is 4417 and I'm allergic to peanuts; the ferry leaves Thursday at 6."));
      double expected = (Salience.facts().score("haha ok") + Salience.facts().score(
          "My locker code is 4417 and I'm allergic to peanuts; the ferry leaves Thursday at 6."))
          / 2;
      assertThat(memory.segments("c").get(0).importance().salience())
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9)).isPositive();
    }
  }

  @Test
  void a_salience_scorer_that_fails_or_scores_out_of_range_fails_the_append_and_stores_nothing() {
    Salience failing = text -> {
      throw new IllegalStateException("model down");
    };
    try (OpticalMemory memory = memory("failing", failing)) {
      assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Mira", "hello")))
          .isInstanceOf(MemoryException.class).hasMessageContaining("salience scorer")
          .hasMessageContaining("5 characters").hasCauseInstanceOf(IllegalStateException.class);
      assertThat(memory.operations().contains("c")).isFalse();
    }
    for (double bad : new double[] {Double.NaN, -0.1, 1.5}) {
      try (OpticalMemory memory = memory("range" + bad, text -> bad)) {
        assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Mira", "hello")))
            .isInstanceOf(MemoryException.class).hasMessageContaining("must score 0 to 1, but"
                + " scored: " + bad);
        assertThat(memory.operations().contains("c")).isFalse();
      }
    }
  }

  @Test
  void a_huge_turn_and_binary_text_are_scored_and_appended_like_any_other() {
    try (OpticalMemory memory = memory("huge", Salience.facts())) {
      // A quarter of the longest turn the memory takes (256K characters, some 30 pages).
      String huge = "Invoice 77812 is due on Friday. ".repeat(OpticalMemory.DEFAULT_MAX_TURN_CHARS
          / 128);
      memory.append("c", MemoryTurn.user("Mira", huge));
      memory.append("c", MemoryTurn.user("Mira", "\u0001\u0002 \uFFFD binary \u0007"));
      assertThat(memory.stats("c").turns()).isEqualTo(2);
      assertThat(memory.segments("c")).hasSizeGreaterThan(3)
          .allSatisfy(s -> assertThat(s.importance().salience()).isBetween(0.0, 1.0));
      assertThat(memory.segments("c").get(0).importance().salience()).isGreaterThan(0.9);
    }
  }

  @Test
  void importance_ranges_are_checked_and_the_weights_grow_with_each_signal() {
    assertThatThrownBy(() -> new Importance(false, 1.5, 0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> new Importance(false, 0, -1, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThat(Importance.NONE.weight()).isEqualTo(1);
    Importance typical = new Importance(false, Importance.TYPICAL_SALIENCE, 0, -1);
    Importance salient = new Importance(false, 0.5, 0, -1);
    Importance rehearsed = new Importance(false, 0.5, 2, 10);
    Importance many = new Importance(false, 0.5, 40, 10);
    Importance pinned = new Importance(true, 0.5, 2, 10);
    Offset<Double> close = Offset.offset(1e-9);
    assertThat(typical.stability()).as("a typical page ages at the policy's pace").isCloseTo(1,
        close);
    assertThat(Importance.NONE.stability()).as("small talk faster").isCloseTo(1 / 1.46, close);
    assertThat(salient.stability()).isCloseTo(2 / 1.46, close);
    assertThat(rehearsed.stability()).isCloseTo(4 * 2 / 1.46, close);
    assertThat(many.stability()).as("capped").isCloseTo(16 * 2 / 1.46, close);
    assertThat(pinned.weight()).isGreaterThan(rehearsed.weight())
        .isGreaterThan(salient.weight());
    assertThat(pinned.describe()).isEqualTo("pinned, salience 0.50, recalled 2x");
  }

  @Test
  void with_importance_a_salient_page_blurs_later_a_pinned_one_stops_at_base_and_text_to_large_is_never_delayed() {
    AgingPolicy policy = AgingPolicy.recency().withImportance();
    AgingPolicy.SegmentAge plain = new AgingPolicy.SegmentAge(20_000, 100, Duration.ZERO, 10,
        Map.of());
    AgingPolicy.SegmentAge salient = new AgingPolicy.SegmentAge(20_000, 100, Duration.ZERO, 10,
        Map.of(), new Importance(false, 1, 0, -1));
    assertThat(policy.tierFor(plain)).isEqualTo(Tier.SMALL);
    assertThat(policy.tierFor(salient)).as("asked at 20,000 / 2.05 tokens").isEqualTo(Tier.BASE);
    AgingPolicy.SegmentAge typical = new AgingPolicy.SegmentAge(20_000, 100, Duration.ZERO, 10,
        Map.of(), new Importance(false, Importance.TYPICAL_SALIENCE, 0, -1));
    assertThat(policy.tierFor(typical)).as("a typical page ages as by recency")
        .isEqualTo(Tier.SMALL);
    AgingPolicy.SegmentAge smallTalk = new AgingPolicy.SegmentAge(25_000, 100, Duration.ZERO, 10,
        Map.of(), new Importance(false, 0, 0, -1));
    assertThat(AgingPolicy.recency().tierFor(smallTalk)).isEqualTo(Tier.SMALL);
    assertThat(policy.tierFor(smallTalk)).as("small talk sooner").isEqualTo(Tier.TINY);
    AgingPolicy.SegmentAge justClosed = new AgingPolicy.SegmentAge(2_500, 10, Duration.ZERO, 1,
        Map.of(), new Importance(false, 1, 4, 0));
    assertThat(policy.tierFor(justClosed)).as("the first page keeps every word")
        .isEqualTo(Tier.LARGE);
    AgingPolicy.SegmentAge ancient = new AgingPolicy.SegmentAge(10_000_000, 100_000,
        Duration.ofDays(400), 900, Map.of(), new Importance(true, 0, 0, -1));
    assertThat(policy.tierFor(ancient)).isEqualTo(Tier.BASE);
    assertThat(AgingPolicy.recency().tierFor(ancient)).isEqualTo(Tier.FORGOTTEN);
  }

  @Test
  void rehearsal_slows_aging_by_default_and_restarts_it_when_asked() {
    Importance recalledLately = new Importance(false, Importance.TYPICAL_SALIENCE, 1, 1_000);
    AgingPolicy.SegmentAge old = new AgingPolicy.SegmentAge(20_000, 100, Duration.ZERO, 10,
        Map.of(), recalledLately);
    assertThat(AgingPolicy.recency().withImportance().tierFor(old))
        .as("stability 2: asked at 10,000 tokens").isEqualTo(Tier.BASE);
    assertThat(AgingPolicy.recency().withImportance(AgingPolicy.Rehearsal.RESTARTS).tierFor(old))
        .as("asked at the 1,000 tokens since the rehearsal, but never back to TEXT")
        .isEqualTo(Tier.LARGE);
    AgingPolicy.SegmentAge never = new AgingPolicy.SegmentAge(20_000, 100, Duration.ZERO, 10,
        Map.of(), new Importance(false, Importance.TYPICAL_SALIENCE, 0, -1));
    assertThat(AgingPolicy.recency().withImportance(AgingPolicy.Rehearsal.RESTARTS).tierFor(never))
        .isEqualTo(Tier.SMALL);
    assertThatThrownBy(() -> AgingPolicy.recency().withImportance(null))
        .isInstanceOf(NullPointerException.class).hasMessage("rehearsal");
  }
}
