package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import dev.opticalmemory.renderer.PageImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A {@link TokenCountEstimator} that also counts images ({@link ImageContent}), by the reader's
 * formula ({@link VisionReader#cost()}); LangChain4j's own estimators refuse images. Text is counted
 * with the reader's text counter.
 *
 * <p>An image given as base64 data is measured from its header (PNG, JPEG, GIF, BMP, WebP where
 * ImageIO reads it), at its detail (auto as high). One that cannot be measured (a URL, which is not
 * fetched, or data that is not an image) is counted at the reader's largest image price ({@link
 * VisionReader#largestImageTokens()}), unless an assumed size is given. Other media (audio, video,
 * PDF) are counted at that price too. A message of any type is counted, never refused: a custom
 * message as its attributes' text. Counts are of content only; providers add a few tokens per
 * message, which a budget should leave room for.
 */
public final class VisionTokenCountEstimator implements TokenCountEstimator {
  private final VisionReader reader;
  private final int assumedWidth;
  private final int assumedHeight;
  private final boolean assumed;

  /**
   * An estimator for {@code reader}, counting an image whose size cannot be read at the reader's
   * largest image price.
   *
   * @param reader the reader whose costs to count
   */
  public VisionTokenCountEstimator(VisionReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.assumedWidth = 0;
    this.assumedHeight = 0;
    this.assumed = false;
  }

  /**
   * An estimator for {@code reader}, counting an image whose size cannot be read as the size given.
   *
   * @param reader the reader whose costs to count
   * @param assumedWidth the width assumed for an image given by URL
   * @param assumedHeight its height
   * @throws IllegalArgumentException if a side is below 1
   */
  public VisionTokenCountEstimator(VisionReader reader, int assumedWidth, int assumedHeight) {
    this.reader = Objects.requireNonNull(reader, "reader");
    if (assumedWidth < 1 || assumedHeight < 1) {
      throw new IllegalArgumentException("assumed image size must be positive, but is "
          + assumedWidth + "x" + assumedHeight);
    }
    this.assumedWidth = assumedWidth;
    this.assumedHeight = assumedHeight;
    this.assumed = true;
  }

  @Override
  public int estimateTokenCountInText(String text) {
    return text == null || text.isEmpty() ? 0 : reader.textCounter().count(text);
  }

  @Override
  public int estimateTokenCountInMessage(ChatMessage message) {
    Objects.requireNonNull(message, "message");
    int tokens = 0;
    if (message instanceof UserMessage user) {
      for (Content content : user.contents()) {
        if (content instanceof TextContent text) {
          tokens += estimateTokenCountInText(text.text());
        } else if (content instanceof ImageContent image) {
          tokens += imageTokens(image);
        } else {
          tokens += reader.largestImageTokens();
        }
      }
    } else if (message instanceof AiMessage ai) {
      tokens += estimateTokenCountInText(ai.text());
      for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
        tokens += estimateTokenCountInText(call.name()) + estimateTokenCountInText(call.arguments());
      }
    } else if (message instanceof ToolExecutionResultMessage result) {
      tokens += estimateTokenCountInText(result.text());
    } else if (message instanceof SystemMessage system) {
      tokens += estimateTokenCountInText(system.text());
    } else {
      tokens += estimateTokenCountInText(ChatTurns.text(message));
    }
    return tokens;
  }

  @Override
  public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
    int tokens = 0;
    for (ChatMessage message : messages) {
      tokens += estimateTokenCountInMessage(message);
    }
    return tokens;
  }

  /**
   * What one image costs the reader.
   *
   * @param content an image
   * @return its tokens
   */
  public int imageTokens(ImageContent content) {
    Detail detail = content.detailLevel() == ImageContent.DetailLevel.LOW ? Detail.LOW : Detail.HIGH;
    try {
      int[] size = size(content.image());
      if (size != null) {
        return reader.cost().tokens(size[0], size[1], detail);
      }
    } catch (IllegalArgumentException e) {
      // Not an image, or a size no reader takes: priced as the dearest image below.
    }
    return assumed ? reader.cost().tokens(assumedWidth, assumedHeight, detail)
        : reader.largestImageTokens();
  }

  /**
   * A PNG's width and height from the first 32 base64 characters (its first 24 bytes: see {@link
   * PageImages#pngSize}); null if it is not a PNG. Every request counts every page image, and
   * decoding each whole (tens of kilobytes) was about half of what the requests allocated in a
   * profile of {@code bench chat}.
   */
  static int[] pngSize(String base64) {
    if (base64.length() < 32) {
      return null;
    }
    try {
      return PageImages.pngSize(Base64.getDecoder().decode(base64.substring(0, 32)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private int[] size(Image image) {
    if (image.base64Data() == null) {
      return null;
    }
    int[] png = pngSize(image.base64Data());
    if (png != null) {
      return png;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(image.base64Data());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("image base64Data is not valid base64 ("
          + image.base64Data().length() + " characters)", e);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("image data is not an image format ImageIO knows ("
            + bytes.length + " bytes, mime type " + image.mimeType() + ")");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in);
        return new int[] {r.getWidth(0), r.getHeight(0)};
      } finally {
        r.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("image data cannot be measured (" + bytes.length
          + " bytes, mime type " + image.mimeType() + ")", e);
    }
  }
}
