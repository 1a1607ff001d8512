package dev.opticalmemory.springbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/** The benchmark's price of a request: text by o200k, each image by its PNG header's size. */
class SpringBenchChildTest {

  @Test
  void a_request_is_priced_by_its_text_and_each_images_size_read_from_its_header()
      throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1024, 640, BufferedImage.TYPE_BYTE_GRAY), "png", png);
    VisionReader openAi = VisionReader.openAi();
    Prompt prompt = new Prompt(List.of(UserMessage.builder().text("my boat").media(List.of(
        Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(png.toByteArray()).build(),
        Media.builder().mimeType(MimeType.valueOf("application/pdf"))
            .data(new byte[] {1, 2, 3}).build())).build()));

    assertThat(SpringBenchChild.tokens(prompt)).isEqualTo(openAi.textCounter().count("my boat")
        + openAi.price(1024, 640, Detail.HIGH).tokens() + openAi.largestImageTokens());
  }
}
