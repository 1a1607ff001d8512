package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryException;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberToolTest {
  @TempDir
  Path tmp;

  @Test
  void the_remember_tool_pins_the_turns_that_match_and_says_so_once() {
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m")).fonts(FontSet.latinOnly()).executor(Runnable::run).build()) {
      for (MemoryTurn turn : Conversations.harbour(30, 2)) {
        memory.append("mira", turn);
      }
      RememberTool tool = new RememberTool(memory);
      String said = tool.remember("mira", "locker code 4417");
      Segment holding = memory.segments("mira").stream()
          .filter(s -> s.firstTurn() <= 3 && 3 <= s.lastTurn()).findFirst().orElseThrow();
      assertThat(memory.pins("mira")).contains(3);
      assertThat(memory.operations().segment("mira", holding.id()).importance().pinned()).isTrue();
      assertThat(said).isEqualTo("Kept sharp: turn 3 (1 newly pinned).");
      assertThat(memory.pins("mira")).as("the matching turn, not its neighbours").containsExactly(3);
      assertThat(tool.remember("mira", "locker code 4417")).contains("already pinned");
      assertThat(tool.remember("mira", "zeppelin")).isEqualTo(
          "Nothing in the conversation matches: zeppelin");
      assertThat(tool.remember("nobody", "locker")).isEqualTo(
          "Nothing is in this conversation yet to remember.");
      assertThat(tool.remember("mira", "  ")).startsWith("Cannot search for that: query must not"
          + " be blank");
    }
  }

  /** A stand-in for a remote chat model (no model runs here): it answers from a list. */
  private static ChatModel answering(List<String> answers, List<String> asked) {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        asked.add(((dev.langchain4j.data.message.UserMessage) request.messages().get(0))
            .singleText());
        return ChatResponse.builder().aiMessage(AiMessage.from(answers.get(asked.size() - 1)))
            .build();
      }
    };
  }

  @Test
  void chat_model_salience_with_a_stand_in_model_reads_the_first_number_and_refuses_an_answer_without_one() {
    List<String> asked = new ArrayList<>();
    ChatModelSalience salience = ChatModelSalience.of(answering(
        List.of("8", "Importance: 2.5 out of 10", "42", "I cannot rate that"), asked));
    assertThat(salience.score("My locker code is 4417.")).isEqualTo(0.8);
    assertThat(salience.score("lol")).isEqualTo(0.25);
    assertThat(salience.score("x".repeat(10_000))).as("capped at 10").isEqualTo(1.0);
    assertThat(asked.get(2)).hasSize(ChatModelSalience.QUESTION.length() + ChatModelSalience.SENT);
    assertThat(salience.score("")).as("nothing asked for an empty turn").isZero();
    assertThatThrownBy(() -> salience.score("hello"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("I cannot rate that");

    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("s")).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .salience(ChatModelSalience.of(answering(List.of("7", "no idea"), new ArrayList<>())))
        .build()) {
      memory.append("c", MemoryTurn.user("Mira", "My locker code is 4417."));
      assertThat(memory.segments("c").get(0).importance().salience()).isEqualTo(0.7);
      assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Mira", "hi")))
          .isInstanceOf(MemoryException.class).hasMessageContaining("salience scorer")
          .hasRootCauseMessage("the chat model's salience answer has no number: 'no idea'");
      assertThat(memory.stats("c").turns()).isEqualTo(1);
    }
  }
}
