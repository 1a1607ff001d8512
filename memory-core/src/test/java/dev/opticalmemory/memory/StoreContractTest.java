package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link MemoryStore}, through its interface alone: an H2 file
 * ({@link H2FileStoreTest}), H2 in memory ({@link H2InMemoryStoreTest}) and PostgreSQL
 * ({@link PostgresStoreTest}).
 */
abstract class StoreContractTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  MemoryStore store;

  abstract MemoryStore open();

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private MemoryStore.StoredPart part(int turn, int part, String text) {
    return new MemoryStore.StoredPart(turn, part, Role.USER, "Ann", text, T0.plusSeconds(turn),
        null);
  }

  /** A conversation with one open segment holding two turns; returns the segment's id. */
  private long twoTurns(String conversation) {
    return store.write("test", (MemoryStore.Session s) -> {
      s.createConversation(conversation, T0);
      long id = s.createSegment(conversation, 0, 0, T0);
      s.insertPart(conversation, id, part(0, 0, "first"), 5, 2, "k0");
      s.growSegment(id, 0, 5, 2, 0.5);
      s.insertPart(conversation, id, part(1, 0, "second"), 6, 2, null);
      s.growSegment(id, 1, 6, 2, 0.25);
      s.updateConversation(conversation, new MemoryStore.Totals(2, 4, 1));
      return id;
    });
  }

  @Test
  void salience_pins_and_spaced_rehearsals_read_back_as_the_segments_importance() {
    long id = twoTurns("c");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.segments("c")).get(0).importance())
        .isEqualTo(new Importance(false, 0.375, 0, -1));
    store.write("close", (MemoryStore.Session s) -> {
      s.closeSegment(id, 4, 2, T0);
      s.updateConversation("c", new MemoryStore.Totals(2, 1_000, 1));
      return null;
    });
    assertThat(store.write("pin", (MemoryStore.Session s) -> s.pin("c", 1, T0))).isTrue();
    assertThat(store.write("pin again", (MemoryStore.Session s) -> s.pin("c", 1, T0))).isFalse();
    assertThat(store.write("rehearse", (MemoryStore.Session s) -> s.rehearse(id, 1_000, 500)))
        .isTrue();
    assertThat(store.write("too soon", (MemoryStore.Session s) -> s.rehearse(id, 1_200, 500)))
        .as("within the spacing").isFalse();
    store.write("more", (MemoryStore.Session s) -> {
      s.updateConversation("c", new MemoryStore.Totals(2, 1_600, 1));
      return null;
    });
    assertThat(store.write("spaced", (MemoryStore.Session s) -> s.rehearse(id, 1_600, 500)))
        .isTrue();
    Importance read = store.read("t", (MemoryStore.Session s) -> s.segments("c")).get(0)
        .importance();
    assertThat(read).isEqualTo(new Importance(true, 0.375, 2, 0));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.closedSegments("c")).get(0)
        .importance()).isEqualTo(read);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.pins("c"))).containsExactly(1);
    assertThat(store.write("unpin", (MemoryStore.Session s) -> s.unpin("c", 1))).isTrue();
    assertThat(store.write("unpin again", (MemoryStore.Session s) -> s.unpin("c", 1))).isFalse();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.segment("c", id)).orElseThrow()
        .importance().pinned()).isFalse();
  }

  @Test
  void a_conversation_is_created_once_and_its_counters_and_open_segment_read_back() {
    long id = twoTurns("c");
    store.write("again", (MemoryStore.Session s) -> {
      s.createConversation("c", T0.plusSeconds(60)); // already there: nothing changes
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.conversation("c")))
        .contains(new MemoryStore.Totals(2, 4, 1));
    MemoryStore.OpenSegment open = store.read("t", (MemoryStore.Session s) -> s.openSegment("c")).orElseThrow();
    assertThat(open.id()).isEqualTo(id);
    assertThat(open.chars()).isEqualTo(11);
    assertThat(open.parts()).extracting(MemoryStore.StoredPart::text)
        .containsExactly("first", "second");
    assertThat(open.parts().get(1).at()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.conversations())).containsExactly("c");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.unsettledConversations())).containsExactly("c");
    store.write("t", (MemoryStore.Session s) -> {
      s.markSettled("c", 1); // a turn came in since the work began: still unsettled
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.unsettledConversations()))
        .containsExactly("c");
    store.write("t", (MemoryStore.Session s) -> {
      s.markSettled("c", 2);
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.unsettledConversations())).isEmpty();
  }

  @Test
  void turn_keys_are_found_in_their_conversation_only() {
    twoTurns("c");
    twoTurns("d");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.turnByKey("c", "k0"))).hasValue(0);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.turnByKey("c", "k1"))).isEmpty();
    assertThatThrownBy(() -> store.write("a duplicate key", (MemoryStore.Session s) -> {
      long id = s.openSegment("c").orElseThrow().id();
      s.insertPart("c", id, part(2, 0, "third"), 5, 2, "k0");
      return null;
    })).isInstanceOf(MemoryException.class)
        .hasMessageStartingWith("database error while a duplicate key (");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.parts(s.openSegment("c").orElseThrow().id()))).hasSize(2);
  }

  @Test
  void a_failed_write_leaves_nothing_of_itself() {
    long id = twoTurns("c");
    assertThatThrownBy(() -> store.write("a write that fails half-way", (MemoryStore.Session s) -> {
      s.insertPart("c", id, part(2, 0, "third"), 5, 2, null);
      s.updateConversation("c", new MemoryStore.Totals(3, 6, 1));
      throw new IllegalStateException("the process fails here");
    })).hasMessage("the process fails here");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.parts(id))).hasSize(2);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.conversation("c")))
        .contains(new MemoryStore.Totals(2, 4, 1));
  }

  @Test
  void a_page_is_stored_once_and_a_tier_moves_once() {
    long id = twoTurns("c");
    store.write("close", (MemoryStore.Session s) -> {
      s.closeSegment(id, 4, 2, T0.plusSeconds(5));
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.unrenderedSegments("c"))).containsExactly(id);
    PageMap map = new PageMap(1280, 1280, List.of(new PageMap.Line(0, 10, 20),
        new PageMap.Line(1, 30, 20)));
    Map<String, MemoryStore.TermRow> terms = Map.of("first", new MemoryStore.TermRow(1,
        new TreeSet<>(List.of(0))), "second", new MemoryStore.TermRow(2, new TreeSet<>(List.of(1))));
    byte[] large = {1, 2, 3};
    assertThat(store.write("page", (MemoryStore.Session s) -> {
      boolean stored = s.storePage(id, map, terms, Map.of(Tier.LARGE, new MemoryStore.Fidelity(0.99, 0.95)));
      s.putImage(id, new MemoryStore.StoredImage(Tier.LARGE, "GRAY8_PNG", 1280, 1280, 400,
          large, T0));
      return stored;
    })).isTrue();
    assertThat(store.write("page again", (MemoryStore.Session s) -> s.storePage(id, map, terms, Map.of()))).isFalse();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.pageMap(id))).contains(map);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.fidelity(id))).isEqualTo(Map.of(Tier.LARGE, new MemoryStore.Fidelity(0.99, 0.95)));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.indexedLengths("c"))).isEqualTo(Map.of(id, 3));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.indexRows("c", List.of("second", "nothing"))))
        .containsExactly(new MemoryStore.IndexRow(id, "second", 2, new TreeSet<>(List.of(1))));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.unrenderedSegments("c"))).isEmpty();

    assertThat(store.write("move", (MemoryStore.Session s) -> s.moveTier(id, Tier.TEXT, Tier.LARGE))).isTrue();
    assertThat(store.write("move again", (MemoryStore.Session s) -> s.moveTier(id, Tier.TEXT, Tier.LARGE))).isFalse();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.segment("c", id)).orElseThrow().tier())
        .isEqualTo(Tier.LARGE);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.image(id, Tier.LARGE))).hasValueSatisfying(
        bytes -> assertThat(bytes).isEqualTo(large));
    // An image of a tier is replaced, not doubled.
    store.write("image again", (MemoryStore.Session s) -> {
      s.putImage(id, new MemoryStore.StoredImage(Tier.LARGE, "GRAY8_PNG", 1280, 1280, 400,
          new byte[] {9}, T0));
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.image(id, Tier.LARGE))).hasValueSatisfying(
        bytes -> assertThat(bytes).containsExactly(9));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.segment("c", id)).orElseThrow().storedBytes())
        .isEqualTo(1 + 2L * 11);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.closedSegments("c")))
        .singleElement().satisfies(c -> assertThat(c.decoded()).isFalse());
    // Lines decoded in the background: stored line by line, the whole page's text beside them.
    assertThat(store.write("lines", (MemoryStore.Session s) -> s.putDecodedLines(id, Tier.LARGE,
        List.of("first", "", "second\nthird")))).isTrue();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.decodedLines(id, Tier.LARGE)))
        .contains(List.of("first", "", "second third"));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.closedSegments("c")))
        .singleElement().satisfies(c -> assertThat(c.decoded()).isTrue());
    assertThat(store.write("no such tier", (MemoryStore.Session s) -> s.putDecodedLines(id, Tier.TINY,
        List.of("x")))).as("the segment has no TINY image").isFalse();
    store.write("fidelity", (MemoryStore.Session s) -> {
      s.putFidelity(id, Tier.LARGE, new MemoryStore.Fidelity(0.5, 0.4));
      s.putFidelity(id, Tier.LARGE, new MemoryStore.Fidelity(0.97, Double.NaN));
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.fidelity(id))).containsEntry(Tier.LARGE, new MemoryStore.Fidelity(0.97, Double.NaN));
    store.write("forget the page", (MemoryStore.Session s) -> {
      s.deletePages(id);
      s.dropText(id);
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.image(id, Tier.LARGE))).isEmpty();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.indexRows("c", List.of("second")))).isEmpty();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.parts(id))).allSatisfy(p -> assertThat(p.text()).isNull());
  }

  @Test
  void the_oldest_and_newest_turn_vectors_are_read_by_segment_then_turn() {
    assertThat(store.read("t", (MemoryStore.Session s) -> s.oldestAndNewestVectors("c"))).isEmpty();
    long first = twoTurns("c");
    long other = twoTurns("d");
    store.write("vectors", (MemoryStore.Session s) -> {
      s.putVectors(first, Map.of(0, new byte[] {1}, 1, new byte[] {2}));
      s.putVectors(other, Map.of(0, new byte[] {7}));
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.oldestAndNewestVectors("c")))
        .extracting(MemoryStore.VectorRow::turn).containsExactly(0, 1);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.oldestAndNewestVectors("d")))
        .as("one vector: read once").singleElement()
        .satisfies(r -> assertThat(r.vector()).containsExactly(7));
  }

  @Test
  void deleting_a_conversation_takes_everything_of_it_and_nothing_else() {
    long c = twoTurns("c");
    long d = twoTurns("d");
    store.write("image", (MemoryStore.Session s) -> {
      s.putImage(c, new MemoryStore.StoredImage(Tier.LARGE, "GRAY8_PNG", 1, 1, 400,
          new byte[] {1}, T0));
      return null;
    });
    assertThat(store.write("delete", (MemoryStore.Session s) -> s.deleteConversation("c"))).containsExactly(c);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.conversations())).containsExactly("d");
    assertThat(store.read("t", (MemoryStore.Session s) -> s.image(c, Tier.LARGE))).isEmpty();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.parts(c))).isEmpty();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.parts(d))).hasSize(2);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.segment("d", c))).isEmpty();
    assertThat(store.write("delete again", (MemoryStore.Session s) -> s.deleteConversation("c"))).isEmpty();
  }

  @Test
  void media_are_kept_once_per_conversation_and_hash_and_go_with_their_conversation() {
    twoTurns("c");
    twoTurns("d");
    byte[] bytes = {9, 8, 7};
    store.write("media", (MemoryStore.Session s) -> {
      s.putMedia("c", "h1", bytes, T0);
      s.putMedia("c", "h1", bytes, T0.plusSeconds(1)); // the same hash again changes nothing
      return null;
    });
    assertThat(store.read("t", (MemoryStore.Session s) -> s.media("c", "h1"))).hasValue(bytes);
    assertThat(store.read("t", (MemoryStore.Session s) -> s.media("d", "h1"))).isEmpty();
    assertThat(store.read("t", (MemoryStore.Session s) -> s.media("c", "h2"))).isEmpty();
    store.write("delete", (MemoryStore.Session s) -> s.deleteConversation("c"));
    assertThat(store.read("t", (MemoryStore.Session s) -> s.media("c", "h1"))).isEmpty();
  }

  @Test
  void a_claim_holds_until_its_lease_runs_out_or_is_given_back() {
    long id = twoTurns("c");
    Instant later = T0.plusSeconds(60);
    assertThat(store.write("a", (MemoryStore.Session s) -> s.claim(id, "a", later, T0))).isTrue();
    assertThat(store.write("b", (MemoryStore.Session s) -> s.claim(id, "b", later, T0))).isFalse();
    assertThat(store.write("a again", (MemoryStore.Session s) -> s.claim(id, "a", later, T0)))
        .isTrue();
    // a is killed: once its lease has run out, b takes the segment over.
    assertThat(store.write("b later", (MemoryStore.Session s) -> s.claim(id, "b",
        later.plusSeconds(60), later.plusSeconds(1)))).isTrue();
    store.write("b done", (MemoryStore.Session s) -> {
      s.release(id, "a"); // a's late release changes nothing
      return null;
    });
    assertThat(store.write("a late", (MemoryStore.Session s) -> s.claim(id, "a",
        later.plusSeconds(90), later.plusSeconds(2)))).isFalse();
    store.write("b releases", (MemoryStore.Session s) -> {
      s.release(id, "b");
      return null;
    });
    assertThat(store.write("a now", (MemoryStore.Session s) -> s.claim(id, "a",
        later.plusSeconds(90), later.plusSeconds(2)))).isTrue();
  }

  @Test
  void close_is_idempotent() {
    store.close();
    store.close();
    assertThatThrownBy(() -> store.read("after close", (MemoryStore.Session s) -> s.conversations()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the memory database " + store.description() + " is closed (while after close)");
  }
}
