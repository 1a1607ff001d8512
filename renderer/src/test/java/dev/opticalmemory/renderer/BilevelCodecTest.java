package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BilevelCodecTest {

  private static BufferedImage denseBasePage() {
    PageRenderer renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build());
    String[] words = ("the ferry left harbour at dawn with passengers and cargo while gulls followed"
        + " Mira counted crates of apples near locker fourteen; Tomas wrote the log at 07:15,"
        + " noting wind from the north-west, a blue rucksack, and 212 tickets sold").split(" ");
    Random random = new Random(42);
    StringBuilder text = new StringBuilder();
    while (text.length() < 6000) {
      text.append(words[random.nextInt(words.length)]).append(' ');
    }
    BufferedImage large = renderer.render(renderer.layout(List.of(Turn.plain(text.toString()))).get(0)).image();
    return PageImages.toGray(PageImages.downscale(large, VisionMode.BASE));
  }

  private static int[] pixels(BufferedImage image) {
    BufferedImage gray = PageImages.toGray(image);
    return gray.getRaster().getPixels(0, 0, gray.getWidth(), gray.getHeight(), (int[]) null);
  }

  @Test
  void a_context_coded_page_decodes_to_exactly_the_pixels_of_the_g4_page_and_is_much_smaller() {
    BufferedImage base = denseBasePage();
    byte[] g4 = PageImages.encode(base, PageEncoding.BILEVEL_G4);
    byte[] coded = PageImages.encode(base, PageEncoding.BILEVEL_CONTEXT);

    assertThat(pixels(PageImages.decode(coded))).isEqualTo(pixels(PageImages.decode(g4)));
    assertThat(coded.length * 1.5).as("%d bytes against G4's %d", coded.length, g4.length)
        .isLessThan(g4.length);
  }

  @Test
  void noise_all_white_all_black_and_one_pixel_images_survive_the_round_trip() {
    Random random = new Random(7);
    for (int[] size : new int[][] {{1, 1}, {3, 2}, {257, 129}, {640, 640}}) {
      for (String fill : List.of("noise", "white", "black")) {
        byte[] ink = new byte[size[0] * size[1]];
        for (int i = 0; i < ink.length; i++) {
          ink[i] = (byte) (fill.equals("noise") ? random.nextInt(2) : fill.equals("black") ? 1 : 0);
        }
        BufferedImage back = BilevelCodec.decode(BilevelCodec.encode(ink, size[0], size[1]), 1 << 26);
        int[] gray = back.getRaster().getPixels(0, 0, size[0], size[1], (int[]) null);
        for (int i = 0; i < ink.length; i++) {
          assertThat(gray[i]).as("%s %dx%d pixel %d", fill, size[0], size[1], i)
              .isEqualTo(ink[i] == 1 ? 0 : 255);
        }
      }
    }
  }

  @Test
  void a_flipped_byte_or_a_cut_stream_is_refused_as_damaged_not_decoded_to_a_wrong_page() {
    byte[] coded = PageImages.encode(denseBasePage(), PageEncoding.BILEVEL_CONTEXT);
    byte[] flipped = coded.clone();
    flipped[coded.length / 2] ^= 0x10;
    byte[] cut = Arrays.copyOf(coded, coded.length - 40);

    assertThatThrownBy(() -> PageImages.decode(flipped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("damaged or truncated")
        .hasMessageContaining(coded.length + " bytes for a 1024x1024 page");
    assertThatThrownBy(() -> PageImages.decode(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void a_header_claiming_a_huge_or_empty_page_is_refused_before_anything_is_allocated() {
    byte[] coded = BilevelCodec.encode(new byte[4], 2, 2);
    byte[] huge = coded.clone();
    java.nio.ByteBuffer.wrap(huge, 4, 8).putInt(100_000).putInt(100_000);
    byte[] empty = coded.clone();
    java.nio.ByteBuffer.wrap(empty, 4, 8).putInt(0).putInt(5);

    assertThatThrownBy(() -> PageImages.decode(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad size: 100000x100000");
    assertThatThrownBy(() -> PageImages.decode(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad size: 0x5");
  }
}
