package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the memory over each store: an H2 file ({@link H2FileMemoryTest}), an H2 in-memory
 * database ({@link H2InMemoryMemoryTest}) and PostgreSQL ({@link PostgresMemoryTest}).
 */
abstract class MemoryContractTest {
  static final AtomicInteger NAMES = new AtomicInteger();

  OpticalMemory memory;

  abstract OpticalMemoryBuilder store();

  @BeforeEach
  void open() {
    memory = store().fonts(FontSet.latinOnly()).executor(Runnable::run).build();
  }

  @AfterEach
  void close() {
    // Null where open() was skipped (no PostgreSQL server): the test then reports as skipped.
    if (memory != null) {
      memory.close();
    }
  }

  @Test
  void appended_turns_are_numbered_in_order_and_packed_into_page_sized_segments() {
    List<MemoryTurn> turns = Conversations.harbour(200, 7);
    for (int i = 0; i < turns.size(); i++) {
      assertThat(memory.append("c", turns.get(i))).isEqualTo(i);
    }
    List<Segment> segments = memory.segments("c");
    assertThat(segments).hasSizeGreaterThan(2);
    assertThat(segments.get(0).firstTurn()).isZero();
    assertThat(segments.get(segments.size() - 1).lastTurn()).isEqualTo(199);
    for (int i = 1; i < segments.size(); i++) {
      assertThat(segments.get(i).firstTurn()).isEqualTo(segments.get(i - 1).lastTurn() + 1);
      assertThat(segments.get(i).index()).isEqualTo(i);
    }
    assertThat(segments).filteredOn(Segment::open).singleElement()
        .satisfies(s -> assertThat(s.tier()).isEqualTo(Tier.TEXT));
    assertThat(memory.stats("c").turns()).isEqualTo(200);
    assertThat(memory.stats("c").textTokens())
        .isEqualTo(segments.stream().mapToLong(Segment::textTokens).sum());
  }

  @Test
  void pages_are_decoded_in_the_background_and_recall_then_reads_the_stored_lines() {
    memory.close(); // one owner per database
    try (dev.opticalmemory.ocr.OcrEngine paddle = dev.opticalmemory.ocr.PaddleOcr.builder()
        .build()) {
      BackgroundDecodeTest.Counting ocr = new BackgroundDecodeTest.Counting(paddle);
      try (OpticalMemory decoding = store().decodeInBackground(true).fonts(FontSet.latinOnly())
          .readOwnPages(false).executor(Runnable::run).retention(Retention.KEEP).ocr(ocr)
          .agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
        decodeAndRecall(decoding, ocr);
      }
    }
    memory = store().fonts(FontSet.latinOnly()).executor(Runnable::run).build();
  }

  private static void decodeAndRecall(OpticalMemory decoding, BackgroundDecodeTest.Counting ocr) {
    {
      for (MemoryTurn turn : Conversations.harbour(60, 11)) {
        decoding.append("c", turn);
      }
      Segment first = decoding.segments("c").get(0);
      assertThat(first.tier()).isEqualTo(Tier.TINY);
      assertThat(first.fidelity()).containsOnlyKeys(Tier.TINY);
      assertThat(decoding.recall("c", RecallRequest.of("locker code").k(1)).get(0).text()).contains("4417");
      assertThat(decoding.decode("c", first.id()).text()).contains("4417");
      long closed = decoding.segments("c").stream().filter(s -> !s.open()).count();
      assertThat(ocr.reads.get()).as("each closed page once, none for recall").isEqualTo(closed);
    }
  }

  @Test
  void turns_keep_role_speaker_timestamp_and_attributes() {
    Instant at = Instant.parse("2023-05-08T13:56:00Z");
    memory.append("c", new MemoryTurn(Role.ASSISTANT, "Bot", "Noted: locker 14.", at,
        Map.of("id", "m-1", "odd=key", "line\nbreak\\")));
    MemoryTurn stored = memory.operations().turns("c", memory.segments("c").get(0).id()).get(0);
    assertThat(stored).isEqualTo(new MemoryTurn(Role.ASSISTANT, "Bot", "Noted: locker 14.", at,
        Map.of("id", "m-1", "odd=key", "line\nbreak\\")));
  }

  @Test
  void segments_age_through_the_tiers_and_recall_reads_the_images_back() {
    memory.close(); // one owner per database: the aging memory below opens the same one
    try (OpticalMemory aging = store().fonts(FontSet.latinOnly()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.byTokens(500, 1_500, 3_000, 4_500, 6_000)).build()) {
      for (MemoryTurn turn : Conversations.harbour(500, 3)) {
        aging.append("c", turn);
      }
      ConversationStats stats = aging.stats("c");
      assertThat(stats.tiers()).allSatisfy((tier, n) -> {
        if (tier != Tier.TEXT) {
          assertThat(n).as("segments at %s in %s", tier, stats.tiers()).isPositive();
        }
      });
      assertThat(stats.pendingTransitions()).isZero();
      Segment tiny = aging.segments("c").stream().filter(s -> s.tier() == Tier.TINY).findFirst()
          .orElseThrow();
      assertThat(tiny.visionTokens()).isEqualTo(64);
      assertThat(aging.operations().image("c", tiny.id())).isPresent();
      Segment base = aging.segments("c").stream().filter(s -> s.tier() == Tier.BASE).findFirst()
          .orElseThrow();
      byte[] png = aging.png("c", base.id()).orElseThrow();
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
      assertThat(dev.opticalmemory.renderer.PageImages.decode(png).getWidth()).isEqualTo(1024);
      assertThat(aging.operations().image("c", base.id()).orElseThrow())
          .as("BASE is stored context-coded, not as PNG").startsWith('O', 'M', 'B', '1');
      assertThat(aging.operations().turns("c", tiny.id())).as("text is dropped by default").isEmpty();
      Segment forgotten = aging.segments("c").get(0);
      assertThat(forgotten.tier()).isEqualTo(Tier.FORGOTTEN);
      assertThat(forgotten.storedBytes()).isZero();
      assertThat(aging.operations().image("c", forgotten.id())).isEmpty();
    }
  }

  @Test
  void unknown_conversations_and_segments_are_clear_errors() {
    memory.append("c", MemoryTurn.user("A", "hello"));
    assertThatThrownBy(() -> memory.segments("nobody"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversation is unknown: 'nobody'");
    assertThatThrownBy(() -> memory.stats("nobody")).hasMessage("conversation is unknown: 'nobody'");
    assertThatThrownBy(() -> memory.recall("nobody", RecallRequest.of("x").k(3)))
        .hasMessage("conversation is unknown: 'nobody'");
    assertThatThrownBy(() -> memory.operations().segment("c", 987654))
        .hasMessage("segment 987654 is unknown in conversation 'c'");
    long other = memory.segments("c").get(0).id();
    memory.append("d", MemoryTurn.user("B", "hi"));
    assertThatThrownBy(() -> memory.operations().segment("d", other))
        .hasMessage("segment " + other + " is unknown in conversation 'd'");
  }

  @Test
  void attached_bytes_come_back_by_their_reference_in_their_conversation_only() {
    byte[] photo = new byte[300_000];
    new java.util.Random(5).nextBytes(photo);
    String ref = memory.operations().attach("album", photo);
    assertThat(ref).matches("sha256:[0-9a-f]{64}");
    assertThat(memory.operations().attach("album", photo.clone())).as("the same bytes, kept once").isEqualTo(ref);
    assertThat(memory.operations().contains("album")).as("attaching created the conversation").isTrue();
    assertThat(memory.operations().attachment("album", ref)).hasValue(photo);
    memory.operations().attach("other", new byte[] {1});
    assertThat(memory.operations().attachment("other", ref)).as("another conversation's").isEmpty();
    assertThat(memory.operations().attachment("album", "sha256:" + "0".repeat(64))).isEmpty();
    assertThat(memory.operations().attachment("album", "../etc/passwd")).isEmpty();
    assertThatThrownBy(() -> memory.operations().attach("album", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds: 0");
    memory.forget("album");
    assertThat(memory.operations().attachment("album", ref)).as("forgotten with its conversation").isEmpty();
  }

  @Test
  void forgetting_a_conversation_removes_it_and_leaves_the_others() {
    memory.append("a", MemoryTurn.user("A", "alpha"));
    memory.append("b", MemoryTurn.user("B", "beta"));
    assertThat(memory.forget("a")).isTrue();
    assertThat(memory.forget("a")).isFalse();
    assertThat(memory.conversations()).containsExactly("b");
    assertThat(memory.operations().contains("b")).isTrue();
    assertThat(memory.operations().contains("a")).isFalse();
    assertThat(memory.operations().contains("x' OR '1'='1")).isFalse();
    assertThat(memory.append("a", MemoryTurn.user("A", "again"))).isZero();
  }
}
