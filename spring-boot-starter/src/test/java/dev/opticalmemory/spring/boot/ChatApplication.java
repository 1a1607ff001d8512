package dev.opticalmemory.spring.boot;

import dev.opticalmemory.memory.springai.OpticalMemoryAdvisor;
import dev.opticalmemory.memory.springai.OpticalMemoryTools;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring AI application as a user writes it: the starter, a ChatClient, the advisor, tools. The
 * README shows the part between the marks, word for word (ReadmeSnippetTest).
 */
// README:start
@SpringBootApplication
class ChatApplication {
  @Bean
  ChatClient chatClient(ChatClient.Builder builder, OpticalMemoryAdvisor memory,
      OpticalMemoryTools tools) {
    return builder.defaultAdvisors(memory).defaultTools(tools).build();
  }
}
// README:end
