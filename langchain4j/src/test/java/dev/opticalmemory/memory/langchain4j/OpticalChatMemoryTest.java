package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpticalChatMemoryTest {
  @TempDir Path tmp;
  OpticalMemory memory;

  @BeforeEach
  void open() {
    memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run).agingPolicy(AgingPolicy.byTokens(800, 2_000, 4_000, 8_000, 50_000))
        .build();
  }

  @AfterEach
  void close() {
    memory.close();
  }

  private static List<ChatMessage> chat(int turns, boolean withTools) {
    List<ChatMessage> messages = new ArrayList<>();
    List<MemoryTurn> script = Conversations.harbour(turns, 3);
    for (int i = 0; i < script.size(); i++) {
      String text = script.get(i).text();
      if (withTools && i % 7 == 5) {
        String id = "call-" + i;
        messages.add(AiMessage.from(ToolExecutionRequest.builder().id(id).name("tide_table")
            .arguments("{\"hour\": " + (i % 24) + "}").build()));
        messages.add(ToolExecutionResultMessage.from(id, "tide_table", "High water at " + (i % 24)
            + ":04, 4.1 m. " + text));
      } else {
        messages.add(i % 2 == 0 ? UserMessage.from(text) : AiMessage.from(text));
      }
    }
    return messages;
  }

  @Test
  void messages_are_the_system_message_then_the_pages_then_the_recent_messages_as_they_were() {
    OpticalChatMemory chat = OpticalChatMemory.builder().id("c").memory(memory).budget(4_000)
        .reader(VisionReader.openAi()).build();
    chat.add(SystemMessage.from("You are the harbour assistant."));
    List<ChatMessage> added = chat(200, false);
    added.forEach(chat::add);

    List<ChatMessage> messages = chat.messages();
    VisionTokenCountEstimator estimator = new VisionTokenCountEstimator(VisionReader.openAi());
    assertThat(estimator.estimateTokenCountInMessages(messages)).isLessThanOrEqualTo(4_000);
    assertThat(messages.get(0)).isEqualTo(SystemMessage.from("You are the harbour assistant."));
    UserMessage pages = (UserMessage) messages.get(1);
    List<ImageContent> images = pages.contents().stream().filter(ImageContent.class::isInstance)
        .map(ImageContent.class::cast).toList();
    assertThat(images).isNotEmpty();
    BufferedImage first = PageImages.decode(Base64.getDecoder().decode(images.get(0).image()
        .base64Data()));
    assertThat(first.getWidth()).isIn(768, 512);
    assertThat(images.get(0).image().mimeType()).isEqualTo("image/png");
    List<ChatMessage> recent = messages.subList(2, messages.size());
    assertThat(recent).isNotEmpty();
    assertThat(added).endsWith(recent.toArray(new ChatMessage[0]));
    assertThat(chat.lastContext().images()).hasSize(images.size());
  }

  @Test
  void a_memory_that_marks_its_pages_tells_the_model_what_the_numbers_on_them_are() {
    try (OpticalMemory marked = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("marked")).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.byTokens(800, 2_000, 4_000, 8_000, 50_000)).regionMarks(true)
        .build()) {
      OpticalChatMemory chat = OpticalChatMemory.builder().id("c").memory(marked).budget(4_000)
          .reader(VisionReader.openAi()).build();
      chat(200, false).forEach(chat::add);

      UserMessage pages = (UserMessage) chat.messages().get(0);

      assertThat(pages.contents().get(0))
          .isEqualTo(TextContent.from(OpticalChatMemory.MARKED_HEADER));
    }
    OpticalChatMemory plain = OpticalChatMemory.builder().id("c").memory(memory).budget(4_000)
        .reader(VisionReader.openAi()).build();
    chat(200, false).forEach(plain::add);
    assertThat(((UserMessage) plain.messages().get(0)).contents().get(0))
        .isEqualTo(TextContent.from(OpticalChatMemory.DEFAULT_HEADER));
  }

  @Test
  void the_recall_tool_leaves_out_what_the_agent_already_sees_the_question_included() {
    OpticalChatMemoryProvider provider = OpticalChatMemoryProvider.of(memory, 4_000,
        VisionReader.openAi());
    dev.langchain4j.memory.ChatMemory chat = provider.get("c");
    assertThat(provider.shownTurns("c")).isEmpty();
    chat(120, false).forEach(chat::add);
    chat.add(UserMessage.from("Remind me: locker code"));
    chat.messages(); // the context the model is sent
    assertThat(provider.shownTurns("c")).contains(120).doesNotContain(3);

    String blind = new RecallTool(memory, 3).recall("c", "locker code");
    String seeing = new RecallTool(memory, 3, provider).recall("c", "locker code");
    assertThat(blind).as("the exchange being answered is left out even without the provider")
        .doesNotContain("Remind me: locker code").contains("4417");
    assertThat(seeing).doesNotContain("Remind me").contains("4417");
    // Each page's turns, each with its number and when it was said; neighbours marked as context.
    assertThat(seeing).containsPattern("\\[page \\d+, turns \\d+-\\d+, read at (TEXT|LARGE|BASE|SMALL|TINY)")
        .containsPattern("turn \\d+, \\d{1,2} [A-Z][a-z]+ \\d{4} \\d\\d:\\d\\d UTC: ")
        .contains(" (context): ");
  }

  @Test
  void a_tool_call_is_never_sent_without_its_results_nor_a_result_without_its_call() {
    for (int budget : new int[] {600, 900, 1_500, 3_000}) {
      OpticalChatMemory chat = OpticalChatMemory.builder().id("t" + budget).memory(memory)
          .budget(budget).reader(VisionReader.gemini()).recentTurnsFloor(1).build();
      List<ChatMessage> added = chat(150, true);
      for (ChatMessage m : added) {
        chat.add(m);
        List<ChatMessage> messages = chat.messages();
        Set<String> calls = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
          if (messages.get(i) instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
            String id = ai.toolExecutionRequests().get(0).id();
            calls.add(id);
            int at = added.indexOf(ai);
            if (at + 1 < added.size() && added.get(at + 1) instanceof ToolExecutionResultMessage r
                && added.indexOf(m) > at) {
              assertThat(messages).as("budget %d", budget).contains(r);
            }
          }
          if (messages.get(i) instanceof ToolExecutionResultMessage r) {
            assertThat(calls).as("budget %d: result %s", budget, r.id()).contains(r.id());
          }
        }
      }
    }
  }

  @Test
  void the_estimator_counts_images_by_the_readers_formula_and_what_it_cannot_measure_at_the_readers_largest_price() {
    BufferedImage page = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
    String png = Base64.getEncoder().encodeToString(PageImages.encodePng(page));
    VisionTokenCountEstimator openAi = new VisionTokenCountEstimator(VisionReader.openAi());
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from(png, "image/png", ImageContent.DetailLevel.HIGH)))).isEqualTo(765);
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from(png, "image/png", ImageContent.DetailLevel.LOW)))).isEqualTo(85);
    assertThat(new VisionTokenCountEstimator(VisionReader.deepSeekOcr()).estimateTokenCountInMessage(
        UserMessage.from(ImageContent.from(png, "image/png")))).isEqualTo(273);
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from("https://example.org/page.png", ImageContent.DetailLevel.HIGH))))
        .as("a URL is not fetched: the dearest image, 768 x 2048 px").isEqualTo(1_445);
    assertThat(new VisionTokenCountEstimator(VisionReader.openAi(), 1024, 1024)
        .estimateTokenCountInMessage(UserMessage.from(ImageContent.from(
            "https://example.org/page.png", ImageContent.DetailLevel.HIGH))))
        .as("an assumed size, when given").isEqualTo(765);
    assertThat(openAi.estimateTokenCountInText("hello world")).isEqualTo(2);
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from("bm90IGFuIGltYWdl", "image/png"))))
        .as("data that is not an image").isEqualTo(1_445);
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from("not base64 at all!", "image/png")))).as("corrupt base64")
        .isEqualTo(1_445);
  }

  @Test
  void the_estimator_reads_a_png_size_from_its_header_and_other_formats_whole() throws Exception {
    VisionTokenCountEstimator openAi = new VisionTokenCountEstimator(VisionReader.openAi());
    BufferedImage wide = new BufferedImage(640, 400, BufferedImage.TYPE_BYTE_GRAY);
    String png = Base64.getEncoder().encodeToString(PageImages.encodePng(wide));
    assertThat(VisionTokenCountEstimator.pngSize(png)).containsExactly(640, 400);
    // Two 512 px tiles across, one down: 85 + 2 x 170.
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from(png, "image/png", ImageContent.DetailLevel.HIGH)))).isEqualTo(425);
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new BufferedImage(640, 400, BufferedImage.TYPE_INT_RGB), "jpg",
        jpeg);
    String jpg = Base64.getEncoder().encodeToString(jpeg.toByteArray());
    assertThat(VisionTokenCountEstimator.pngSize(jpg)).isNull();
    assertThat(openAi.estimateTokenCountInMessage(UserMessage.from(
        ImageContent.from(jpg, "image/jpeg", ImageContent.DetailLevel.HIGH)))).isEqualTo(425);
    assertThat(VisionTokenCountEstimator.pngSize("short")).isNull();
    assertThat(VisionTokenCountEstimator.pngSize("#".repeat(40))).as("not base64").isNull();
  }

  @Test
  void settings_are_validated_and_clear_forgets_the_conversation() {
    assertThatThrownBy(() -> OpticalChatMemory.builder().id("x").memory(memory).build())
        .hasMessage("id, memory and budget are required, but budget is missing");
    assertThatThrownBy(() -> OpticalChatMemory.builder().budget(10))
        .hasMessage("budget must be between 100 and 10000000 tokens, but is: 10");
    assertThatThrownBy(() -> OpticalChatMemory.builder().recentTurnsFloor(-1))
        .hasMessage("recentTurnsFloor must be between 0 and 10000, but is: -1");
    OpticalChatMemory chat = OpticalChatMemory.builder().id(42).memory(memory).budget(1_000).build();
    assertThat(chat.messages()).isEmpty();
    chat.add(UserMessage.from("Hello"));
    assertThat(chat.messages()).containsExactly(UserMessage.from("Hello"));
    chat.clear();
    assertThat(memory.conversations()).doesNotContain("42");
    assertThat(chat.messages()).isEmpty();
  }

  @Test
  void one_plan_priced_with_its_page_labels_fits_every_budget_without_planning_again() {
    List<ChatMessage> added = chat(300, true);
    VisionTokenCountEstimator estimator = new VisionTokenCountEstimator(VisionReader.openAi());
    OpticalChatMemory writer = OpticalChatMemory.builder().id("c").memory(memory).budget(1_000)
        .build();
    writer.add(SystemMessage.from("You are the harbour assistant."));
    added.forEach(writer::add);
    for (int budget = 1_500; budget <= 9_000; budget += 750) {
      OpticalChatMemory chat = OpticalChatMemory.builder().id("c").memory(memory).budget(budget)
          .reader(VisionReader.openAi()).build();
      List<ChatMessage> messages = chat.messages();
      AssembledContext context = chat.lastContext();
      int labels = 0;
      for (PageItem page : context.images()) {
        labels += estimator.estimateTokenCountInText(OpticalChatMemory.pageLabel(
            memory.operations().segment("c", page.segment())));
      }
      int images = context.images().stream().mapToInt(PageItem::tokens).sum();
      assertThat(images).as("budget %d: the pages' prices hold their labels", budget)
          .isEqualTo(labels + context.images().stream()
              .mapToInt(p -> VisionReader.openAi().delivery(p.tier()).tokens()).sum());
      assertThat(estimator.estimateTokenCountInMessages(messages)).as("budget %d", budget)
          .isLessThanOrEqualTo(budget);
    }
  }

  @Test
  void images_made_ahead_run_on_the_executor_the_chat_memory_is_given() throws Exception {
    java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
    try {
      OpticalChatMemory chat = OpticalChatMemory.builder().id("c").memory(memory).budget(3_000)
          .executor(task -> {
            tasks.incrementAndGet();
            pool.execute(task);
          }).build();
      chat(200, false).forEach(chat::add);
      assertThat(chat.messages()).isNotEmpty();
      assertThat(chat.lastContext().images()).isNotEmpty();
      assertThat(chat.awaitPagesAhead(Duration.ofMinutes(1))).isTrue();
      assertThat(tasks.get()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pages_the_background_moves_down_a_tier_are_made_ahead_not_by_the_next_request()
      throws Exception {
    // Background work on its own thread, as in an application: a page closing moves older ones
    // down a tier after the request that saw them.
    try (OpticalMemory async = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("async")).fonts(FontSet.latinOnly())
        .agingPolicy(AgingPolicy.byTokens(800, 2_000, 4_000, 8_000, 50_000)).build()) {
      OpticalChatMemory chat = OpticalChatMemory.builder().id("c").memory(async).budget(6_000)
          .reader(VisionReader.openAi()).build();
      List<ChatMessage> script = chat(600, false);
      int next = 0;
      for (; next < 200; next++) {
        chat.add(script.get(next));
      }
      assertThat(async.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      chat.messages();
      AssembledContext before = chat.lastContext();
      assertThat(chat.awaitPagesAhead(Duration.ofMinutes(1))).isTrue();
      long madeBefore = chat.imagesMadeOnRequest();

      Map<Long, Tier> storedBefore = new HashMap<>();
      before.images().forEach(i -> storedBefore.put(i.segment(), i.storedTier()));
      List<PageItem> moved = List.of();
      while (moved.isEmpty() && next < script.size()) {
        // A user message and a reply, as a chat appends them, then the next request.
        chat.add(script.get(next++));
        chat.add(script.get(next++));
        assertThat(async.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
        assertThat(chat.awaitPagesAhead(Duration.ofMinutes(1))).isTrue();
        long made = chat.imagesMadeOnRequest();
        chat.messages();
        AssembledContext after = chat.lastContext();
        moved = after.images().stream().filter(i -> storedBefore.containsKey(i.segment())
            && storedBefore.get(i.segment()) != i.storedTier()
            && i.tier() == i.storedTier()).toList();
        if (moved.isEmpty()) {
          madeBefore += chat.imagesMadeOnRequest() - made;
          after.images().forEach(i -> storedBefore.put(i.segment(), i.storedTier()));
        }
      }
      assertThat(moved).as("pages sent at their new stored tier after moving down").isNotEmpty();
      assertThat(chat.imagesMadeOnRequest()).as("images the request made itself")
          .isEqualTo(madeBefore);
    }
  }
}
