package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadInputTest extends FileMemoryTest {

  @Test
  void an_empty_turn_is_refused_and_nothing_is_stored() {
    assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Ann", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("turn.text must not be empty (conversation 'c', speaker 'Ann')");
    assertThat(memory.conversations()).isEmpty();
    assertThatThrownBy(() -> memory.append("c", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("turn");
  }

  @Test
  void a_five_megabyte_turn_is_refused_with_the_limit_and_the_conversation_is_unchanged() {
    memory.append("c", MemoryTurn.user("Ann", "before"));
    String huge = "x".repeat(5 * 1024 * 1024);
    assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Ann", huge)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("turn.text is 5242880 characters, more than maxTurnChars = 1048576"
            + " (conversation 'c'); split it or raise the limit");
    assertThat(memory.stats("c").turns()).isEqualTo(1);
    assertThat(memory.append("c", MemoryTurn.user("Ann", "after"))).isEqualTo(1);
  }

  @Test
  void a_turn_longer_than_a_page_is_split_over_segments_and_nothing_is_lost() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 20_000; i++) {
      text.append("Sentence ").append(i).append(" of the long report on the harbour cranes. ");
    }
    memory.close();
    memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run).retention(Retention.KEEP).build();
    memory.append("c", MemoryTurn.user("Ann", "short one"));
    memory.append("c", MemoryTurn.user("Bo", text.toString()));
    memory.append("c", MemoryTurn.user("Ann", "thanks"));
    List<Segment> segments = memory.segments("c");
    assertThat(segments.size()).isGreaterThanOrEqualTo(5);
    assertThat(segments.get(0).lastTurn()).isZero();
    StringBuilder joined = new StringBuilder();
    for (Segment s : segments) {
      for (MemoryTurn part : memory.operations().turns("c", s.id())) {
        if (part.speaker().equals("Bo")) {
          joined.append(part.text());
        }
      }
    }
    assertThat(joined.toString().equals(text.toString()))
        .as("the parts joined give back the %d characters (got %d)", text.length(), joined.length())
        .isTrue();
    assertThat(segments.get(segments.size() - 1).lastTurn()).isEqualTo(2);
  }

  @Test
  void unpaired_surrogates_become_replacement_characters_and_the_rest_is_kept() {
    memory.append("c", MemoryTurn.user("Ann", "broken \uD83D here, fine \uD83D\uDE00 there \uDE00"));
    MemoryTurn stored = memory.operations().turns("c", memory.segments("c").get(0).id()).get(0);
    assertThat(stored.text()).isEqualTo("broken \uFFFD here, fine \uD83D\uDE00 there \uFFFD");
  }

  @Test
  void ids_with_sql_metacharacters_and_path_separators_are_just_names() {
    List<String> ids = List.of("'; DROP TABLE turns; --", "../../etc/passwd", "a\\b/c", "Robert'); --",
        "%_*", "名前");
    for (int i = 0; i < ids.size(); i++) {
      memory.append(ids.get(i), MemoryTurn.user("Ann", "I am conversation " + i));
    }
    assertThat(memory.conversations()).containsExactlyInAnyOrderElementsOf(ids);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      assertThat(memory.operations().turns(id, memory.segments(id).get(0).id()).get(0).text())
          .isEqualTo("I am conversation " + i);
    }
    assertThat(tmp.toFile().list()).allSatisfy(name -> assertThat(name).startsWith("m."));
  }

  @Test
  void bad_ids_and_queries_are_refused_with_the_value_in_the_message() {
    assertThatThrownBy(() -> memory.append(" ", MemoryTurn.user("A", "x")))
        .hasMessage("conversation must not be blank, but is: ' '");
    assertThatThrownBy(() -> memory.append(null, MemoryTurn.user("A", "x")))
        .isInstanceOf(NullPointerException.class).hasMessage("conversation");
    assertThatThrownBy(() -> memory.append("x".repeat(201), MemoryTurn.user("A", "x")))
        .hasMessageStartingWith("conversation must be at most 200 characters, but is 201");
    assertThatThrownBy(() -> memory.append("a\uD800b", MemoryTurn.user("A", "x")))
        .hasMessageStartingWith("conversation must be well-formed Unicode, but has an unpaired surrogate at index 1");
    memory.append("c", MemoryTurn.user("A", "hello"));
    assertThatThrownBy(() -> memory.recall("c", RecallRequest.of("  ").k(3))).hasMessage("query must not be blank, but is: '  '");
    assertThatThrownBy(() -> memory.recall("c", RecallRequest.of("hello").k(0))).hasMessage("k must be between 1 and 100, but is: 0");
    assertThatThrownBy(() -> memory.recall("c", RecallRequest.of("?!").k(3))).hasMessage("query has no words to search for: '?!'");
    assertThatThrownBy(() -> new MemoryTurn(Role.USER, "A", null, null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("text");
  }

  @Test
  void builder_settings_are_validated() {
    assertThatThrownBy(() -> OpticalMemory.builder().build())
        .hasMessageStartingWith("a store is required");
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl("jdbc:h2:tcp://host/db"))
        .hasMessage("jdbcUrl must be jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:h2:mem:NAME"
            + " (use path(...) for an H2 file), but is: jdbc:h2:tcp://host/db");
    assertThatThrownBy(() -> OpticalMemory.builder().path(Path.of("/tmp/a"))
        .jdbcUrl("jdbc:postgresql://db.example/memory?user=agent&password=hunter2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("jdbcUrl cannot be set: the store was already set by path(/tmp/a)");
    assertThatThrownBy(() -> OpticalMemory.builder()
        .jdbcUrl("jdbc:postgresql://db.example/memory?user=agent&password=hunter2")
        .path(Path.of("/tmp/a")))
        .hasMessage("path cannot be set: the store was already set by"
            + " jdbcUrl(jdbc:postgresql://db.example/memory?user=agent&password=***)");
    assertThatThrownBy(() -> OpticalMemory.builder().maxConnections(0))
        .hasMessage("maxConnections must be between 1 and 100, but is: 0");
    assertThatThrownBy(() -> OpticalMemory.builder().path(Path.of("/tmp/m;INIT=RUNSCRIPT FROM 'x'")))
        .hasMessageStartingWith("path must not contain ';'");
    assertThatThrownBy(() -> OpticalMemory.builder().cacheBytes(-1))
        .hasMessage("cacheBytes must be between 0 and 16 GiB, but is: -1");
    assertThatThrownBy(() -> OpticalMemory.builder()
        .yieldToAppends(java.time.Duration.ofMillis(-1), java.time.Duration.ZERO))
        .hasMessage("quietPeriod must be between 0 and 10 s, but is: PT-0.001S");
    assertThatThrownBy(() -> OpticalMemory.builder()
        .yieldToAppends(java.time.Duration.ZERO, java.time.Duration.ofHours(2)))
        .hasMessage("maxDeferral must be between 0 and 1 h, but is: PT2H");
    assertThatThrownBy(() -> OpticalMemory.builder().yieldToAppends(null, java.time.Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessage("quietPeriod");
    assertThatThrownBy(() -> AgingPolicy.byTokens(10, 5, 20, 30, 40))
        .hasMessage("byTokens thresholds must be zero or more and never decrease, but are: [10, 5, 20, 30, 40]");
  }

  @Test
  void a_corrupt_database_file_is_refused_with_its_path_and_the_cause() throws Exception {
    memory.close();
    Path file = tmp.resolve("m.mv.db");
    java.nio.file.Files.write(file, "this is not an H2 database at all".repeat(200).getBytes());
    assertThatThrownBy(() -> OpticalMemory.builder().path(tmp.resolve("m")).build())
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("cannot open the memory database " + file)
        .hasMessageContaining("not an H2 database file");
    // An H2 header over garbage: H2 itself refuses it, and its error is kept as the cause.
    java.nio.file.Files.write(file, ("H:2,block:2,blockSize:1000,chunk:1,format:3\n"
        + "garbage ".repeat(2000)).getBytes());
    assertThatThrownBy(() -> OpticalMemory.builder().path(tmp.resolve("m")).build())
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("cannot open the memory database " + file)
        .hasCauseInstanceOf(Exception.class);
    memory = OpticalMemory.builder().decodeInBackground(false)
        .jdbcUrl("jdbc:h2:mem:after-corrupt").build();
  }
}
