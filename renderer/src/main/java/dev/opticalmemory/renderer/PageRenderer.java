package dev.opticalmemory.renderer;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays text out on pages and draws them. Implementations are thread-safe and deterministic: the same
 * turns and spec give the same layout and byte-identical images.
 *
 * <pre>{@code
 * PageRenderer renderer = PageRenderer.java2d(RenderSpec.forMode(VisionMode.LARGE));
 * for (PageLayout page : renderer.layout(List.of(Turn.of("Alice", "Hello"), Turn.of("Bob", "Hi")))) {
 *   RenderedPage large = renderer.render(page);                    // 1280 px
 *   BufferedImage tiny = PageImages.downscale(large.image(), VisionMode.TINY); // faded copy
 * }
 * }</pre>
 */
public interface PageRenderer {

  /**
   * The Java2D renderer for {@code spec}.
   *
   * @param spec the page size, density and fonts
   * @return the renderer
   */
  static PageRenderer java2d(RenderSpec spec) {
    return new Java2dPageRenderer(spec);
  }

  /**
   * The spec every layout of this renderer is made at.
   *
   * @return the spec
   */
  RenderSpec spec();

  /**
   * Lays the turns out on as many pages as they need; each turn starts on a new line and text that
   * overflows a page continues on the next. An empty list, or turns with neither text nor label,
   * give no pages.
   *
   * @param turns the turns, in order
   * @return the pages, in order
   * @throws MissingFontException if the text needs CJK glyphs and no font of the spec has them
   */
  List<PageLayout> layout(List<Turn> turns);

  /**
   * How many of the turns fit on a single page, computed by laying out only that page (nothing is
   * drawn). {@code layout(turns.subList(0, fit(turns).wholeTurns()))} is then at most one page.
   *
   * @param turns the turns, in order
   * @return how many fit, and how much of the next
   */
  PageCapacity fit(List<Turn> turns);

  /**
   * Draws a page at the spec's size.
   *
   * @param page a page laid out by this renderer
   * @return the image
   */
  RenderedPage render(PageLayout page);

  /**
   * Draws a page directly at a mode's size: the page is scaled so that its longer side is {@code
   * mode.pixels()}, with the same line breaks as at the spec's size.
   *
   * @param page a page laid out by this renderer
   * @param mode the mode whose side to draw at
   * @return the image
   */
  RenderedPage render(PageLayout page, VisionMode mode);

  /**
   * Lays out and draws every page at the spec's size.
   *
   * @param turns the turns, in order
   * @return the pages, drawn
   */
  default List<RenderedPage> renderAll(List<Turn> turns) {
    List<RenderedPage> pages = new ArrayList<>();
    for (PageLayout layout : layout(turns)) {
      pages.add(render(layout));
    }
    return pages;
  }
}
