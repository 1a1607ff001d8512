package dev.opticalmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.springai.OpticalSpringChatMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in a Spring Boot application with Spring AI's OpenAI model, against a stand-in
 * OpenAI-compatible server (the boundary we cannot run here).
 */
class StarterTest {
  static final int BUDGET = 3000;

  @TempDir Path tmp;
  private StandInOpenAi llm;

  @BeforeEach
  void start() throws Exception {
    llm = new StandInOpenAi();
  }

  @AfterEach
  void stop() {
    llm.close();
  }

  static ConfigurableApplicationContext run(StandInOpenAi llm, String... properties) {
    List<String> all = new ArrayList<>(List.of("--spring.ai.openai.api-key=test-key",
        "--spring.ai.openai.base-url=" + llm.baseUrl(),
        "--spring.ai.openai.chat.options.model=gpt-4o", "--spring.main.banner-mode=off",
        "--logging.level.root=warn", "--optical-memory.budget=" + BUDGET,
        "--optical-memory.reader=openai"));
    for (String p : properties) {
      String key = p.substring(0, p.indexOf('=') + 1);
      all.removeIf(d -> d.startsWith(key));
      all.add(p);
    }
    return new SpringApplicationBuilder(ChatApplication.class).web(
        org.springframework.boot.WebApplicationType.NONE).run(all.toArray(String[]::new));
  }

  /** 300 turns of the harbour conversation, the locker code planted early. */
  static void fill(OpticalSpringChatMemory chat, String conversation) {
    List<Message> messages = new ArrayList<>();
    for (MemoryTurn t : Conversations.harbour(300, 7)) {
      messages.add(t.role() == Role.USER ? new UserMessage(t.text())
          : new AssistantMessage(t.text()));
    }
    chat.add(conversation, messages);
  }

  @Test
  void a_boot_application_with_the_advisor_sends_pages_within_the_budget_and_recalls_a_planted_fact()
      throws Exception {
    String db = tmp.resolve("memory").toString();
    try (ConfigurableApplicationContext app = run(llm, "--optical-memory.db=" + db)) {
      OpticalSpringChatMemory chat = app.getBean(OpticalSpringChatMemory.class);
      fill(chat, "c");
      assertThat(app.getBean(OpticalMemory.class).operations().awaitIdle(Duration.ofMinutes(3)))
          .isTrue();
      ChatClient client = app.getBean(ChatClient.class);
      String answer = client.prompt().user("What is my locker code?")
          .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c")).call().content();
      assertThat(answer).contains("4417");
      assertThat(llm.violations).isEmpty();
      assertThat(llm.requests).hasSize(2);
      StandInOpenAi.Seen first = llm.requests.get(0);
      assertThat(first.images()).as("pages sent as images").isPositive();
      assertThat(first.toolsOffered()).isTrue();
      assertThat(first.tokens()).as("content counted by the stand-in").isLessThanOrEqualTo(BUDGET);
      assertThat(first.texts().get(first.texts().size() - 1)).isEqualTo("What is my locker code?");
    }
    try (ConfigurableApplicationContext again = run(llm, "--optical-memory.db=" + db)) {
      OpticalMemory memory = again.getBean(OpticalMemory.class);
      assertThat(memory.stats("c").turns()).as("300 turns, the question and the answer")
          .isEqualTo(302);
      List<Message> messages = again.getBean(OpticalSpringChatMemory.class).get("c");
      assertThat(messages.get(messages.size() - 1).getText()).contains("4417");
    }
  }
}
