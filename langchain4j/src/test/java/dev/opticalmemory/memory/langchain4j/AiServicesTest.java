package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AiServices with the optical memory, against a scripted chat model (a test double of the LLM). */
class AiServicesTest {
  @TempDir Path tmp;

  interface Assistant {
    String chat(@MemoryId String user, @dev.langchain4j.service.UserMessage String message);
  }

  private static boolean hasImages(ChatRequest request) {
    return request.messages().stream().anyMatch(m -> m instanceof UserMessage u
        && u.contents().stream().anyMatch(ImageContent.class::isInstance));
  }

  @Test
  void a_300_turn_chat_with_a_scripted_model_stays_in_budget_sends_pages_and_recalls_old_facts() {
    ScriptedChatModel model = new ScriptedChatModel();
    int budget = 3_000;
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("agent"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).build()) {
      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(model)
          .chatMemoryProvider(OpticalChatMemoryProvider.of(memory, budget, VisionReader.openAi()))
          .tools(new RecallTool(memory))
          .build();
      List<MemoryTurn> script = Conversations.harbour(300, 9);
      String answer = null;
      for (int i = 0; i < script.size(); i++) {
        String said = i == 299 ? "What is my locker code?" : script.get(i).text();
        answer = assistant.chat("mira", said);
      }

      VisionTokenCountEstimator estimator = new VisionTokenCountEstimator(VisionReader.openAi());
      for (ChatRequest request : model.requests) {
        // AiServices takes messages() before it adds the user's new message, then appends that
        // message to the request: what the memory gave is the request less a new user message.
        List<ChatMessage> fromMemory = request.messages();
        ChatMessage last = fromMemory.get(fromMemory.size() - 1);
        if (last instanceof UserMessage) {
          fromMemory = fromMemory.subList(0, fromMemory.size() - 1);
        }
        assertThat(estimator.estimateTokenCountInMessages(fromMemory)).isLessThanOrEqualTo(budget);
      }
      assertThat(model.requests.get(5)).matches(r -> !hasImages(r), "early requests are text");
      assertThat(model.requests.subList(200, model.requests.size()))
          .allMatch(AiServicesTest::hasImages, "late requests carry pages");
      ChatRequest afterTool = model.requests.get(model.requests.size() - 1);
      ChatMessage last = afterTool.messages().get(afterTool.messages().size() - 1);
      assertThat(last).isInstanceOf(ToolExecutionResultMessage.class);
      assertThat(((ToolExecutionResultMessage) last).text()).contains("4417");
      assertThat(answer).contains("4417");
      assertThat(memory.segments("mira").get(0).tier().isImage()).as("the fact is on an aged page")
          .isTrue();
    }
  }

  @Test
  void through_ai_services_the_recall_tool_answers_with_the_fact_not_the_question_or_its_own_call() {
    ScriptedChatModel model = new ScriptedChatModel();
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("recall")).fonts(FontSet.latinOnly()).executor(Runnable::run).build()) {
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
          .chatMemoryProvider(OpticalChatMemoryProvider.of(memory, 3_000, VisionReader.openAi()))
          .tools(new RecallTool(memory)).build();
      assistant.chat("ada", "Note this: my locker at the ferry office has the code 7312.");
      List<MemoryTurn> filler = Conversations.harbour(60, 2);
      for (MemoryTurn t : filler) {
        assistant.chat("ada", t.text());
      }
      assistant.chat("ada", "What is the code of my locker ferry office?");
      String first = lastToolResult(model);
      assertThat(first.lines().filter(l -> l.startsWith("turn ")).findFirst().orElseThrow())
          .as("the first passage's first line").contains("7312");
      assertThat(first).doesNotContain("What is the code").doesNotContain("[calls recall");
      // A second question: the first recall's call and result are not memories either.
      assistant.chat("ada", "Again, what is the code of my locker ferry office?");
      String second = lastToolResult(model);
      assertThat(second).contains("7312").doesNotContain("[calls recall")
          .doesNotContain("Tool recall:").doesNotContain("Again, what is");
    }
  }

  private static String lastToolResult(ScriptedChatModel model) {
    for (int i = model.requests.size() - 1; i >= 0; i--) {
      List<ChatMessage> messages = model.requests.get(i).messages();
      if (messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage result) {
        return result.text();
      }
    }
    throw new AssertionError("no tool result was sent");
  }
}
