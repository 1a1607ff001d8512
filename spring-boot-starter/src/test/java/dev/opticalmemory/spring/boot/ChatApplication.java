package dev.opticalmemory.spring.boot;

import dev.opticalmemory.memory.springai.OpticalMemoryAdvisor;
import dev.opticalmemory.memory.springai.OpticalMemoryTools;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Spring AI application as a user writes it: the starter, a ChatClient, the advisor, tools. */
@SpringBootApplication
class ChatApplication {
  @Bean
  ChatClient chatClient(ChatClient.Builder builder, OpticalMemoryAdvisor memory,
      OpticalMemoryTools tools) {
    return builder.defaultAdvisors(memory).defaultTools(tools).build();
  }
}
