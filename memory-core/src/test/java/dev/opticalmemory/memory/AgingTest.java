package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgingTest {
  @TempDir Path tmp;

  @Test
  void with_a_fake_clock_a_time_policy_moves_segments_down_one_tier_at_a_time_and_reports_each_move() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Transition> moves = new CopyOnWriteArrayList<>();
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).clock(clock).listener(moves::add)
        .agingPolicy(AgingPolicy.byTime(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7),
            Duration.ofDays(30), Duration.ofDays(365)))
        .build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 4)) {
        memory.append("c", turn);
      }
      Segment first = memory.segments("c").get(0);
      assertThat(first.tier()).isEqualTo(Tier.TEXT);
      assertThat(memory.operations().turns("c", first.id())).isNotEmpty();
      clock.advance(Duration.ofHours(2));
      memory.operations().age("c");
      assertThat(memory.operations().segment("c", first.id()).tier()).isEqualTo(Tier.LARGE);
      assertThat(memory.operations().turns("c", first.id())).as("source text dropped at LARGE").isEmpty();
      clock.advance(Duration.ofDays(8));
      memory.operations().age("c");
      assertThat(memory.operations().segment("c", first.id()).tier()).isEqualTo(Tier.SMALL);
      clock.advance(Duration.ofDays(400));
      memory.operations().age("c");
      assertThat(memory.operations().segment("c", first.id()).tier()).isEqualTo(Tier.FORGOTTEN);
      List<Tier> path = new ArrayList<>();
      for (Transition t : moves) {
        if (t.segment() == first.id()) {
          path.add(t.to());
          assertThat(t.cause()).isEqualTo(Transition.Cause.AGED);
          assertThat(t.from().next()).isEqualTo(t.to());
        }
      }
      assertThat(path).containsExactly(Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY, Tier.FORGOTTEN);
    }
  }

  @Test
  void an_explicit_demotion_is_reported_as_explicit_and_cannot_move_a_segment_up() {
    List<Transition> moves = new CopyOnWriteArrayList<>();
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("e"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).listener(moves::add)
        .agingPolicy(AgingPolicy.fixed(Tier.TEXT)).retention(Retention.KEEP).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 4)) {
        memory.append("c", turn);
      }
      Segment first = memory.segments("c").get(0);
      Segment demoted = memory.operations().demote("c", first.id(), Tier.BASE, Transition.Cause.BUDGET);
      assertThat(demoted.tier()).isEqualTo(Tier.BASE);
      assertThat(demoted.visionTokens()).isEqualTo(256);
      assertThat(moves).extracting(Transition::to).containsExactly(Tier.LARGE, Tier.BASE);
      assertThat(moves).extracting(Transition::cause).containsOnly(Transition.Cause.BUDGET);
      assertThat(memory.operations().turns("c", first.id())).as("KEEP keeps the text").isNotEmpty();
      assertThatThrownBy(() -> memory.operations().demote("c", first.id(), Tier.LARGE, Transition.Cause.EXPLICIT))
          .hasMessage("segment " + first.id() + " is at BASE; it cannot move up to LARGE");
      Segment open = memory.segments("c").get(memory.segments("c").size() - 1);
      assertThatThrownBy(() -> memory.operations().demote("c", open.id(), Tier.BASE, Transition.Cause.EXPLICIT))
          .hasMessageContaining("is still open");
    }
  }

  @Test
  void background_work_left_undone_at_close_resumes_when_the_file_is_opened_again() {
    List<Runnable> neverRun = new ArrayList<>();
    Path file = tmp.resolve("resume");
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(file).fonts(FontSet.latinOnly())
        .executor(neverRun::add).agingPolicy(AgingPolicy.byTokens(100, 200, 300, 400, 100_000))
        .build()) {
      for (MemoryTurn turn : Conversations.harbour(150, 6)) {
        memory.append("c", turn);
      }
      assertThat(memory.segments("c")).allSatisfy(s -> assertThat(s.tier()).isEqualTo(Tier.TEXT));
      assertThat(neverRun).isNotEmpty();
    }
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).agingPolicy(AgingPolicy.byTokens(100, 200, 300, 400, 100_000))
        .build()) {
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(1))).isTrue();
      ConversationStats stats = memory.stats("c");
      assertThat(stats.pendingTransitions()).isZero();
      assertThat(stats.tiers().get(Tier.TINY)).isPositive();
    }
  }

  @Test
  void the_default_policy_leaves_a_six_hundred_turn_conversation_in_several_tiers() {
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("d"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).build()) {
      for (MemoryTurn turn : Conversations.harbour(600, 8)) {
        memory.append("c", turn);
      }
      ConversationStats stats = memory.stats("c");
      assertThat(stats.tiers().entrySet()).filteredOn(e -> e.getValue() > 0).hasSizeGreaterThanOrEqualTo(3);
      assertThat(stats.tiers().get(Tier.TEXT)).isPositive();
      assertThat(stats.tiers().get(Tier.BASE)).isPositive();
    }
  }

  @Test
  void a_fidelity_floor_stops_a_segment_above_the_tier_it_could_not_be_read_at() {
    AgingPolicy.SegmentAge age = new AgingPolicy.SegmentAge(1_000_000, 1000, Duration.ZERO, 50,
        java.util.Map.of(Tier.LARGE, 1.0, Tier.BASE, 0.99, Tier.SMALL, 0.80, Tier.TINY, 0.5));
    assertThat(AgingPolicy.fixed(Tier.TINY).tierFor(age)).isEqualTo(Tier.TINY);
    assertThat(AgingPolicy.fixed(Tier.TINY).withFidelityFloor(0.9).tierFor(age)).isEqualTo(Tier.BASE);
    assertThat(AgingPolicy.fixed(Tier.FORGOTTEN).withFidelityFloor(0.9).tierFor(age))
        .isEqualTo(Tier.FORGOTTEN);
    assertThat(AgingPolicy.recency().tierFor(new AgingPolicy.SegmentAge(1_999, 0, Duration.ZERO, 1,
        java.util.Map.of()))).isEqualTo(Tier.TEXT);
    assertThat(AgingPolicy.recency().tierFor(new AgingPolicy.SegmentAge(6_000, 0, Duration.ZERO, 1,
        java.util.Map.of()))).isEqualTo(Tier.BASE);
    Importance typical = new Importance(false, Importance.TYPICAL_SALIENCE, 0, -1);
    assertThat(AgingPolicy.defaults().tierFor(new AgingPolicy.SegmentAge(1_999, 0, Duration.ZERO, 1,
        java.util.Map.of(), typical))).as("a typical page: the recency thresholds")
        .isEqualTo(Tier.TEXT);
    assertThat(AgingPolicy.defaults().tierFor(new AgingPolicy.SegmentAge(1_999, 0, Duration.ZERO, 1,
        java.util.Map.of()))).as("small talk (salience 0) leaves text sooner").isEqualTo(Tier.LARGE);
  }
}
