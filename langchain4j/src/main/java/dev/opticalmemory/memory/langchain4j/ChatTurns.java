package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.ImageContent;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.MemoryOperations;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.context.ContextAssembler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Converts LangChain4j messages to memory turns (their text is what gets rendered) and back. */
final class ChatTurns {
  /** The attribute that keeps a message's LangChain4j JSON, to give it back as it was. */
  static final String MESSAGE_ATTRIBUTE = "langchain4j.message";

  private ChatTurns() {}

  /** The text a message is rendered and counted as. */
  static String text(ChatMessage message) {
    StringBuilder text = new StringBuilder();
    if (message instanceof UserMessage user) {
      for (Content content : user.contents()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(content instanceof TextContent t ? t.text() : "[" + content.type() + "]");
      }
    } else if (message instanceof AiMessage ai) {
      if (ai.text() != null) {
        text.append(ai.text());
      }
      for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append("[calls ").append(call.name()).append(' ').append(call.arguments()).append(']');
      }
    } else if (message instanceof ToolExecutionResultMessage result) {
      text.append(result.text() == null ? "" : result.text());
    } else if (message instanceof SystemMessage system) {
      text.append(system.text());
    } else if (message instanceof CustomMessage custom) {
      text.append(customText(custom));
    } else {
      // A type this memory does not know: kept as its description, never refused mid-chat.
      text.append('[').append(message.type()).append("] ").append(message);
    }
    return text.length() == 0 ? "[empty " + message.type().name().toLowerCase() + "]"
        : text.toString();
  }

  /** A custom message as text: its attributes, in their order, as name: value lines. */
  static String customText(CustomMessage custom) {
    StringBuilder text = new StringBuilder();
    custom.attributes().forEach((name, value) -> {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(name).append(": ").append(value);
    });
    return text.toString();
  }

  /** The marker that takes the place of an image left out to fit the budget. */
  static String omittedMarker(Content content, Instant when) {
    return "[" + content.type().name().toLowerCase(Locale.ROOT) + " omitted to fit the context"
        + " budget" + (when == null ? "" : "; sent " + when.truncatedTo(ChronoUnit.SECONDS)) + "]";
  }

  /**
   * The message with its media (images and other non-text content) replaced by a short marker;
   * the message itself if it has none.
   */
  static ChatMessage withoutMedia(ChatMessage message, Instant when) {
    if (!(message instanceof UserMessage user) || !hasMedia(message)) {
      return message;
    }
    List<Content> contents = new ArrayList<>();
    for (Content content : user.contents()) {
      contents.add(content instanceof TextContent ? content
          : TextContent.from(omittedMarker(content, when)));
    }
    return user.toBuilder().contents(contents).build();
  }

  /** The scheme of an image URL that stands for bytes kept with {@link OpticalMemory#attach}. */
  static final String ATTACHED = "optical-memory:";

  /**
   * The message with each image given as base64 kept by {@code attach} (given the bytes and the
   * base64, it returns the reference) and replaced by a reference to it, so that the stored turn
   * stays small; the message itself if it has none. An image whose base64 would not come back
   * character for character (not canonical, or not base64 at all) stays in the message as given.
   */
  static ChatMessage attached(ChatMessage message, BiFunction<byte[], String, String> attach) {
    if (!hasMedia(message)) {
      return message;
    }
    UserMessage user = (UserMessage) message;
    List<Content> contents = new ArrayList<>();
    boolean changed = false;
    for (Content content : user.contents()) {
      String base64 = content instanceof ImageContent image ? image.image().base64Data() : null;
      byte[] bytes = base64 == null ? null : canonicalBase64(base64);
      if (bytes == null) {
        contents.add(content);
        continue;
      }
      ImageContent image = (ImageContent) content;
      Image ref = Image.builder().url(ATTACHED + attach.apply(bytes, base64))
          .mimeType(image.image().mimeType()).revisedPrompt(image.image().revisedPrompt()).build();
      contents.add(ImageContent.from(ref, image.detailLevel()));
      changed = true;
    }
    return changed ? user.toBuilder().contents(contents).build() : message;
  }

  /**
   * The message with each attached image back as base64 ({@code attachment} gives it by
   * reference), as it was added; an attachment that is missing becomes a marker that says so.
   */
  static ChatMessage restored(ChatMessage message, Function<String, Optional<String>> attachment) {
    if (!(message instanceof UserMessage user)) {
      return message;
    }
    List<Content> contents = new ArrayList<>();
    boolean changed = false;
    for (Content content : user.contents()) {
      String url = content instanceof ImageContent image && image.image().url() != null
          ? image.image().url().toString() : null;
      if (url == null || !url.startsWith(ATTACHED)) {
        contents.add(content);
        continue;
      }
      ImageContent image = (ImageContent) content;
      Optional<String> base64 = attachment.apply(url.substring(ATTACHED.length()));
      contents.add(base64.<Content>map(b -> ImageContent.from(Image.builder()
          .base64Data(b).mimeType(image.image().mimeType())
          .revisedPrompt(image.image().revisedPrompt()).build(), image.detailLevel()))
          .orElseGet(() -> TextContent.from("[image missing from the memory: " + url + "]")));
      changed = true;
    }
    return changed ? user.toBuilder().contents(contents).build() : message;
  }

  /**
   * The decoded bytes where encoding them again gives {@code base64} exactly (padded, and the
   * last group's unused bits zero); else null.
   */
  private static byte[] canonicalBase64(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return null; // not base64: kept in the message as given
    }
    int n = bytes.length;
    if (n == 0 || n > MemoryOperations.MAX_ATTACHMENT_BYTES || base64.length() != 4 * ((n + 2) / 3)) {
      return null;
    }
    int last = 3 * ((n - 1) / 3);
    String tail = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, last, n));
    return base64.endsWith(tail) ? bytes : null;
  }


  static boolean hasMedia(ChatMessage message) {
    return message instanceof UserMessage user
        && user.contents().stream().anyMatch(c -> !(c instanceof TextContent));
  }

  static MemoryTurn turn(ChatMessage message, String group) {
    Map<String, String> attributes = new HashMap<>();
    try {
      attributes.put(MESSAGE_ATTRIBUTE, ChatMessageSerializer.messageToJson(message));
    } catch (RuntimeException e) {
      // A message LangChain4j cannot write as JSON: its text is kept, and comes back as text.
    }
    if (group != null) {
      attributes.put(ContextAssembler.GROUP_ATTRIBUTE, group);
    }
    Role role;
    String speaker;
    if (message instanceof UserMessage user) {
      role = Role.USER;
      speaker = user.name() != null ? user.name() : "User";
    } else if (message instanceof AiMessage) {
      role = Role.ASSISTANT;
      speaker = "Assistant";
    } else if (message instanceof ToolExecutionResultMessage result) {
      role = Role.TOOL;
      speaker = "Tool " + (result.toolName() == null ? "" : result.toolName());
    } else if (message instanceof CustomMessage) {
      role = Role.SYSTEM;
      speaker = "Custom";
    } else {
      role = Role.SYSTEM;
      speaker = "System";
    }
    return new MemoryTurn(role, speaker.strip(), text(message), null, attributes);
  }

  /** The message a turn was made from; turns appended otherwise become plain messages. */
  static ChatMessage message(MemoryTurn turn) {
    String json = turn.attributes().get(MESSAGE_ATTRIBUTE);
    if (json != null) {
      try {
        return ChatMessageDeserializer.messageFromJson(json);
      } catch (RuntimeException e) {
        // Not ours after all (or from an incompatible version): fall through to the plain text.
      }
    }
    switch (turn.role()) {
      case ASSISTANT:
        return AiMessage.from(turn.text());
      case SYSTEM:
        return UserMessage.from("[system] " + turn.text());
      case TOOL:
        return UserMessage.from("[" + turn.speaker() + " result] " + turn.text());
      default:
        return turn.speaker().isEmpty() || turn.speaker().equals("User")
            ? UserMessage.from(turn.text()) : UserMessage.from(turn.labelledText());
    }
  }
}
