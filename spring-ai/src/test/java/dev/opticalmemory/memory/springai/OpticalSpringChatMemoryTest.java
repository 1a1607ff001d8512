package dev.opticalmemory.memory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

class OpticalSpringChatMemoryTest {
  @TempDir Path tmp;

  private OpticalMemory memory() {
    return OpticalMemory.builder().path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run).decodeInBackground(false)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build();
  }

  private static byte[] png(int side) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  private static List<Message> harbour(int turns) {
    List<Message> messages = new ArrayList<>();
    for (MemoryTurn t : Conversations.harbour(turns, 7)) {
      messages.add(t.role() == Role.USER ? new UserMessage(t.text())
          : new AssistantMessage(t.text()));
    }
    return messages;
  }

  @Test
  void older_history_comes_back_as_png_pages_and_the_newest_turns_as_text_within_the_budget() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).budget(2000).build();
      chat.add("c", harbour(300));
      List<Message> got = chat.get("c");
      UserMessage pages = (UserMessage) got.get(0);
      assertThat(pages.getText()).startsWith(OpticalSpringChatMemory.DEFAULT_HEADER)
          .contains("image 1: page ");
      assertThat(pages.getMedia()).isNotEmpty().allSatisfy(m -> assertThat(m.getMimeType())
          .isEqualTo(MimeTypeUtils.IMAGE_PNG));
      assertThat(got.get(got.size() - 1).getText()).isEqualTo(harbour(300).get(299).getText());
      assertThat(chat.shownTurns("c")).contains(299).doesNotContain(0);
    }
  }

  @Test
  void a_memory_that_marks_its_pages_tells_the_model_what_the_numbers_on_them_are() {
    try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("marked"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).decodeInBackground(false)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).regionMarks(true)
        .build()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).budget(2000).build();
      chat.add("c", harbour(300));

      assertThat(chat.get("c").get(0).getText())
          .startsWith(OpticalSpringChatMemory.MARKED_HEADER);
    }
  }

  @Test
  void a_users_image_is_kept_priced_by_its_size_and_sent_back_as_given() throws Exception {
    byte[] photo = png(1024);
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).budget(5000)
          .reader(VisionReader.named("openai")).build();
      chat.add("c", List.of(UserMessage.builder().text("my boat").media(List.of(Media.builder()
          .mimeType(MimeTypeUtils.IMAGE_PNG).data(photo).build())).build()));
      UserMessage back = (UserMessage) chat.get("c").get(0);
      assertThat(back.getMedia()).hasSize(1);
      assertThat(back.getMedia().get(0).getDataAsByteArray()).isEqualTo(photo);
      OpticalSpringChatMemory tight = OpticalSpringChatMemory.builder(memory).budget(300)
          .reader(VisionReader.named("openai")).build();
      UserMessage shrunk = (UserMessage) tight.get("c").get(0);
      assertThat(shrunk.getMedia()).as("765 tokens do not fit 300").isEmpty();
      assertThat(shrunk.getText()).contains("my boat").contains("image omitted");
    }
  }

  @Test
  void media_that_is_not_an_image_refuses_the_whole_batch_naming_its_position_and_type() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).build();
      List<Message> batch = List.of(new UserMessage("first"), UserMessage.builder().text("a pdf")
          .media(List.of(Media.builder().mimeType(MimeType.valueOf("application/pdf"))
              .data(new byte[] {1, 2, 3}).build())).build());
      assertThatThrownBy(() -> chat.add("c", batch))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("messages[1]").hasMessageContaining("application/pdf");
      assertThat(memory.operations().contains("c")).as("nothing kept in part").isFalse();
    }
  }

  @Test
  void the_system_message_outlives_a_restart_and_clear_forgets_it_with_the_conversation() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).build();
      chat.add("c", List.of(new SystemMessage("Be brief."), new UserMessage("hello"),
          new AssistantMessage("hi")));
    }
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).build();
      List<Message> got = chat.get("c");
      assertThat(got.get(0)).isEqualTo(new SystemMessage("Be brief."));
      assertThat(got).extracting(Message::getText).containsExactly("Be brief.", "hello", "hi");
      chat.clear("c");
      assertThat(chat.get("c")).isEmpty();
    }
  }

  @Test
  void tool_calls_and_results_are_kept_and_sent_back_as_text() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).build();
      chat.add("c", List.of(AssistantMessage.builder().content("").toolCalls(List.of(
          new AssistantMessage.ToolCall("1", "function", "weather", "{\"city\":\"Oslo\"}")))
          .build(), ToolResponseMessage.builder().responses(List.of(
          new ToolResponseMessage.ToolResponse("1", "weather", "rain"))).build()));
      assertThat(chat.get("c")).extracting(Message::getText)
          .containsExactly("[calls weather {\"city\":\"Oslo\"}]", "Result of weather: rain");
    }
  }

  @Test
  void a_blank_conversation_id_or_a_budget_of_zero_is_refused_naming_it() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).build();
      assertThatThrownBy(() -> chat.get(" ")).hasMessageContaining("conversationId");
      assertThatThrownBy(() -> OpticalSpringChatMemory.builder(memory).budget(0))
          .hasMessageContaining("budget").hasMessageContaining("0");
      assertThatThrownBy(() -> chat.get("c", 0, "")).hasMessageContaining("budget");
    }
  }

  @Test
  void the_tools_recall_a_planted_fact_read_a_page_and_explain_a_missing_conversation() {
    try (OpticalMemory memory = memory()) {
      OpticalSpringChatMemory chat = OpticalSpringChatMemory.builder(memory).budget(1500).build();
      chat.add("c", harbour(300));
      chat.get("c");
      OpticalMemoryTools tools = new OpticalMemoryTools(chat, 3);
      ToolContext context = new ToolContext(Map.of(ChatMemory.CONVERSATION_ID, "c"));
      assertThat(tools.recall("locker code", context)).contains("4417");
      assertThat(tools.read(0, 0, 5, context)).startsWith("[page 0, turns 0-4");
      assertThat(tools.read(9999, 0, 5, context)).startsWith("Cannot read that:");
      assertThat(tools.recall("locker", new ToolContext(Map.of())))
          .contains("no conversation id");
      assertThat(tools.remember("locker code", context)).startsWith("Kept sharp: turn");
    }
  }
}
