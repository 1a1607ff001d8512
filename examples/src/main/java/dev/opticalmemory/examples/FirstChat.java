// README:start
package dev.opticalmemory.examples;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.langchain4j.OpticalChatMemoryProvider;
import dev.opticalmemory.memory.langchain4j.ReadTool;
import dev.opticalmemory.memory.langchain4j.RecallTool;
import java.nio.file.Path;

/** The README's LangChain4j example: an AiServices assistant whose chats live in an optical memory. */
public final class FirstChat {
  public interface Assistant {
    String chat(@MemoryId String user, @UserMessage String message);
  }

  /** An assistant on {@code model} whose every chat is kept in {@code memory}. */
  public static Assistant assistant(ChatModel model, OpticalMemory memory) {
    OpticalChatMemoryProvider chats = OpticalChatMemoryProvider.of(memory, 8_000, VisionReader.openAi());
    return AiServices.builder(Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(chats)
        // recall leaves out the turns the model already sees; read reads a page's turns exactly
        .tools(new RecallTool(memory, 3, chats), new ReadTool(memory))
        .build();
  }

  /** Says one thing to the assistant, with the memory in {@code folder/agent-memory.mv.db}. */
  public static String firstReply(ChatModel model, Path folder) {
    try (OpticalMemory memory = OpticalMemory.builder().path(folder.resolve("agent-memory")).build()) {
      return assistant(model, memory).chat("user-42", "The spare key is under the blue anchor.");
    }
  }
}
// README:end
