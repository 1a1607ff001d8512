package dev.opticalmemory.renderer;

import static dev.opticalmemory.renderer.Layouts.assertCoversEveryCharacterOnce;
import static dev.opticalmemory.renderer.Layouts.inkPixels;
import static dev.opticalmemory.renderer.Layouts.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Java2dPageRendererTest {
  private static final String PARAGRAPH =
      "Caroline went to an LGBTQ support group yesterday and it was so powerful. The transgender"
          + " stories were so inspiring, and she felt accepted and understood. ";

  private final PageRenderer renderer =
      PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.BASE).fonts(FontSet.latinOnly()).build());

  static List<Turn> conversation(int turns) {
    List<Turn> list = new ArrayList<>();
    for (int i = 0; i < turns; i++) {
      list.add(Turn.of(i % 2 == 0 ? "Caroline" : "Melanie",
          "Turn " + i + ". " + PARAGRAPH.repeat(1 + i % 3)));
    }
    return list;
  }

  @Test
  void same_input_and_spec_give_byte_identical_pngs_across_renderer_instances() {
    List<Turn> turns = conversation(12);
    PageRenderer other =
        PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.BASE).fonts(FontSet.latinOnly()).build());
    byte[] first = renderer.renderAll(turns).get(0).toPng();
    byte[] second = other.renderAll(turns).get(0).toPng();
    assertThat(second).isEqualTo(first);
    assertThat(renderer.render(renderer.layout(turns).get(0), VisionMode.TINY).toPng())
        .isEqualTo(other.render(other.layout(turns).get(0), VisionMode.TINY).toPng());
  }

  @Test
  void layout_maps_every_line_to_its_turn_and_source_range() {
    List<Turn> turns = conversation(30);
    List<PageLayout> pages = renderer.layout(turns);
    assertCoversEveryCharacterOnce(turns, pages);
    for (LineLayout line : lines(pages)) {
      String source = turns.get(line.turn()).text().substring(line.start(), line.end()).strip();
      String shown = line.text().substring(line.labelLength()).strip();
      assertThat(shown).as("line %d", line.index()).isEqualTo(source);
      if (line.start() == 0) {
        assertThat(line.text()).startsWith(turns.get(line.turn()).label());
        assertThat(line.labelLength()).isEqualTo(turns.get(line.turn()).label().length());
      } else {
        assertThat(line.labelLength()).isZero();
      }
      assertThat(line.width()).isLessThanOrEqualTo(renderer.spec().textWidth());
      assertThat(line.top() + line.height()).isLessThanOrEqualTo(renderer.spec().height());
    }
  }

  @Test
  void overflowing_text_continues_on_the_next_page() {
    List<Turn> turns = conversation(120);
    List<PageLayout> pages = renderer.layout(turns);
    assertThat(pages).hasSizeGreaterThan(3);
    for (int i = 0; i < pages.size(); i++) {
      PageLayout page = pages.get(i);
      assertThat(page.index()).isEqualTo(i);
      assertThat(page.lines()).hasSizeLessThanOrEqualTo(renderer.spec().linesPerPage());
      if (i < pages.size() - 1) {
        assertThat(page.lines()).hasSize(renderer.spec().linesPerPage());
        LineLayout last = page.lines().get(page.lines().size() - 1);
        LineLayout next = pages.get(i + 1).lines().get(0);
        assertThat(next.index()).isEqualTo(last.index() + 1);
        if (next.turn() == last.turn()) {
          assertThat(next.start()).isEqualTo(last.end());
        } else {
          assertThat(next.start()).isZero();
        }
      }
    }
  }

  @Test
  void capacity_agrees_with_the_layout_it_avoids_drawing() {
    List<Turn> turns = conversation(60);
    PageCapacity capacity = renderer.fit(turns);
    assertThat(capacity.wholeTurns()).isBetween(1, 59);
    assertThat(renderer.layout(turns.subList(0, capacity.wholeTurns()))).hasSize(1);
    assertThat(renderer.layout(turns.subList(0, capacity.wholeTurns() + 1))).hasSize(2);
    PageLayout firstPage = renderer.layout(turns).get(0);
    LineLayout lastLine = firstPage.lines().get(firstPage.lines().size() - 1);
    int expectedPartial = lastLine.turn() == capacity.wholeTurns() ? lastLine.end() : 0;
    assertThat(capacity.partialChars()).isEqualTo(expectedPartial);
    assertThat(renderer.fit(turns.subList(0, 2))).isEqualTo(new PageCapacity(2, 0));
    assertThat(renderer.fit(turns.subList(0, 2)).fitsAll(2)).isTrue();
  }

  @Test
  void capacity_of_a_turn_longer_than_a_page_gives_the_characters_that_fit() {
    String longText = PARAGRAPH.repeat(200);
    PageCapacity capacity = renderer.fit(List.of(Turn.of("Alice", longText)));
    assertThat(capacity.wholeTurns()).isZero();
    assertThat(capacity.partialChars()).isBetween(2000, longText.length() - 1);
    PageLayout first = renderer.layout(List.of(Turn.of("Alice", longText))).get(0);
    assertThat(first.sourceChars()).isEqualTo(capacity.partialChars());
  }

  @Test
  void pages_at_a_lower_mode_can_be_rendered_directly_or_by_downscaling() {
    PageRenderer large = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build());
    PageLayout page = large.layout(conversation(20)).get(0);
    RenderedPage sharp = large.render(page);
    RenderedPage direct = large.render(page, VisionMode.TINY);
    BufferedImage faded = PageImages.downscale(sharp.image(), VisionMode.TINY);
    assertThat(sharp.width()).isEqualTo(1280);
    assertThat(direct.width()).isEqualTo(512);
    assertThat(direct.height()).isEqualTo(512);
    assertThat(direct.scale()).isEqualTo(0.4);
    assertThat(faded.getWidth()).isEqualTo(512);
    assertThat(faded.getHeight()).isEqualTo(512);
    // Same text in the same places: ink lands on mostly the same rows in both.
    assertThat(rowProfileCorrelation(direct.image(), faded)).isGreaterThan(0.9);
  }

  @Test
  void rendered_pages_are_black_text_on_white_grayscale() {
    RenderedPage page = renderer.renderAll(conversation(5)).get(0);
    assertThat(page.image().getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(page.image().getRaster().getSample(0, 0, 0)).isEqualTo(255);
    assertThat(inkPixels(page.image())).isGreaterThan(5000);
  }

  @Test
  void rendering_a_page_from_another_spec_is_refused() {
    PageLayout small = PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.SMALL)
        .fonts(FontSet.latinOnly()).build()).layout(conversation(1)).get(0);
    assertThatThrownBy(() -> renderer.render(small))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("page 0 was laid out at 640x640 but this renderer's spec is 1024x1024");
  }

  @Test
  void a_fixed_text_breaks_into_the_same_lines_every_time() {
    PageRenderer narrow = PageRenderer.java2d(RenderSpec.builder().pageSize(400, 200).margin(10)
        .fontSize(16).fonts(FontSet.latinOnly()).build());
    List<String> texts = narrow.layout(List.of(Turn.of("Bob",
        "The quick brown fox jumps over the lazy dog near the riverbank at dawn.")))
        .get(0).lines().stream().map(LineLayout::text).toList();
    assertThat(texts).containsExactly(
        "Bob: The quick brown fox jumps over the lazy",
        "dog near the riverbank at dawn.");
  }

  private static double rowProfileCorrelation(BufferedImage a, BufferedImage b) {
    double[] pa = rowInk(a);
    double[] pb = rowInk(b);
    double ma = mean(pa);
    double mb = mean(pb);
    double num = 0;
    double da = 0;
    double db = 0;
    for (int i = 0; i < pa.length; i++) {
      num += (pa[i] - ma) * (pb[i] - mb);
      da += (pa[i] - ma) * (pa[i] - ma);
      db += (pb[i] - mb) * (pb[i] - mb);
    }
    return num / Math.sqrt(da * db);
  }

  private static double[] rowInk(BufferedImage image) {
    double[] rows = new double[image.getHeight()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        rows[y] += 255 - image.getRaster().getSample(x, y, 0);
      }
    }
    return rows;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
