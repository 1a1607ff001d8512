package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises LangChain4j's own chat memories keep (its message-window and token-window tests),
 * re-expressed for {@link OpticalChatMemory}: eviction becomes the token budget, priced by the
 * reader, images and all.
 */
class ChatMemoryContractTest {
  @TempDir Path tmp;
  OpticalMemory memory;

  @BeforeEach
  void open() {
    memory = openMemory();
  }

  private OpticalMemory openMemory() {
    return OpticalMemory.builder().decodeInBackground(false).path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.byTokens(800, 2_000, 4_000, 8_000, 50_000)).build();
  }

  @AfterEach
  void close() {
    memory.close();
  }

  private OpticalChatMemory chat(Object id, int budget, VisionReader reader) {
    return OpticalChatMemory.builder().id(id).memory(memory).budget(budget).reader(reader).build();
  }

  /** A 1024 px photo-like image (a gradient with a caption), as base64 PNG. */
  static String photo(int n, int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, Color.DARK_GRAY, side, side,
        new Color(200, 200, 200)));
    g.fillRect(0, 0, side, side);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
    g.drawString("photo " + n, 40, 80);
    g.dispose();
    return Base64.getEncoder().encodeToString(PageImages.encodePng(image));
  }

  private static int cost(VisionReader reader, List<ChatMessage> messages) {
    return new VisionTokenCountEstimator(reader).estimateTokenCountInMessages(messages);
  }

  private static boolean hasImage(ChatMessage m) {
    return m instanceof UserMessage u && u.contents().stream().anyMatch(
        c -> c instanceof ImageContent);
  }

  @Test
  void a_photo_chat_of_fifty_1024_px_photos_in_200_turns_stays_within_budget_at_every_call() {
    VisionReader reader = VisionReader.openAi();
    OpticalChatMemory chat = chat("photos", 8_000, reader);
    chat.add(SystemMessage.from("You are a travel assistant."));
    List<MemoryTurn> script = Conversations.harbour(200, 5);
    String lastPhoto = null;
    for (int i = 0; i < 200; i++) {
      ChatMessage message;
      if (i % 4 == 0) {
        lastPhoto = photo(i, 1024);
        message = UserMessage.from(TextContent.from("Here is photo " + i + ": " + script.get(i)
            .text()), ImageContent.from(lastPhoto, "image/png", ImageContent.DetailLevel.HIGH));
      } else {
        message = i % 2 == 0 ? UserMessage.from(script.get(i).text())
            : AiMessage.from(script.get(i).text());
      }
      chat.add(message);
      List<ChatMessage> sent = chat.messages();
      assertThat(cost(reader, sent)).as("call %d, priced by the reader", i)
          .isLessThanOrEqualTo(8_000);
      assertThat(sent.get(0)).isEqualTo(SystemMessage.from("You are a travel assistant."));
      assertThat(sent.get(sent.size() - 1)).as("the latest message, as it was").isEqualTo(message);
    }
    List<ChatMessage> last = chat.messages();
    long photos = last.stream().filter(ChatMemoryContractTest::hasImage).count();
    assertThat(photos).as("the newest photos still go as images").isGreaterThanOrEqualTo(2);
    assertThat(last.get(1)).as("older turns, photos' captions and all, went onto pages")
        .isInstanceOfSatisfying(UserMessage.class, u -> {
          assertThat(u.contents().get(0))
              .isEqualTo(TextContent.from(OpticalChatMemory.DEFAULT_HEADER));
          for (int c = 1; c < u.contents().size(); c++) {
            if (u.contents().get(c) instanceof ImageContent) {
              assertThat(u.contents().get(c - 1)).as("each page after its numbers")
                  .isInstanceOfSatisfying(TextContent.class, t -> assertThat(t.text())
                      .matches("page \\d+, turns \\d+-\\d+:"));
            }
          }
        });
    assertThat(photos).as("not every photo fits").isLessThan(50);
  }

  @Test
  void an_image_too_dear_for_the_budget_leaves_and_comes_back_when_a_later_context_has_room() {
    VisionReader reader = VisionReader.openAi();
    OpticalChatMemory tight = chat("room", 300, reader);
    UserMessage withPhoto = UserMessage.from(TextContent.from("my boarding pass"),
        ImageContent.from(photo(1, 512), "image/png", ImageContent.DetailLevel.HIGH));
    tight.add(withPhoto);
    for (int i = 0; i < 3; i++) {
      tight.add(AiMessage.from("Noted " + i));
      tight.add(UserMessage.from("And another thing " + i));
      assertThat(cost(reader, tight.messages())).isLessThanOrEqualTo(300);
    }
    List<ChatMessage> sent = tight.messages();
    assertThat(sent).noneMatch(ChatMemoryContractTest::hasImage);
    assertThat(sent.get(0)).isInstanceOf(UserMessage.class);
    assertThat(((UserMessage) sent.get(0)).contents()).first()
        .isEqualTo(TextContent.from("my boarding pass"));
    OpticalChatMemory roomy = chat("room", 4_000, reader);
    assertThat(roomy.messages().get(0)).as("the memory kept the image").isEqualTo(withPhoto);
  }

  @Test
  void images_are_priced_at_their_detail_and_a_low_detail_photo_fits_where_a_high_one_would_not() {
    VisionReader reader = VisionReader.openAi();
    for (ImageContent.DetailLevel detail : ImageContent.DetailLevel.values()) {
      OpticalChatMemory chat = chat("detail-" + detail, 200, reader);
      UserMessage m = UserMessage.from(TextContent.from("look"),
          ImageContent.from(photo(2, 1024), "image/png", detail));
      chat.add(m);
      chat.add(AiMessage.from("I see it."));
      List<ChatMessage> sent = chat.messages();
      assertThat(cost(reader, sent)).as("%s", detail).isLessThanOrEqualTo(200);
      assertThat(hasImage(sent.get(0))).as("%s: 85 tokens fit in 200, 765 do not", detail)
          .isEqualTo(detail == ImageContent.DetailLevel.LOW);
    }
  }

  @Test
  void newest_turns_over_the_budget_give_the_newest_messages_that_fit_and_warn_once() {
    List<LogRecord> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(OpticalChatMemory.class.getName());
    log.addHandler(handler);
    try {
      OpticalChatMemory chat = chat("floor", 100, VisionReader.openAi());
      String long1 = "The ferry timetable for the winter: " + "departures every hour. ".repeat(20);
      chat.add(UserMessage.from(long1));
      chat.add(AiMessage.from("Thanks, noted the whole timetable."));
      chat.add(UserMessage.from("When is the last ferry?"));
      List<ChatMessage> sent = chat.messages();
      assertThat(sent).last().isEqualTo(UserMessage.from("When is the last ferry?"));
      assertThat(cost(VisionReader.openAi(), sent)).isLessThanOrEqualTo(100);
      assertThat(sent).doesNotContain(UserMessage.from(long1));
      chat.messages();
      chat.messages();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getMessage()).contains("budget of 100 tokens").contains("floor");
    } finally {
      log.removeHandler(handler);
    }
  }

  @Test
  void a_single_message_over_the_budget_is_still_returned_rather_than_an_exception() {
    OpticalChatMemory chat = chat("huge", 100, VisionReader.openAi());
    UserMessage huge = UserMessage.from("word ".repeat(500));
    chat.add(huge);
    assertThat(chat.messages()).containsExactly(huge);
  }

  @Test
  void every_message_type_is_stored_and_returned_in_order_equal_to_what_was_added() {
    OpticalChatMemory chat = chat("types", 50_000, VisionReader.openAi());
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("kind", "calendar");
    attributes.put("when", "2026-12-05T09:00");
    List<ChatMessage> added = List.of(
        UserMessage.from("Nora", "hello"),
        AiMessage.from("hi"),
        new CustomMessage(attributes),
        UserMessage.from(TextContent.from("two parts"), TextContent.from("second")),
        AiMessage.from(ToolExecutionRequest.builder().id("t1").name("weather")
            .arguments("{}").build()),
        ToolExecutionResultMessage.from("t1", "weather", "sunny"),
        AiMessage.from("It is sunny."),
        UserMessage.from(ImageContent.from(photo(3, 256), "image/png")));
    added.forEach(chat::add);
    assertThat(chat.messages()).containsExactlyElementsOf(added);
  }

  @Test
  void a_tool_call_stays_with_its_results_at_every_budget() {
    VisionReader reader = VisionReader.openAi();
    OpticalChatMemory chat = chat("tools", 100_000, reader);
    List<MemoryTurn> script = Conversations.harbour(120, 4);
    for (int i = 0; i < script.size(); i++) {
      if (i % 9 == 4) {
        chat.add(AiMessage.from(ToolExecutionRequest.builder().id("c" + i).name("tide")
            .arguments("{\"i\":" + i + "}").build()));
        chat.add(ToolExecutionResultMessage.from("c" + i, "tide", "High water " + i));
      } else {
        chat.add(i % 2 == 0 ? UserMessage.from(script.get(i).text())
            : AiMessage.from(script.get(i).text()));
      }
    }
    for (int budget : new int[] {300, 800, 2_000, 5_000, 100_000}) {
      OpticalChatMemory view = chat("tools", budget, reader);
      List<ChatMessage> sent = view.messages();
      assertThat(cost(reader, sent)).as("budget %d", budget).isLessThanOrEqualTo(budget);
      for (int i = 0; i < sent.size(); i++) {
        if (sent.get(i) instanceof ToolExecutionResultMessage result) {
          assertThat(sent.get(i - 1)).as("budget %d: the result follows its call", budget)
              .isInstanceOfSatisfying(AiMessage.class, ai -> assertThat(
                  ai.toolExecutionRequests()).anyMatch(r -> r.id().equals(result.id())));
        }
      }
    }
  }

  @Test
  void the_system_message_is_one_per_conversation_the_latest_wins_and_it_is_first_after_a_restart() {
    OpticalChatMemory chat = chat("sys", 5_000, VisionReader.openAi());
    chat.add(SystemMessage.from("Be brief."));
    chat.add(UserMessage.from("hi"));
    chat.add(SystemMessage.from("Be brief."));
    chat.add(SystemMessage.from("Be thorough."));
    chat.add(AiMessage.from("hello"));
    assertThat(chat.messages()).containsExactly(SystemMessage.from("Be thorough."),
        UserMessage.from("hi"), AiMessage.from("hello"));
    memory.close();
    memory = openMemory();
    OpticalChatMemory reopened = chat("sys", 5_000, VisionReader.openAi());
    assertThat(reopened.messages()).containsExactly(SystemMessage.from("Be thorough."),
        UserMessage.from("hi"), AiMessage.from("hello"));
    ChatMemory viaProvider = OpticalChatMemoryProvider.of(memory, 5_000, VisionReader.openAi())
        .get("sys");
    assertThat(viaProvider.messages()).first().isEqualTo(SystemMessage.from("Be thorough."));
    reopened.clear();
    assertThat(chat("sys", 5_000, VisionReader.openAi()).messages()).isEmpty();
  }

  @Test
  void a_chat_read_back_after_a_restart_is_the_chat_that_was_written() {
    OpticalChatMemory chat = chat("restart", 3_000, VisionReader.openAi());
    for (MemoryTurn t : Conversations.harbour(150, 6)) {
      chat.add(t.role() == dev.opticalmemory.memory.Role.USER ? UserMessage.from(t.text())
          : AiMessage.from(t.text()));
    }
    List<ChatMessage> before = chat.messages();
    memory.close();
    memory = openMemory();
    assertThat(chat("restart", 3_000, VisionReader.openAi()).messages())
        .usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
  }

  @Test
  void an_image_that_cannot_be_decoded_is_kept_as_given_priced_at_the_largest_and_breaks_nothing() {
    VisionReader reader = VisionReader.openAi();
    OpticalChatMemory chat = chat("broken", 5_000, reader);
    UserMessage corrupt = UserMessage.from(TextContent.from("scan"),
        ImageContent.from("bm90IGFuIGltYWdl", "image/png"));
    UserMessage url = UserMessage.from(TextContent.from("link"),
        ImageContent.from("https://example.org/unreachable.png"));
    chat.add(corrupt);
    chat.add(url);
    chat.add(AiMessage.from("I cannot open those."));
    assertThat(chat.messages()).containsExactly(corrupt, url, AiMessage.from("I cannot open those."));
    assertThat(new VisionTokenCountEstimator(reader).estimateTokenCountInMessage(corrupt))
        .isEqualTo(1 + reader.largestImageTokens());
  }

  @Test
  void a_users_photo_is_kept_beside_its_turn_not_inside_it_and_comes_back_equal_after_a_restart() {
    OpticalChatMemory chat = chat("album", 8_000, VisionReader.openAi());
    String photo = photo(1, 1024);
    UserMessage sent = UserMessage.builder().name("ann").contents(List.of(TextContent.from("my "
        + "boat"), ImageContent.from(photo, "image/png", ImageContent.DetailLevel.LOW)))
        .attributes(Map.of("channel", "web")).build();
    // Base64 that would not come back character for character is kept in the turn as given.
    String unpadded = photo(2, 64).replace("=", "");
    UserMessage odd = UserMessage.from(TextContent.from("thumb"),
        ImageContent.from(unpadded, "image/png"));
    chat.add(sent);
    chat.add(odd);
    chat.add(AiMessage.from("A fine boat."));
    MemoryTurn stored = memory.operations().turns("album", memory.segments("album").get(0).id()).get(0);
    assertThat(stored.attributes().get(ChatTurns.MESSAGE_ATTRIBUTE)).as("the turn holds a "
        + "reference, not the photo").hasSizeLessThan(1_000).contains(ChatTurns.ATTACHED);
    memory.close();
    memory = openMemory();
    assertThat(chat("album", 8_000, VisionReader.openAi()).messages())
        .containsExactly(sent, odd, AiMessage.from("A fine boat."));
  }

  @Test
  void a_request_carries_no_more_images_than_the_limit_and_the_newest_photo_stays() {
    VisionReader reader = VisionReader.openAi();
    OpticalChatMemory chat = OpticalChatMemory.builder().id("few").memory(memory).budget(50_000)
        .reader(reader).maxImages(2).build();
    UserMessage last = null;
    for (int i = 0; i < 5; i++) {
      last = UserMessage.from(TextContent.from("photo " + i), ImageContent.from(photo(i, 256),
          "image/png", ImageContent.DetailLevel.LOW));
      chat.add(last);
      chat.add(AiMessage.from("Seen " + i + "."));
    }
    List<ChatMessage> sent = chat.messages();
    assertThat(sent.stream().filter(ChatMemoryContractTest::hasImage)).hasSize(2);
    assertThat(sent).contains(last);
    assertThat(sent.get(0)).as("the oldest photo's turn stays, with a marker")
        .isInstanceOfSatisfying(UserMessage.class, u -> assertThat(u.contents().get(1))
            .isInstanceOfSatisfying(TextContent.class, t -> assertThat(t.text())
                .startsWith("[image omitted to fit the context budget")));
  }

  /** A grey photo of noise, which PNG cannot shrink: about side squared bytes. */
  private static String noisyPhoto(int n, int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    java.util.Random random = new java.util.Random(n);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.getRaster().setSample(x, y, 0, random.nextInt(256));
      }
    }
    return Base64.getEncoder().encodeToString(PageImages.encodePng(image));
  }

  @Test
  void a_request_weighs_no_more_than_the_byte_limit_and_the_newest_photo_stays() {
    VisionReader reader = VisionReader.openAi();
    long limit = 700_000;
    OpticalChatMemory chat = OpticalChatMemory.builder().id("light").memory(memory).budget(50_000)
        .reader(reader).maxRequestBytes(limit).build();
    UserMessage last = null;
    for (int i = 0; i < 5; i++) {
      last = UserMessage.from(TextContent.from("photo " + i), ImageContent.from(noisyPhoto(i, 512),
          "image/png", ImageContent.DetailLevel.LOW));
      chat.add(last);
      chat.add(AiMessage.from("Seen " + i + "."));
    }
    assertThat(OpticalChatMemory.bytes(last)).as("each photo weighs about 350 KB as base64")
        .isGreaterThan(300_000);
    List<ChatMessage> sent = chat.messages();
    assertThat(sent.stream().mapToLong(OpticalChatMemory::bytes).sum()).isLessThanOrEqualTo(limit);
    assertThat(sent).contains(last);
    assertThat(sent.get(0)).as("the oldest photo's turn stays, with a marker")
        .isInstanceOfSatisfying(UserMessage.class, u -> assertThat(u.contents().get(1))
            .isInstanceOfSatisfying(TextContent.class, t -> assertThat(t.text())
                .startsWith("[image omitted to fit the context budget")));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> OpticalChatMemory.builder().maxRequestBytes(1_000))
        .hasMessage("maxRequestBytes must be at least 131072, but is: 1000");
  }

  @Test
  void a_providers_settings_reach_every_chat_memory_it_gives_and_bad_ones_are_refused_at_once() {
    OpticalChatMemoryProvider provider = OpticalChatMemoryProvider.of(memory, b -> b.budget(50_000)
        .reader(VisionReader.openAi()).maxRequestBytes(700_000));
    dev.langchain4j.memory.ChatMemory chat = provider.get("light");
    for (int i = 0; i < 4; i++) {
      chat.add(UserMessage.from(TextContent.from("photo " + i), ImageContent.from(
          noisyPhoto(i, 512), "image/png", ImageContent.DetailLevel.LOW)));
    }
    assertThat(chat.messages().stream().mapToLong(OpticalChatMemory::bytes).sum())
        .isLessThanOrEqualTo(700_000);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> OpticalChatMemoryProvider.of(memory, b -> b))
        .hasMessage("id, memory and budget are required, but budget is missing");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> OpticalChatMemoryProvider.of(memory, b -> null))
        .hasMessage("settings must return the builder it was given, but returned null");
  }

  @Test
  void chats_written_from_many_threads_stay_whole_and_apart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String id = "user-" + c;
        jobs.add(pool.submit(() -> {
          OpticalChatMemory chat = chat(id, 50_000, VisionReader.openAi());
          for (int i = 0; i < 40; i++) {
            chat.add(UserMessage.from(id + " says " + i));
            chat.add(AiMessage.from("reply to " + id + " " + i));
            assertThat(chat.messages()).last().isEqualTo(AiMessage.from("reply to " + id + " " + i));
          }
          return null;
        }));
      }
      for (Future<?> job : jobs) {
        job.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int c = 0; c < 4; c++) {
      String id = "user-" + c;
      List<ChatMessage> all = chat(id, 50_000, VisionReader.openAi()).messages();
      assertThat(all).hasSize(80);
      assertThat(all).allMatch(m -> m.toString().contains(id));
    }
  }
}
