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
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.context.ContextAssembler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    return user.name() == null ? UserMessage.from(contents) : UserMessage.from(user.name(), contents);
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
