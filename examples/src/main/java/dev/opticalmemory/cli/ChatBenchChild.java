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
 * The child process of {@code bench chat}, a fresh JVM per run:
 * {@code SYSTEM DB CHATS PAUSE_MS [PHOTOS [MAX_REQUEST_BYTES]]}, where
 * SYSTEM is {@code optical} (the README's {@link FirstChat} assistant on the memory in DB) or
 * {@code window} (the same assistant with LangChain4j's {@code MessageWindowChatMemory} of 20
 * messages). The chat model is a stand-in that answers at once, so that what is measured is the
 * memory. Prints {@code FIRST jvm_ms main_ms build_ms} (first reply since the JVM started, since
 * main started, and the part spent building the memory and the assistant), then one
 * {@code CHAT ms tokens bytes} line per further chat (each after a pause of PAUSE_MS, not timed):
 * its time, and its request's tokens (priced for GPT-4o) and bytes (text, and images as base64).
 */
public final class ChatBenchChild {
  private ChatBenchChild() {}

  /** Requests priced as GPT-4o prices them, images included. */
  private static final dev.opticalmemory.memory.langchain4j.VisionTokenCountEstimator ESTIMATOR =
      new dev.opticalmemory.memory.langchain4j.VisionTokenCountEstimator(
          dev.opticalmemory.memory.context.VisionReader.openAi());

  /** A stand-in for the LLM: answers every request at once, never calls a tool. */
  static final class InstantChatModel implements ChatModel {
    /** The last request's messages, to weigh it after the timed part. */
    volatile java.util.List<dev.langchain4j.data.message.ChatMessage> last = java.util.List.of();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      last = request.messages();
      return ChatResponse.builder().aiMessage(AiMessage.from("Noted.")).build();
    }
  }

  public static void main(String[] args) throws Exception {
    long main = System.nanoTime();
    String system = args[0];
    int chats = Integer.parseInt(args[2]);
    long pause = Long.parseLong(args[3]);
    int photos = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    long maxBytes = args.length > 5 ? Long.parseLong(args[5]) : 0;
    InstantChatModel model = new InstantChatModel();
    if (photos > 0) {
      photoChat(system, Path.of(args[1]), model, main, chats, pause, photos, maxBytes);
      return;
    }
    if (system.equals("optical")) {
      try (OpticalMemory memory = OpticalMemory.builder().path(Path.of(args[1])).build()) {
        FirstChat.Assistant assistant = maxBytes == 0 ? FirstChat.assistant(model, memory)
            : lightAssistant(model, memory, maxBytes);
        run(assistant, model, main, chats, pause);
      }
    } else {
      FirstChat.Assistant assistant = AiServices.builder(FirstChat.Assistant.class)
          .chatModel(model)
          .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
          .build();
      run(assistant, model, main, chats, pause);
    }
  }

  /**
   * The photo variant: every {@code every}th chat the user sends a 1024 px photo, through the chat
   * memory as AiServices drives it (messages, then the model, then the answer added), since an
   * assistant method of a String cannot carry an image. Prints {@code CHAT ms tokens bytes}, the
   * request's tokens priced for GPT-4o and its bytes (text and base64 images).
   */
  /** The README's assistant with requests of at most {@code maxBytes}. */
  private static FirstChat.Assistant lightAssistant(ChatModel model, OpticalMemory memory,
      long maxBytes) {
    dev.opticalmemory.memory.langchain4j.OpticalChatMemoryProvider chats =
        dev.opticalmemory.memory.langchain4j.OpticalChatMemoryProvider.of(memory, b -> b
            .budget(8_000).reader(dev.opticalmemory.memory.context.VisionReader.openAi())
            .maxRequestBytes(maxBytes));
    return AiServices.builder(FirstChat.Assistant.class)
        .chatModel(model)
        .chatMemoryProvider(chats)
        .tools(new dev.opticalmemory.memory.langchain4j.RecallTool(memory, 3, chats),
            new dev.opticalmemory.memory.langchain4j.ReadTool(memory))
        .build();
  }

  private static void photoChat(String system, Path db, ChatModel model, long main, int chats,
      long pause, int every, long maxBytes) throws InterruptedException {
    dev.opticalmemory.memory.context.VisionReader reader =
        dev.opticalmemory.memory.context.VisionReader.openAi();
    dev.opticalmemory.memory.langchain4j.VisionTokenCountEstimator estimator =
        new dev.opticalmemory.memory.langchain4j.VisionTokenCountEstimator(reader);
    OpticalMemory memory = system.equals("optical")
        ? OpticalMemory.builder().path(db).build() : null;
    try {
      dev.langchain4j.memory.ChatMemory chat = memory != null
          ? dev.opticalmemory.memory.langchain4j.OpticalChatMemory.builder().id("user-42")
              .memory(memory).budget(8_000).reader(reader)
              .maxRequestBytes(maxBytes > 0 ? maxBytes : reader.maxRequestBytes()).build()
          : MessageWindowChatMemory.withMaxMessages(20);
      // Each photo differs, as users' photos do: none is stored once and sent again for free.
      // The parent drew them; each is read before its chat's clock starts.
      Path photos = db.resolveSibling("photos");
      long built = System.nanoTime();
      for (int i = -1; i < chats; i++) {
        if (i >= 0) {
          Thread.sleep(pause);
        }
        String photo = i >= 0 && i % every == 0 ? readPhoto(photos, i / every) : null;
        long t = System.nanoTime();
        String text = "Note " + i + ": the ferry to the north quay leaves at " + (6 + Math.abs(i) % 12)
            + " and the crane on berth " + (Math.abs(i) % 7) + " was checked twice.";
        dev.langchain4j.data.message.UserMessage user = photo != null
            ? dev.langchain4j.data.message.UserMessage.from(
                dev.langchain4j.data.message.TextContent.from(text),
                dev.langchain4j.data.message.ImageContent.from(photo,
                    "image/png", dev.langchain4j.data.message.ImageContent.DetailLevel.HIGH))
            : dev.langchain4j.data.message.UserMessage.from(text);
        chat.add(user);
        java.util.List<dev.langchain4j.data.message.ChatMessage> request = chat.messages();
        ChatResponse response = model.chat(ChatRequest.builder().messages(request).build());
        chat.add(response.aiMessage());
        double ms = (System.nanoTime() - t) / 1e6;
        if (i < 0) {
          long sinceJvm = System.currentTimeMillis()
              - ManagementFactory.getRuntimeMXBean().getStartTime();
          System.out.printf(Locale.ROOT, "FIRST %d %.1f %.1f%n", sinceJvm,
              (System.nanoTime() - main) / 1e6, (built - main) / 1e6);
        } else {
          System.out.printf(Locale.ROOT, "CHAT %.3f %d %d%n", ms,
              estimator.estimateTokenCountInMessages(request), bytes(request));
        }
      }
    } finally {
      if (memory != null) {
        memory.close();
      }
    }
    System.out.flush();
  }

  /** A request's bytes as sent: its text and its images' base64. */
  static long bytes(java.util.List<dev.langchain4j.data.message.ChatMessage> request) {
    long bytes = 0;
    for (dev.langchain4j.data.message.ChatMessage m : request) {
      if (m instanceof dev.langchain4j.data.message.UserMessage u) {
        for (dev.langchain4j.data.message.Content c : u.contents()) {
          if (c instanceof dev.langchain4j.data.message.TextContent t) {
            bytes += t.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          } else if (c instanceof dev.langchain4j.data.message.ImageContent image
              && image.image().base64Data() != null) {
            bytes += image.image().base64Data().length();
          }
        }
      } else if (m instanceof dev.langchain4j.data.message.SystemMessage system) {
        bytes += system.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      } else if (m instanceof AiMessage ai && ai.text() != null) {
        bytes += ai.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      }
    }
    return bytes;
  }

  /** Writes {@code count} different photos ({@link #photo}) as PNG files into {@code dir}. */
  static void writePhotos(Path dir, int count) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      java.nio.file.Files.write(dir.resolve(i + ".png"), java.util.Base64.getDecoder()
          .decode(photo(i)));
    }
  }

  private static String readPhoto(Path dir, int n) {
    try {
      return java.util.Base64.getEncoder().encodeToString(
          java.nio.file.Files.readAllBytes(dir.resolve(n + ".png")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A 1024 px photo-like image: a gradient with a caption and some noise, as base64 PNG. */
  static String photo(int n) {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(1024, 1024,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(n);
    for (int y = 0; y < 1024; y++) {
      for (int x = 0; x < 1024; x++) {
        int v = (x + y) / 8 + random.nextInt(24);
        image.setRGB(x, y, (v << 16) | ((v / 2) << 8) | (255 - v));
      }
    }
    java.awt.Graphics2D g = image.createGraphics();
    g.drawString("photo " + n, 40, 80);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(image, "png", out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static void run(FirstChat.Assistant assistant, InstantChatModel model, long main,
      int chats, long pause)
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
      double ms = (System.nanoTime() - t) / 1e6;
      System.out.printf(Locale.ROOT, "CHAT %.3f %d %d%n", ms, ESTIMATOR.estimateTokenCountInMessages(
          model.last), bytes(model.last));
    }
    System.out.flush();
  }
}
