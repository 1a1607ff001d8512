package dev.opticalmemory.springbench;

import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import dev.opticalmemory.memory.springai.OpticalMemoryAdvisor;
import dev.opticalmemory.renderer.PageImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The child process of {@code optical-memory bench spring}, a fresh JVM per run on the starter's
 * test classpath (kept apart from the command line's, whose MCP SDK wants other versions of
 * Reactor and a JSON schema validator than Spring AI): {@code prepare DB STORED} stores STORED
 * turns of the harbour conversation, rendered, aged and decoded; {@code SYSTEM DB STORED CHATS
 * PAUSE_MS} times chats. In a package of its own, so that the tests' application does not scan it. SYSTEM is {@code optical} (a Spring Boot application with the starter and its
 * advisor, on the memory in DB) or {@code window} (the same application with Spring AI's {@code
 * MessageChatMemoryAdvisor} over {@code MessageWindowChatMemory} of 20 messages, holding the last of
 * STORED turns). The chat model answers at once, so what is measured is the memory. Prints {@code
 * FIRST jvm_ms main_ms boot_ms}, then {@code CHAT ms tokens} per further chat: its time and its
 * request's content priced for GPT-4o.
 */
public final class SpringBenchChild {
  /** The conversation both systems chat in. */
  static final String CONVERSATION = "user-42";

  private SpringBenchChild() {}

  /** The application: a ChatClient on an instant model, with whichever memory advisor is there. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    InstantModel chatModel() {
      return new InstantModel();
    }

    @Bean
    ChatClient chatClient(InstantModel model, ObjectProvider<OpticalMemoryAdvisor> optical) {
      OpticalMemoryAdvisor mine = optical.getIfAvailable();
      Advisor memory = mine != null ? mine : MessageChatMemoryAdvisor.builder(
          MessageWindowChatMemory.builder().maxMessages(20).build()).build();
      return ChatClient.builder(model).defaultAdvisors(memory).build();
    }
  }

  /** A stand-in for the LLM: answers every request at once and keeps the last prompt. */
  static final class InstantModel implements ChatModel {
    volatile Prompt last;

    @Override
    public ChatResponse call(Prompt prompt) {
      last = prompt;
      return new ChatResponse(List.of(new Generation(new AssistantMessage("Noted."))));
    }
  }

  public static void main(String[] args) throws Exception {
    long main = System.nanoTime();
    if (args[0].equals("prepare")) {
      try (OpticalMemory memory = OpticalMemory.builder().path(java.nio.file.Path.of(args[1]))
          .build()) {
        for (MemoryTurn turn : Conversations.harbour(Integer.parseInt(args[2]), 42)) {
          memory.append(CONVERSATION, turn);
        }
        memory.operations().awaitIdle(java.time.Duration.ofHours(1));
      }
      return;
    }
    String system = args[0];
    String db = args[1];
    int stored = Integer.parseInt(args[2]);
    int chats = Integer.parseInt(args[3]);
    long pause = Long.parseLong(args[4]);
    // The test classpath has Spring AI's OpenAI starter, which needs a key to start; no call
    // reaches it (the chat model here is the instant one).
    List<String> properties = new ArrayList<>(List.of("--logging.level.root=warn",
        "--spring.main.log-startup-info=false", "--spring.ai.openai.api-key=unused"));
    if (system.equals("optical")) {
      properties.add("--optical-memory.db=" + db);
      properties.add("--optical-memory.reader=openai");
      properties.add("--optical-memory.budget=8000");
    } else {
      properties.add("--spring.autoconfigure.exclude="
          + "dev.opticalmemory.spring.boot.OpticalMemoryAutoConfiguration");
    }
    long bootStart = System.nanoTime();
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
        .run(properties.toArray(String[]::new))) {
      long booted = System.nanoTime();
      ChatClient client = app.getBean(ChatClient.class);
      InstantModel model = app.getBean(InstantModel.class);
      if (system.equals("window")) {
        fillWindow(client, stored);
      }
      chat(client, 0);
      long first = System.nanoTime();
      long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.printf(Locale.ROOT, "FIRST %.1f %.1f %.1f%n",
          (double) (System.currentTimeMillis() - jvmStart), (first - main) / 1e6,
          (booted - bootStart) / 1e6);
      for (int i = 1; i <= chats; i++) {
        if (pause > 0) {
          Thread.sleep(pause);
        }
        long wall = System.currentTimeMillis();
        long start = System.nanoTime();
        chat(client, i);
        long took = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "CHAT %.3f %d %d%n", took / 1e6, tokens(model.last), wall);
      }
      System.out.flush();
    }
  }

  private static void chat(ChatClient client, int i) {
    client.prompt().user("Message " + i + ": what did we say about the harbour?")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, CONVERSATION)).call().content();
  }

  /** The window's memory holds the last of the stored turns, as the optical memory holds all. */
  private static void fillWindow(ChatClient client, int stored) {
    // Through the advisor's own memory: a window of 20 keeps the newest, which is what it sends.
    List<MemoryTurn> turns = Conversations.harbour(stored, 42);
    for (MemoryTurn t : turns.subList(Math.max(0, turns.size() - 20), turns.size())) {
      if (t.role() == Role.USER) {
        client.prompt().user(t.text()).advisors(a -> a.param(ChatMemory.CONVERSATION_ID,
            CONVERSATION)).call();
      }
    }
  }

  /** A prompt's content priced for GPT-4o: text with o200k, images by OpenAI's tiles. */
  static long tokens(Prompt prompt) {
    VisionReader reader = VisionReader.openAi();
    long tokens = 0;
    for (Message m : prompt.getInstructions()) {
      tokens += reader.textCounter().count(m.getText() == null ? "" : m.getText());
      if (m instanceof UserMessage user) {
        for (Media media : user.getMedia()) {
          // The size from the header alone: decoding every page of every request here would
          // load the optical child with work the window's child does not have.
          int[] size = PageImages.pngSize(media.getDataAsByteArray());
          tokens += size == null ? reader.largestImageTokens()
              : reader.price(size[0], size[1], Detail.HIGH).tokens();
        }
      }
    }
    return tokens;
  }
}
