package dev.opticalmemory.memory.springai;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;

/**
 * Spring AI messages as the memory's turns and back. A user's images are kept with the memory's
 * attachments and named in the turn's attributes; tool calls and their results are kept, and sent
 * back, as text, so that a request never carries a result whose call has left for a page.
 */
final class SpringTurns {
  /**
   * The turn attribute that lists a user message's media: {@code type|reference|width|height} per
   * line (0 where the size could not be read), so that pricing reads no image.
   */
  static final String MEDIA_ATTRIBUTE = "spring-ai.media";

  /** A reference that is a URL the memory does not fetch, not an attachment. */
  static final String URL_PREFIX = "url:";

  /** The media types a turn may carry: those that vision readers take. */
  static final List<String> IMAGE_TYPES =
      List.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private SpringTurns() {}

  /** A stored media item: its type and where its bytes are. */
  record StoredMedia(String type, String reference, int width, int height) {
    boolean isUrl() {
      return reference.startsWith(URL_PREFIX);
    }
  }

  /**
   * Checks that a message can be kept as given, before anything of its batch is appended.
   *
   * @param message the message
   * @param position its position in the batch, for the error
   * @throws IllegalArgumentException naming the position and the media type that cannot be kept
   */
  static void check(Message message, int position) {
    if (message == null) {
      // IllegalArgumentException, as Spring AI's own chat memories answer a null element.
      throw new IllegalArgumentException("messages must not contain null elements, but"
          + " messages[" + position + "] is null");
    }
    if (message instanceof UserMessage user) {
      for (Media media : user.getMedia()) {
        String type = media.getMimeType().getType() + "/" + media.getMimeType().getSubtype();
        if (!IMAGE_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("messages[" + position + "] carries media of type "
              + type + ", which the optical memory cannot keep: it keeps images ("
              + String.join(", ", IMAGE_TYPES) + "); send other media outside the memory");
        }
        if (!(media.getData() instanceof byte[]) && !(media.getData() instanceof String)) {
          throw new IllegalArgumentException("messages[" + position + "] carries an image as "
              + media.getData().getClass().getName() + ", which the optical memory cannot keep:"
              + " give its bytes or a URL");
        }
      }
    }
  }

  /**
   * The turn for a message; {@code attach} keeps an image's bytes and returns their reference.
   */
  static MemoryTurn turn(Message message, Function<byte[], String> attach) {
    Map<String, String> attributes = new HashMap<>();
    String text = message.getText() == null ? "" : message.getText();
    if (message instanceof UserMessage user) {
      StringBuilder media = new StringBuilder();
      for (Media m : user.getMedia()) {
        String type = (m.getMimeType().getType() + "/" + m.getMimeType().getSubtype())
            .toLowerCase(Locale.ROOT);
        int[] size = m.getData() instanceof byte[] bytes ? imageSize(bytes) : null;
        String reference = m.getData() instanceof byte[] bytes ? attach.apply(bytes)
            : URL_PREFIX + m.getData();
        media.append(type).append('|').append(reference).append('|')
            .append(size == null ? 0 : size[0]).append('|').append(size == null ? 0 : size[1])
            .append('\n');
      }
      if (media.length() > 0) {
        attributes.put(MEDIA_ATTRIBUTE, media.toString().strip());
      }
      return new MemoryTurn(Role.USER, "User", nonEmpty(text, "[image]"), null, attributes);
    }
    if (message instanceof AssistantMessage ai) {
      StringBuilder all = new StringBuilder(text);
      for (AssistantMessage.ToolCall call : ai.getToolCalls()) {
        if (all.length() > 0) {
          all.append('\n');
        }
        all.append("[calls ").append(call.name()).append(' ').append(call.arguments()).append(']');
      }
      return new MemoryTurn(Role.ASSISTANT, "Assistant", nonEmpty(all.toString(),
          "[empty reply]"), null, attributes);
    }
    if (message instanceof ToolResponseMessage tool) {
      StringBuilder all = new StringBuilder();
      for (ToolResponseMessage.ToolResponse r : tool.getResponses()) {
        if (all.length() > 0) {
          all.append('\n');
        }
        all.append("Result of ").append(r.name()).append(": ").append(r.responseData());
      }
      return new MemoryTurn(Role.TOOL, "Tool", nonEmpty(all.toString(), "[empty result]"), null,
          attributes);
    }
    if (message instanceof SystemMessage) {
      return new MemoryTurn(Role.SYSTEM, "System", nonEmpty(text, "[empty system message]"), null,
          attributes);
    }
    // A message type of a later Spring AI: kept as its text, never refused mid-chat.
    return new MemoryTurn(Role.USER, "User", nonEmpty(text, "[" + message.getMessageType() + "]"),
        null, attributes);
  }

  /** The media a turn carries, as stored. */
  static List<StoredMedia> media(MemoryTurn turn) {
    String listed = turn.attributes().get(MEDIA_ATTRIBUTE);
    if (listed == null || listed.isEmpty()) {
      return List.of();
    }
    List<StoredMedia> out = new ArrayList<>();
    for (String line : listed.split("\n")) {
      String[] parts = line.split("\\|", -1);
      if (parts.length == 4) {
        out.add(new StoredMedia(parts[0], parts[1], parseSize(parts[2]), parseSize(parts[3])));
      }
    }
    return out;
  }

  /**
   * The message a turn is sent as. {@code bytes} gives an attachment's bytes; with {@code
   * withMedia} false (or an attachment gone) each image is a short marker in the text.
   */
  static Message message(MemoryTurn turn, boolean withMedia,
      Function<String, java.util.Optional<byte[]>> bytes) {
    switch (turn.role()) {
      case ASSISTANT:
        return new AssistantMessage(turn.text());
      case TOOL:
        return new UserMessage(turn.text());
      case SYSTEM:
        return new UserMessage("[system] " + turn.text());
      default:
        break;
    }
    List<StoredMedia> stored = media(turn);
    if (stored.isEmpty()) {
      return new UserMessage(turn.text());
    }
    List<Media> media = new ArrayList<>();
    StringBuilder text = new StringBuilder(turn.text());
    for (StoredMedia m : stored) {
      java.util.Optional<byte[]> data = !withMedia || m.isUrl() ? java.util.Optional.empty()
          : bytes.apply(m.reference());
      if (withMedia && m.isUrl()) {
        media.add(Media.builder().mimeType(MimeType.valueOf(m.type()))
            .data(URI.create(m.reference().substring(URL_PREFIX.length()))).build());
      } else if (data.isPresent()) {
        media.add(Media.builder().mimeType(MimeType.valueOf(m.type())).data(data.get()).build());
      } else {
        text.append('\n').append(omittedMarker(turn));
      }
    }
    return UserMessage.builder().text(text.toString()).media(media).build();
  }

  /** The marker in place of an image left out to fit the budget. */
  static String omittedMarker(MemoryTurn turn) {
    return "[image omitted to fit the context budget" + (turn.timestamp() == null ? ""
        : "; sent " + turn.timestamp().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "]";
  }

  private static int parseSize(String s) {
    try {
      return Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** An image's width and height from its header, or null if it is not an image ImageIO reads. */
  static int[] imageSize(byte[] bytes) {
    try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
        new java.io.ByteArrayInputStream(bytes))) {
      java.util.Iterator<javax.imageio.ImageReader> readers =
          in == null ? java.util.Collections.emptyIterator() : javax.imageio.ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      javax.imageio.ImageReader r = readers.next();
      try {
        r.setInput(in);
        return new int[] {r.getWidth(0), r.getHeight(0)};
      } finally {
        r.dispose();
      }
    } catch (java.io.IOException | RuntimeException e) {
      return null; // priced at the reader's largest image: never an under-count
    }
  }

  private static String nonEmpty(String text, String otherwise) {
    return text.isBlank() ? otherwise : text;
  }
}
