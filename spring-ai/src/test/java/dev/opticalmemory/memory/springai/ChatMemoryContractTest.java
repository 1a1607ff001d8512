package dev.opticalmemory.memory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * The promises of Spring AI's own {@code ChatMemory} (as {@code MessageWindowChatMemory} keeps
 * them), held by the optical memory, each test named after one.
 */
class ChatMemoryContractTest {
  @TempDir Path tmp;
  private OpticalMemory memory;
  private OpticalSpringChatMemory chat;

  @BeforeEach
  void open() {
    memory = OpticalMemory.builder().path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run).decodeInBackground(false)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build();
    chat = OpticalSpringChatMemory.builder(memory).budget(100_000).build();
  }

  @AfterEach
  void close() {
    memory.close();
  }

  @Test
  void messages_come_back_in_the_order_they_were_added() {
    chat.add("c", List.of(new UserMessage("one"), new AssistantMessage("two")));
    chat.add("c", new UserMessage("three"));
    assertThat(chat.get("c")).extracting(Message::getText).containsExactly("one", "two", "three");
  }

  @Test
  void an_unknown_conversation_is_empty() {
    assertThat(chat.get("nobody")).isEmpty();
  }

  @Test
  void conversations_are_kept_apart_and_clear_forgets_only_its_own() {
    chat.add("a", new UserMessage("for a"));
    chat.add("b", new UserMessage("for b"));
    chat.clear("a");
    assertThat(chat.get("a")).isEmpty();
    assertThat(chat.get("b")).extracting(Message::getText).containsExactly("for b");
  }

  @Test
  void a_new_system_message_replaces_the_old_one_and_the_same_one_is_not_kept_twice() {
    chat.add("c", List.of(new SystemMessage("Be brief."), new UserMessage("hello")));
    chat.add("c", new SystemMessage("Be brief."));
    assertThat(chat.get("c")).filteredOn(m -> m instanceof SystemMessage).hasSize(1);
    chat.add("c", new SystemMessage("Be thorough."));
    List<Message> got = chat.get("c");
    assertThat(got.get(0)).isEqualTo(new SystemMessage("Be thorough."));
    assertThat(got).filteredOn(m -> m instanceof SystemMessage).hasSize(1);
  }

  @Test
  void the_system_message_stays_first_however_small_the_budget() {
    OpticalSpringChatMemory small = OpticalSpringChatMemory.builder(memory).budget(60).build();
    small.add("c", new SystemMessage("Be brief."));
    for (int i = 0; i < 50; i++) {
      small.add("c", List.of(new UserMessage("question " + i + " about the harbour ferry"),
          new AssistantMessage("answer " + i + " about the harbour ferry")));
    }
    List<Message> got = small.get("c");
    assertThat(got.get(0)).isEqualTo(new SystemMessage("Be brief."));
    assertThat(got.get(got.size() - 1).getText()).isEqualTo("answer 49 about the harbour ferry");
  }

  @Test
  void the_turns_sent_start_at_a_user_message_when_older_ones_are_left_out() {
    for (int i = 0; i < 30; i++) {
      chat.add("c", List.of(new UserMessage("question " + i), new AssistantMessage(
          "a long answer number " + i + " with words enough to weigh more than the question")));
    }
    boolean cutInsideAnExchange = false;
    for (int budget = 90; budget <= 160; budget += 3) {
      OpticalSpringChatMemory small = OpticalSpringChatMemory.builder(memory).budget(budget)
          .recentTurnsFloor(1).build();
      List<Message> got = small.get("c");
      assertThat(got.get(0)).as("budget %d", budget).isInstanceOf(UserMessage.class);
      assertThat(got.get(got.size() - 1).getText()).startsWith("a long answer number 29");
      cutInsideAnExchange |= !small.shownTurns("c").contains(
          small.shownTurns("c").stream().min(Integer::compare).orElseThrow() - 1)
          && small.shownTurns("c").stream().min(Integer::compare).orElseThrow() % 2 == 1;
    }
    assertThat(cutInsideAnExchange).as("some budget cut between a question and its answer")
        .isTrue();
  }

  @Test
  void the_newest_turn_goes_even_when_it_is_a_reply_whose_question_does_not_fit() {
    chat.add("c", List.of(new UserMessage("question"), new AssistantMessage(
        "a long answer with words enough to weigh more than the budget leaves for the question")));
    OpticalSpringChatMemory tiny = OpticalSpringChatMemory.builder(memory).budget(60)
        .recentTurnsFloor(1).build();
    assertThat(tiny.get("c")).last().isInstanceOf(AssistantMessage.class);
  }

  @Test
  void a_blank_or_null_conversation_id_is_refused_as_spring_ai_refuses_it() {
    for (String id : Arrays.asList(null, "", "  ")) {
      assertThatThrownBy(() -> chat.get(id)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> chat.add(id, List.of(new UserMessage("x"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> chat.clear(id)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void null_messages_or_a_null_element_are_refused_and_nothing_of_the_batch_is_kept() {
    assertThatThrownBy(() -> chat.add("c", (List<Message>) null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chat.add("c", Arrays.asList(new UserMessage("kept?"), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages[1]");
    assertThat(chat.get("c")).isEmpty();
  }

  @Test
  void concurrent_adds_keep_every_message_of_every_conversation() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String conversation = "c" + (t % 2);
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            chat.add(conversation, new UserMessage("thread " + thread + " message " + i));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(memory.stats("c0").turns()).isEqualTo(50);
    assertThat(memory.stats("c1").turns()).isEqualTo(50);
  }
}
