package dev.opticalmemory.ocr;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pages made by our renderer from the texts in src/test/resources/texts, with their truth. */
record TestPages(BufferedImage image, String truth, List<Rectangle> lines) {

  static String text(String name) {
    try (InputStream in = TestPages.class.getResourceAsStream("/texts/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first page of {@code text} rendered at LARGE, then downscaled to {@code mode}. */
  static TestPages of(String text, VisionMode mode, FontSet fonts) {
    PageRenderer renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(fonts).build());
    List<PageLayout> pages = renderer.layout(List.of(Turn.plain(text)));
    PageLayout page = pages.get(0);
    BufferedImage large = renderer.render(page).image();
    BufferedImage image = mode == VisionMode.LARGE ? large : PageImages.downscale(large, mode);
    List<Rectangle> lines = page.lineBoxes(image.getWidth(), image.getHeight());
    return new TestPages(image, page.text(), lines);
  }
}
