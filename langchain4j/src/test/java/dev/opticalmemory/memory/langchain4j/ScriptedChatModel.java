package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A test double of the LLM (no model runs here): it records every request and answers by script.
 * Asked a question containing "?", it calls the recall tool with the question's last words; given a
 * tool result, it answers with it; otherwise it acknowledges.
 */
final class ScriptedChatModel implements ChatModel {
  final List<ChatRequest> requests = new ArrayList<>();

  @Override
  public ChatResponse doChat(ChatRequest request) {
    requests.add(request);
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    AiMessage reply;
    if (last instanceof ToolExecutionResultMessage result) {
      reply = AiMessage.from("From my notes: " + result.text());
    } else if (last instanceof UserMessage user && user.singleText().endsWith("?")
        && !request.toolSpecifications().isEmpty()) {
      String question = user.singleText();
      String keywords = question.replaceAll("[^A-Za-z0-9 ]", "").replaceAll("^.*\\bmy\\b ", "");
      var tool = request.toolSpecifications().get(0);
      String parameter = tool.parameters().properties().keySet().iterator().next();
      reply = AiMessage.from(ToolExecutionRequest.builder().id("recall-" + requests.size())
          .name(tool.name()).arguments("{\"" + parameter + "\": \"" + keywords + "\"}").build());
    } else {
      String text = last instanceof UserMessage user ? user.singleText() : "";
      String[] words = text.split("\\s+");
      reply = AiMessage.from("Noted: " + String.join(" ", List.of(words).subList(0,
          Math.min(6, words.length))));
    }
    return ChatResponse.builder().aiMessage(reply).build();
  }
}
