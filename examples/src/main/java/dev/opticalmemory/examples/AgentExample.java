package dev.opticalmemory.examples;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.langchain4j.OpticalChatMemoryProvider;
import dev.opticalmemory.memory.langchain4j.RecallTool;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A chat assistant with an optical memory, talking to any OpenAI-compatible server (OpenAI, vLLM,
 * Ollama's {@code /v1}). Old turns reach the model as page images; the recall tool reads exact
 * words back. Run it with {@code ./optical-memory agent}.
 */
public final class AgentExample {
  interface Assistant {
    @SystemMessage("You are a helpful assistant with a long memory. Earlier parts of the"
        + " conversation may be shown as page images; call the recall tool for exact words.")
    String chat(@MemoryId String user, @UserMessage String message);
  }

  /** Reads lines from {@code in} and answers each; returns the exit status. */
  public static int run(BufferedReader in, PrintWriter out, Map<String, String> env) throws Exception {
    String url = env.get("OPTICAL_MEMORY_LLM_URL");
    String model = env.get("OPTICAL_MEMORY_LLM_MODEL");
    if (url == null || model == null) {
      out.println("The agent needs a chat model. Set OPTICAL_MEMORY_LLM_URL and"
          + " OPTICAL_MEMORY_LLM_MODEL (and OPTICAL_MEMORY_LLM_KEY if the server wants a key), e.g."
          + "\n  OPTICAL_MEMORY_LLM_URL=http://localhost:11434/v1 OPTICAL_MEMORY_LLM_MODEL=qwen2.5vl"
          + " ./optical-memory agent   (Ollama)"
          + "\n  OPTICAL_MEMORY_LLM_URL=https://api.openai.com/v1 OPTICAL_MEMORY_LLM_MODEL=gpt-4o"
          + " OPTICAL_MEMORY_LLM_KEY=sk-... ./optical-memory agent"
          + "\nOptional: OPTICAL_MEMORY_READER (the model and server, as 'price' names them: gpt-4o,"
          + " gpt-5.4, claude, gemini-3, qwen2.5-vl:ollama...; default gpt-4o), OPTICAL_MEMORY_BUDGET (default 8000), OPTICAL_MEMORY_DB"
          + " (default agent-memory).");
      return 0;
    }
    ChatModel chatModel = OpenAiChatModel.builder().baseUrl(url).modelName(model)
        .apiKey(env.getOrDefault("OPTICAL_MEMORY_LLM_KEY", "none")).build();
    VisionReader reader = VisionReader.named(env.getOrDefault("OPTICAL_MEMORY_READER", "gpt-4o"));
    String budgetText = env.getOrDefault("OPTICAL_MEMORY_BUDGET", "8000");
    int budget;
    try {
      budget = Integer.parseInt(budgetText.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("OPTICAL_MEMORY_BUDGET must be a number of tokens, but is: "
          + budgetText, e);
    }
    Path db = Path.of(env.getOrDefault("OPTICAL_MEMORY_DB", "agent-memory"));

    try (OpticalMemory memory = OpticalMemory.builder().path(db).build()) {
      OpticalChatMemoryProvider chats = OpticalChatMemoryProvider.of(memory, budget, reader);
      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(chatModel)
          .chatMemoryProvider(chats)
          .tools(new RecallTool(memory, 3, chats))
          .build();
      out.println("Talking to " + model + " at " + url + "; memory in " + db + ".mv.db. Empty line"
          + " to quit.");
      for (String line = prompt(in, out); line != null && !line.isBlank(); line = prompt(in, out)) {
        out.println(assistant.chat("you", line));
      }
    }
    return 0;
  }

  private static String prompt(BufferedReader in, PrintWriter out) throws Exception {
    out.print("> ");
    out.flush();
    return in.readLine();
  }

  public static void main(String[] args) throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(run(new BufferedReader(new java.io.InputStreamReader(System.in)), out,
        System.getenv()));
  }
}
