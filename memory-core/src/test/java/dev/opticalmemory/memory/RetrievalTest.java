package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall by meaning (the real quantized all-MiniLM-L6-v2) beside BM25, on pages the memory rendered
 * and aged; background decoding on, so no OCR runs on the request path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrievalTest {
  static final String HOBBY = "Honestly my favourite thing is throwing clay on the wheel at the"
      + " studio every Sunday; I made six bowls last month.";
  @TempDir static Path tmp;
  OpticalMemory memory;

  @BeforeAll
  void open() {
    memory = OpticalMemory.builder().path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run).agingPolicy(AgingPolicy.fixed(Tier.BASE))
        .retrieval(Retrieval.HYBRID).build();
    List<MemoryTurn> turns = new ArrayList<>(Conversations.harbour(120, 5));
    turns.set(10, MemoryTurn.user("Jolene", HOBBY));
    for (MemoryTurn t : turns) {
      memory.append("c", t);
    }
  }

  @AfterAll
  void close() {
    memory.close();
  }

  private static boolean holds(List<Recollection> found, int turn) {
    return found.stream().anyMatch(r -> r.firstTurn() <= turn && turn <= r.lastTurn()
        && r.text().contains("clay"));
  }

  @Test
  void a_paraphrased_question_is_found_by_meaning_where_bm25_finds_nothing_of_it() {
    String question = "What does she enjoy doing as a hobby, pottery?";
    List<Recollection> lexical = memory.recall("c", RecallRequest.of(question).k(3).leaveOut(Set.of()).retrieval(Retrieval.LEXICAL));
    List<Recollection> dense = memory.recall("c", RecallRequest.of(question).k(3).leaveOut(Set.of()).retrieval(Retrieval.DENSE));
    List<Recollection> hybrid = memory.recall("c", RecallRequest.of(question).k(3));

    assertThat(holds(lexical, 10)).as("BM25: no word of the question is in the turn").isFalse();
    assertThat(dense).isNotEmpty();
    assertThat(holds(dense.subList(0, 1), 10)).as("by meaning, first").isTrue();
    assertThat(holds(hybrid, 10)).as("fused, within 3").isTrue();
    assertThat(hybrid.stream().filter(r -> r.firstTurn() <= 10 && 10 <= r.lastTurn()).findFirst()
        .orElseThrow().tier()).as("read back from its BASE page's decoded lines")
        .isEqualTo(Tier.BASE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bge-small", "e5-small"})
  void a_stronger_embedder_finds_the_paraphrase_first_and_is_loaded_once_per_process(String name) {
    Embedder bge = name.equals("bge-small") ? Embedder.bgeSmallEnV15() : Embedder.e5SmallV2();
    assertThat(name.equals("bge-small") ? Embedder.bgeSmallEnV15() : Embedder.e5SmallV2())
        .isSameAs(bge);
    assertThat(Embedder.named(name)).as("by name").isSameAs(bge);
    assertThat(Embedder.named("minilm")).isSameAs(Embedder.allMiniLmL6V2());
    assertThatThrownBy(() -> Embedder.named("e5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedder must be minilm, bge-small or e5-small, but is: 'e5'");
    assertThat(bge.embed("pottery")).hasSize(384);
    assertThat(bge.embed("pottery")).isNotEqualTo(Embedder.allMiniLmL6V2().embed("pottery"));
    try (OpticalMemory other = OpticalMemory.builder().path(tmp.resolve(name))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).agingPolicy(AgingPolicy.fixed(Tier.TEXT))
        .retrieval(Retrieval.DENSE).embedder(bge).build()) {
      List<MemoryTurn> turns = new ArrayList<>(Conversations.harbour(40, 5));
      turns.set(10, MemoryTurn.user("Jolene", HOBBY));
      for (MemoryTurn t : turns) {
        other.append("c", t);
      }
      List<Recollection> dense = other.recall("c", RecallRequest.of("What does she enjoy doing as a hobby, pottery?").k(1));
      assertThat(dense).hasSize(1);
      assertThat(dense.get(0).firstTurn()).isLessThanOrEqualTo(10);
      assertThat(dense.get(0).lastTurn()).isGreaterThanOrEqualTo(10);
      assertThat(dense.get(0).text()).contains("clay");
    }
  }

  @Test
  void a_memory_reopened_with_another_embedding_model_refuses_to_mix_its_vectors() {
    Path file = tmp.resolve("mixed");
    List<MemoryTurn> turns = Conversations.harbour(200, 7);
    try (OpticalMemory minilm = OpticalMemory.builder().path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).retrieval(Retrieval.HYBRID).build()) {
      for (MemoryTurn t : turns.subList(0, 100)) {
        minilm.append("c", t);
      }
      assertThat(vectorCount(minilm)).as("pages rendered, turns embedded").isPositive();
    }
    // A lambda over the same model is the same model.
    Embedder same = Embedder.allMiniLmL6V2();
    try (OpticalMemory again = OpticalMemory.builder().path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).retrieval(Retrieval.HYBRID).embedder(same::embed).build()) {
      assertThat(again.recall("c", RecallRequest.of("ferry").k(3))).isNotEmpty();
    }
    try (OpticalMemory bge = OpticalMemory.builder().path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).retrieval(Retrieval.HYBRID).embedder(Embedder.bgeSmallEnV15())
        .build()) {
      assertThatThrownBy(() -> bge.recall("c", RecallRequest.of("ferry").k(3)))
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("the turn embeddings of 'c' were made by another model than this"
              + " memory's embedder")
          .hasMessageContaining("open the memory with the embedder that wrote them");
      assertThat(bge.recall("c", RecallRequest.of("ferry").k(3).leaveOut(Set.of()).retrieval(Retrieval.LEXICAL)))
          .as("recall by words still works").isNotEmpty();
      long before = vectorCount(bge);
      long rendered = bge.segments("c").stream().filter(Segment::rendered).count();
      for (MemoryTurn t : turns.subList(100, 200)) {
        bge.append("c", t); // pages close and render; no vector of the second model is added
      }
      assertThat(bge.segments("c").stream().filter(Segment::rendered).count())
          .as("pages still rendered").isGreaterThan(rendered);
      assertThat(vectorCount(bge)).isEqualTo(before);
    }
  }

  @Test
  void each_turn_is_embedded_with_the_turn_before_it_so_a_reply_is_found_by_its_question() {
    List<MemoryTurn> turns = new ArrayList<>(Conversations.harbour(120, 5));
    turns.set(40, MemoryTurn.user("Caroline", "How was the pottery class you took with your"
        + " sister?"));
    turns.set(41, MemoryTurn.user("Melanie", "We went yesterday and it was wonderful, I want to"
        + " go again next week!"));
    try (OpticalMemory dense = OpticalMemory.builder().path(tmp.resolve("pairs"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).decodeInBackground(false)
        .agingPolicy(AgingPolicy.fixed(Tier.BASE)).retrieval(Retrieval.DENSE).build()) {
      for (MemoryTurn t : turns) {
        dense.append("c", t);
      }
      MemoryStore store = ((DefaultOpticalMemory) dense).store();
      MemoryStore.VectorRow reply = store.read("t", s -> s.vectors("c")).stream()
          .filter(v -> v.turn() == 41).findFirst().orElseThrow();
      float[] stored = Embeddings.unpack(reply.vector());
      Embedder model = Embedder.allMiniLmL6V2();
      float[] withQuestion = Embeddings.embed(model, "Caroline: " + turns.get(40).text() + "\n"
          + "Melanie: " + turns.get(41).text());
      float[] alone = Embeddings.embed(model, "Melanie: " + turns.get(41).text());
      assertThat(Embeddings.dot(stored, withQuestion)).as("stored: the reply after its question")
          .isGreaterThan(0.99);
      assertThat(Embeddings.dot(stored, alone)).as("not the reply alone").isLessThan(0.95);

      List<Recollection> found = dense.recall("c", RecallRequest.of("When did Melanie go to the pottery class?").k(1));
      assertThat(found).hasSize(1);
      assertThat(found.get(0).turns()).as("the reply, matched by its question's words")
          .anySatisfy(t -> {
            assertThat(t.turn()).isEqualTo(41);
            assertThat(t.match()).isTrue();
          });
    }
  }

  @Test
  void vectors_of_turns_embedded_alone_as_earlier_releases_stored_them_are_still_read() {
    Path file = tmp.resolve("alone");
    Embedder model = Embedder.allMiniLmL6V2();
    // As stored before: each turn embedded alone (the last line of what is embedded now).
    Embedder turnAlone = text -> model.embed(text.substring(text.lastIndexOf('\n') + 1));
    List<MemoryTurn> turns = Conversations.harbour(120, 9);
    try (OpticalMemory older = OpticalMemory.builder().path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).decodeInBackground(false).retrieval(Retrieval.HYBRID)
        .embedder(turnAlone).build()) {
      for (MemoryTurn t : turns) {
        older.append("c", t);
      }
      assertThat(vectorCount(older)).isPositive();
    }
    try (OpticalMemory now = OpticalMemory.builder().path(file).fonts(FontSet.latinOnly())
        .executor(Runnable::run).decodeInBackground(false).retrieval(Retrieval.HYBRID).build()) {
      assertThat(now.recall("c", RecallRequest.of("ferry").k(3).leaveOut(Set.of()).retrieval(Retrieval.DENSE))).isNotEmpty();
      long before = vectorCount(now);
      for (MemoryTurn t : Conversations.harbour(240, 9).subList(120, 240)) {
        now.append("c", t);
      }
      assertThat(vectorCount(now)).as("new pages' turns embedded too").isGreaterThan(before);
    }
  }

  private static long vectorCount(OpticalMemory memory) {
    return ((DefaultOpticalMemory) memory).store().read("t",
        s -> s.vectorStamp("c"))[0];
  }

  @Test
  void an_exact_word_still_wins_by_bm25_in_the_fused_ranking() {
    List<Recollection> hybrid = memory.recall("c", RecallRequest.of("locker code 4417").k(1));
    assertThat(hybrid.get(0).text()).contains("4417");
  }

  @Test
  void each_turns_embedding_is_stored_and_counted_in_the_segments_bytes() throws Exception {
    long withVectors = memory.segments("c").get(0).storedBytes();
    try (OpticalMemory lexicalOnly = OpticalMemory.builder().path(tmp.resolve("lex"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).decodeInBackground(false)
        .retention(Retention.DROP).retrieval(Retrieval.LEXICAL)
        .agingPolicy(AgingPolicy.fixed(Tier.BASE)).build()) {
      List<MemoryTurn> turns = new ArrayList<>(Conversations.harbour(120, 5));
      turns.set(10, MemoryTurn.user("Jolene", HOBBY));
      for (MemoryTurn t : turns) {
        lexicalOnly.append("c", t);
      }
      Segment first = lexicalOnly.segments("c").get(0);
      int turnsOnPage = first.lastTurn() - first.firstTurn() + 1;
      assertThat(withVectors - first.storedBytes()).as("388 bytes a turn")
          .isEqualTo(388L * turnsOnPage);
      assertThat(lexicalOnly.recall("c", RecallRequest.of("clay wheel").k(1).leaveOut(Set.of()).retrieval(Retrieval.DENSE)))
          .as("nothing was embedded").allSatisfy(r -> assertThat(r.segment())
              .isEqualTo(lexicalOnly.segments("c").get(lexicalOnly.segments("c").size() - 1).id()));
    }
  }

  @Test
  void odd_queries_are_answered_or_refused_with_the_query_named() {
    assertThat(memory.recall("c", RecallRequest.of("harbour ".repeat(1_250)).k(3))).as("10,000 characters")
        .isNotEmpty();
    assertThat(memory.recall("c", RecallRequest.of("the of and a").k(3))).as("stop words only").isNotNull();
    assertThat(memory.recall("c", RecallRequest.of("渡轮 灯塔").k(3))).as("a CJK query").isNotNull();
    assertThatThrownBy(() -> memory.recall("c", RecallRequest.of("?!  …").k(3)))
        .hasMessage("query has no words to search for: '?!  …'");
    assertThatThrownBy(() -> memory.recall("c", RecallRequest.of(" ").k(3)))
        .hasMessage("query must not be blank, but is: ' '");
  }

  @Test
  void a_conversation_with_no_page_yet_is_searched_by_meaning_from_its_text() {
    memory.append("fresh", MemoryTurn.user("Jolene", HOBBY));
    memory.append("fresh", MemoryTurn.user("Mira", "The ferry was late again."));
    List<Recollection> found = memory.recall("fresh", RecallRequest.of("pottery hobby").k(1).leaveOut(Set.of()).retrieval(Retrieval.DENSE));
    assertThat(found).singleElement().satisfies(r -> {
      assertThat(r.tier()).isEqualTo(Tier.TEXT);
      // The turn most like the query matched, the other is returned as its neighbour; the ferry
      // turn is embedded after the hobby turn, so either may be the one that matched.
      assertThat(r.turns()).extracting(RecalledTurn::match).containsOnlyOnce(true);
      assertThat(r.turns().get(0).text()).contains("clay").doesNotContain("ferry");
      assertThat(r.turns().get(1).text()).isEqualTo("Mira: The ferry was late again.");
    });
  }
}
