package dev.opticalmemory.cli;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.opticalmemory.examples.FirstChat;
import dev.opticalmemory.memory.OpticalMemory;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The child process of {@code bench chat}, a fresh JVM per run: {@code SYSTEM DB CHATS PAUSE_MS}, where
 * SYSTEM is {@code optical} (the README's {@link FirstChat} assistant on the memory in DB) or
 * {@code window} (the same assistant with LangChain4j's {@code MessageWindowChatMemory} of 20
 * messages). The chat model is a stand-in that answers at once, so that what is measured is the
 * memory. Prints {@code FIRST jvm_ms main_ms build_ms} (first reply since the JVM started, since
 * main started, and the part spent building the memory and the assistant), then one
 * {@code CHAT ms} line per further chat (each after a pause of PAUSE_MS, not timed).
 */
public final class ChatBenchChild {
  private ChatBenchChild() {}

  /** A stand-in for the LLM: answers every request at once, never calls a tool. */
  static final class InstantChatModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      return ChatResponse.builder().aiMessage(AiMessage.from("Noted.")).build();
    }
  }

  public static void main(String[] args) throws Exception {
    long main = System.nanoTime();
    String system = args[0];
    int chats = Integer.parseInt(args[2]);
    long pause = Long.parseLong(args[3]);
    ChatModel model = new InstantChatModel();
    if (system.equals("optical")) {
      try (OpticalMemory memory = OpticalMemory.builder().path(Path.of(args[1])).build()) {
        FirstChat.Assistant assistant = FirstChat.assistant(model, memory);
        run(assistant, main, chats, pause);
      }
    } else {
      FirstChat.Assistant assistant = AiServices.builder(FirstChat.Assistant.class)
          .chatModel(model)
          .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
          .build();
      run(assistant, main, chats, pause);
    }
  }

  private static void run(FirstChat.Assistant assistant, long main, int chats, long pause)
      throws InterruptedException {
    long built = System.nanoTime();
    assistant.chat("user-42", "The spare key is under the blue anchor.");
    long now = System.nanoTime();
    long sinceJvm = System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.printf(Locale.ROOT, "FIRST %d %.1f %.1f%n", sinceJvm, (now - main) / 1e6,
        (built - main) / 1e6);
    for (int i = 0; i < chats; i++) {
      Thread.sleep(pause);
      long t = System.nanoTime();
      assistant.chat("user-42", "Note " + i + ": the ferry to the north quay leaves at "
          + (6 + i % 12) + " and the crane on berth " + (i % 7) + " was checked twice.");
      System.out.printf(Locale.ROOT, "CHAT %.3f%n", (System.nanoTime() - t) / 1e6);
    }
    System.out.flush();
  }
}
