package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recall through the real PP-OCR engine on pages the memory rendered and aged. */
class RecallTest {
  private static OcrEngine ocr;
  @TempDir Path tmp;

  @BeforeAll
  static void loadEngine() {
    ocr = PaddleOcr.builder().build();
  }

  @AfterAll
  static void closeEngine() {
    ocr.close();
  }

  private OpticalMemory memory(String name, AgingPolicy policy) {
    return OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve(name)).fonts(FontSet.latinOnly()).ocr(ocr)
        .executor(Runnable::run).agingPolicy(policy).build();
  }

  @Test
  void a_fact_planted_early_is_recalled_from_a_small_image_by_decoding_only_its_lines() {
    try (OpticalMemory memory = memory("small", AgingPolicy.fixed(Tier.SMALL))) {
      for (MemoryTurn turn : Conversations.harbour(300, 11)) {
        memory.append("c", turn);
      }
      List<Recollection> found = memory.recall("c", RecallRequest.of("locker code spare key").k(2));
      assertThat(found).isNotEmpty();
      Recollection best = found.get(0);
      assertThat(best.tier()).isEqualTo(Tier.SMALL);
      assertThat(best.wholePage()).isFalse();
      assertThat(best.firstTurn()).isLessThanOrEqualTo(3);
      assertThat(best.lastTurn()).isGreaterThanOrEqualTo(3);
      assertThat(best.text()).contains("4417").contains("anchor");
      assertThat(best.text().lines().count()).isLessThanOrEqualTo(8);
      assertThat(best.fidelity()).isEmpty();
      assertThat(best.wordAccuracy()).isEmpty();
      // Turns, each with its number and time: the matching one and its neighbours on the page.
      RecalledTurn fact = best.turns().stream().filter(t -> t.turn() == 3).findFirst()
          .orElseThrow();
      assertThat(fact.match()).isTrue();
      assertThat(fact.text()).contains("4417");
      assertThat(fact.time()).isNotNull();
      assertThat(best.turns()).extracting(RecalledTurn::turn).contains(2, 3, 4).isSorted();
      assertThat(best.turns()).filteredOn(t -> t.turn() == 2 || t.turn() == 4)
          .allSatisfy(t -> assertThat(t.text()).startsWith("Mira").doesNotContain("4417"));
      assertThat(best.turns()).allSatisfy(t -> assertThat(t.time()).isNotNull());
      assertThat(best.time()).isEqualTo(best.turns().get(0).time());
      assertThat(best.firstTurn()).isEqualTo(best.turns().get(0).turn());

      long misses = memory.operations().cacheStatistics().misses();
      long hits = memory.operations().cacheStatistics().hits();
      List<Recollection> again = memory.recall("c", RecallRequest.of("locker code spare key").k(2));
      assertThat(again.get(0).text()).isEqualTo(best.text());
      // The lines read by OCR come from the cache; only the look-up of stored decoded lines (not
      // cached while absent, so that a page decoded meanwhile is used at once) misses again.
      long images = again.stream().filter(r -> r.tier().isImage()).count();
      assertThat(memory.operations().cacheStatistics().hits()).isGreaterThanOrEqualTo(hits + images);
      assertThat(memory.operations().cacheStatistics().misses()).isEqualTo(misses + images);
    }
  }

  @Test
  void a_whole_page_decodes_close_to_its_source_at_base() {
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("page"))
        .fonts(FontSet.latinOnly()).ocr(ocr).executor(Runnable::run)
        .agingPolicy(AgingPolicy.fixed(Tier.BASE)).retention(Retention.KEEP).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 12)) {
        memory.append("c", turn);
      }
      Segment first = memory.segments("c").get(0);
      assertThat(first.tier()).isEqualTo(Tier.BASE);
      Recollection page = memory.decode("c", first.id());
      assertThat(page.wholePage()).isTrue();
      StringBuilder truth = new StringBuilder();
      for (MemoryTurn turn : memory.operations().turns("c", first.id())) {
        truth.append(turn.speaker()).append(": ").append(turn.text()).append('\n');
      }
      assertThat(TextMetrics.precision(page.text(), truth.toString())).isGreaterThan(0.98);
    }
  }

  /** Twenty turns that all speak of the harbour; one names the lighthouse keeper. */
  private static void harbourTalk(OpticalMemory memory) {
    for (int i = 0; i < 20; i++) {
      memory.append("c", i == 9
          ? MemoryTurn.user("Mira", "At the harbour the lighthouse keeper said the lamp is fixed.")
          : MemoryTurn.user(i % 2 == 0 ? "Mira" : "Olav", "The harbour was busy again today,"
              + " message " + i + " of the day."));
    }
  }

  @Test
  void a_query_marks_the_turns_with_its_rarer_words_not_every_turn_with_a_common_one() {
    try (OpticalMemory memory = memory("marks", AgingPolicy.fixed(Tier.TEXT))) {
      harbourTalk(memory);
      List<Recollection> found = memory.recall("c", RecallRequest.of("what did the harbour keeper tell us").k(1));
      assertThat(found).singleElement().satisfies(r -> {
        assertThat(r.tier()).isEqualTo(Tier.TEXT);
        assertThat(r.turns()).filteredOn(RecalledTurn::match).extracting(RecalledTurn::turn)
            .containsExactly(9);
      });
    }
  }

  @Test
  void on_a_page_a_query_marks_the_lines_with_its_rarer_words_not_every_line_with_a_common_one() {
    try (OpticalMemory memory = memory("page-marks", AgingPolicy.fixed(Tier.BASE))) {
      harbourTalk(memory);
      for (MemoryTurn turn : Conversations.harbour(120, 13)) {
        memory.append("c", turn); // closes the first page, and gives the index other pages
      }
      List<Recollection> found = memory.recall("c", RecallRequest.of("what did the harbour keeper tell us").k(1));
      assertThat(found).singleElement().satisfies(r -> {
        assertThat(r.tier()).isEqualTo(Tier.BASE);
        assertThat(r.turns()).filteredOn(RecalledTurn::match).extracting(RecalledTurn::turn)
            .containsExactly(9);
      });
    }
  }

  @Test
  void text_segments_are_recalled_verbatim_and_forgotten_ones_never() {
    try (OpticalMemory memory = memory("text", AgingPolicy.fixed(Tier.FORGOTTEN))) {
      for (MemoryTurn turn : Conversations.harbour(120, 13)) {
        memory.append("c", turn);
      }
      memory.append("c", MemoryTurn.user("Mira", "The new locker code is 9902."));
      List<Recollection> found = memory.recall("c", RecallRequest.of("locker code").k(5));
      assertThat(found).singleElement().satisfies(r -> {
        assertThat(r.tier()).isEqualTo(Tier.TEXT);
        assertThat(r.fidelity()).hasValue(1.0);
        assertThat(r.wordAccuracy()).hasValue(1.0);
        // The matching turn verbatim, after its neighbour (the turn before; none after it yet).
        assertThat(r.turns()).hasSize(2);
        assertThat(r.turns().get(0).match()).isFalse();
        assertThat(r.turns().get(0).turn()).isEqualTo(119);
        assertThat(r.turns().get(1)).satisfies(t -> {
          assertThat(t.turn()).isEqualTo(120);
          assertThat(t.match()).isTrue();
          assertThat(t.text()).isEqualTo("Mira: The new locker code is 9902.");
          assertThat(t.time()).isNotNull();
        });
        assertThat(r.text()).endsWith("\nMira: The new locker code is 9902.");
      });
    }
  }

  @Test
  void measured_fidelity_is_stored_per_tier_and_a_floor_stops_aging_where_reading_fails() {
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("fidelity"))
        .fonts(FontSet.latinOnly()).ocr(ocr).readOwnPages(false).executor(Runnable::run)
        .measureFidelity(true)
        .agingPolicy(AgingPolicy.fixed(Tier.TINY).withFidelityFloor(0.9999)).build()) {
      for (MemoryTurn turn : Conversations.harbour(60, 14)) {
        memory.append("c", turn);
      }
      Segment first = memory.segments("c").get(0);
      assertThat(first.fidelity()).containsOnlyKeys(Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY);
      assertThat(first.fidelity().get(Tier.LARGE)).isGreaterThan(0.99);
      assertThat(first.fidelity().get(Tier.TINY)).isLessThan(first.fidelity().get(Tier.LARGE));
      assertThat(first.wordAccuracy()).containsOnlyKeys(first.fidelity().keySet());
      assertThat(first.wordAccuracy().get(Tier.LARGE)).isGreaterThan(0.95);
      assertThat(first.wordAccuracy().get(Tier.TINY))
          .isLessThanOrEqualTo(first.wordAccuracy().get(Tier.LARGE));
      Tier expected = Tier.TEXT;
      for (Tier t = Tier.LARGE; t != Tier.FORGOTTEN; t = t.next()) {
        if (first.fidelity().get(t) < 0.9999) {
          break;
        }
        expected = t;
      }
      assertThat(first.tier()).isEqualTo(expected);
    }
  }
}
