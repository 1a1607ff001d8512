package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A page's line bands as boxes at any size the page is drawn or downscaled to. */
class PageLayoutTest {
  private static final PageRenderer RENDERER = PageRenderer.java2d(
      RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build());

  @Test
  void line_boxes_cover_each_drawn_line_top_to_bottom_at_every_mode() {
    PageLayout page = RENDERER.layout(List.of(Turn.of("Mira",
        "The ferry left at nine. ".repeat(80)))).get(0);
    BufferedImage large = RENDERER.render(page).image();
    for (VisionMode mode : VisionMode.values()) {
      BufferedImage image = PageImages.downscale(large, mode);
      List<Rectangle> boxes = page.lineBoxes(image.getWidth(), image.getHeight());
      assertThat(boxes).as("%s", mode).hasSize(page.lines().size());
      for (int i = 0; i < boxes.size(); i++) {
        Rectangle box = boxes.get(i);
        assertThat(new Rectangle(image.getWidth(), image.getHeight()).contains(box)).isTrue();
        assertThat(box.width).isEqualTo(image.getWidth());
        if (i > 0) {
          assertThat(box.y).as("below the line above").isGreaterThanOrEqualTo(boxes.get(i - 1).y);
        }
        assertThat(ink(image, box)).as("%s line %d has ink", mode, i).isTrue();
      }
    }
  }

  private static boolean ink(BufferedImage image, Rectangle box) {
    for (int y = box.y; y < box.y + box.height; y++) {
      for (int x = box.x; x < box.x + box.width; x++) {
        if ((image.getRGB(x, y) & 0xFF) < 128) {
          return true;
        }
      }
    }
    return false;
  }
}
