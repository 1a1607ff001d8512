package dev.opticalmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's LangChain4j example is FirstChat, word for word, and it runs. */
class FirstChatTest {
  @TempDir Path tmp;

  @Test
  void the_readme_shows_first_chat_whole_and_it_answers_with_a_stand_in_chat_model()
      throws Exception {
    List<ChatRequest> requests = new ArrayList<>();
    ChatModel standIn = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        return ChatResponse.builder().aiMessage(AiMessage.from("Noted.")).build();
      }
    };
    assertThat(FirstChat.firstReply(standIn, tmp)).isEqualTo("Noted.");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).messages()).last().isInstanceOf(UserMessage.class);
    assertThat(requests.get(0).toolSpecifications()).extracting(t -> t.name())
        .containsExactly("recall", "read");
    assertThat(requests.get(0).toolSpecifications().get(1).parameters().properties())
        .containsOnlyKeys("page", "fromTurn", "count");
    assertThat(requests.get(0).toolSpecifications().get(1).parameters().required())
        .containsExactlyInAnyOrder("page", "fromTurn");
    assertThat(tmp.resolve("agent-memory.mv.db")).exists();

    String source = Files.readString(
        Path.of("src/main/java/dev/opticalmemory/examples/FirstChat.java"));
    String shown = source.substring(source.indexOf("// README:start\n") + 16,
        source.indexOf("// README:end"));
    assertThat(Files.readString(Path.of("..", "README.md"))).contains(shown);
  }
}
