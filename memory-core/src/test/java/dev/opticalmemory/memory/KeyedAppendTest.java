package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idempotency keys and validation without storing: what an all-or-nothing ingest is built on. */
class KeyedAppendTest extends FileMemoryTest {

  @Test
  void a_turn_appended_twice_under_one_key_is_stored_once_and_keeps_its_number() {
    List<MemoryTurn> turns = Conversations.harbour(40, 2);
    for (int i = 0; i < 30; i++) {
      assertThat(memory.append("c", turns.get(i), "m" + i)).isEqualTo(i);
    }
    // A re-run of the whole batch after a cut: the first 30 are found, the rest appended.
    for (int i = 0; i < 40; i++) {
      assertThat(memory.append("c", turns.get(i), "m" + i)).isEqualTo(i);
    }
    assertThat(memory.stats("c").turns()).isEqualTo(40);
    assertThat(memory.operations().turnOf("c", "m17")).isEqualTo(OptionalInt.of(17));
    assertThat(memory.operations().turnOf("c", "m40")).isEmpty();
    assertThat(memory.operations().turnOf("other", "m17")).isEmpty();
  }

  @Test
  void append_if_absent_says_whether_this_call_stored_the_turn_from_many_threads_at_once()
      throws Exception {
    List<MemoryTurn> turns = Conversations.harbour(60, 3);
    AtomicInteger stored = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(new Thread(() -> {
        for (int i = 0; i < turns.size(); i++) {
          if (memory.operations().appendIfAbsent("c", turns.get(i), "m" + i)) {
            stored.incrementAndGet();
          }
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    assertThat(stored.get()).as("calls that say they stored a turn").isEqualTo(60);
    assertThat(memory.stats("c").turns()).isEqualTo(60);
    assertThat(memory.operations().appendIfAbsent("c", turns.get(0), "m0")).isFalse();
    assertThatThrownBy(() -> memory.operations().appendIfAbsent("c", turns.get(0), null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
  }

  @Test
  void keys_belong_to_their_conversation_and_unkeyed_turns_are_never_matched() {
    assertThat(memory.append("a", MemoryTurn.user("Ann", "one"), "k")).isZero();
    assertThat(memory.append("b", MemoryTurn.user("Bo", "two"), "k")).isZero();
    assertThat(memory.append("a", MemoryTurn.user("Ann", "three"))).isEqualTo(1);
    assertThat(memory.append("a", MemoryTurn.user("Ann", "four"))).isEqualTo(2);
    assertThat(memory.stats("a").turns()).isEqualTo(3);
    assertThat(memory.stats("b").turns()).isEqualTo(1);
  }

  @Test
  void a_key_survives_a_reopen_and_a_split_turn_is_found_by_its_key() {
    String longText = "The crane report continues at length. ".repeat(600);
    int n = memory.append("c", MemoryTurn.user("Ann", longText), "report");
    assertThat(memory.segments("c").size()).isGreaterThan(2);
    memory.close();
    memory = open(tmp.resolve("m"));
    assertThat(memory.append("c", MemoryTurn.user("Ann", longText), "report")).isEqualTo(n);
    assertThat(memory.stats("c").turns()).isEqualTo(1);
  }

  @Test
  void bad_keys_are_refused_with_the_value() {
    assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Ann", "x"), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be a non-blank string of at most 200 characters, but is: ' '");
    assertThatThrownBy(() -> memory.operations().turnOf("c", "k".repeat(201)))
        .hasMessage("key must be a non-blank string of at most 200 characters, but is: 201"
            + " characters");
    assertThat(memory.conversations()).isEmpty();
  }

  @Test
  void validate_refuses_what_append_refuses_with_the_same_message_and_stores_nothing() {
    MemoryTurn[] bad = {
        MemoryTurn.user("Ann", ""),
        MemoryTurn.user("A".repeat(300), "hello"),
        MemoryTurn.user("Ann", "x".repeat(OpticalMemory.DEFAULT_MAX_TURN_CHARS + 1)),
    };
    for (MemoryTurn turn : bad) {
      Throwable byValidate = org.assertj.core.api.Assertions.catchThrowable(
          () -> memory.operations().validate("c", turn));
      Throwable byAppend = org.assertj.core.api.Assertions.catchThrowable(
          () -> memory.append("c", turn));
      assertThat(byValidate).isInstanceOf(IllegalArgumentException.class);
      assertThat(byValidate).hasMessage(byAppend.getMessage());
    }
    assertThatThrownBy(() -> memory.operations().validate(" ", MemoryTurn.user("Ann", "x")))
        .hasMessage("conversation must not be blank, but is: ' '");
    memory.operations().validate("c", MemoryTurn.user("Ann", "fine"));
    assertThat(memory.conversations()).isEmpty();
  }
}
