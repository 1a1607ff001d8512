package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.LineLayout;
import dev.opticalmemory.renderer.PageEncoding;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageReader;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.RenderedPage;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KnownPageDecoderTest {
  private static final String TEXT = """
      Mara: The ferry to Gull Island was cancelled again, so I took the bus at 8:10.
      Jonas: Did you keep the receipt? The office refunds the fare if you file it by Friday.
      Mara: Yes, it is next to the blue notebook with the locker code, 4417.
      Mara: Take the bus from gate 4 → gate 7 tomorrow.
      """;
  private static final RenderSpec SPEC = RenderSpec.forMode(VisionMode.BASE);
  private static final PageReader READER =
      PageReader.of(SPEC, List.of(new PageReader.Step(1024, PageEncoding.GRAY8_PNG)));
  private static RenderedPage page;
  private static OcrEngine paddle;

  @BeforeAll
  static void drawAndLoad() {
    PageRenderer renderer = PageRenderer.java2d(SPEC);
    page = renderer.render(renderer.layout(List.of(Turn.plain(TEXT))).get(0));
    paddle = PaddleOcr.builder().build();
  }

  @AfterAll
  static void close() {
    paddle.close();
  }

  private static List<String> truth() {
    return page.layout().lines().stream().map(LineLayout::text).toList();
  }

  /** Counts the times the engine is asked for. */
  private static Supplier<OcrEngine> counted(AtomicInteger asked) {
    return () -> {
      asked.incrementAndGet();
      return paddle;
    };
  }

  @Test
  void the_engine_is_asked_for_once_and_only_for_the_line_the_reader_cannot_read() {
    AtomicInteger asked = new AtomicInteger();
    KnownPageDecoder.Lines lines =
        KnownPageDecoder.read(page.image(), page.layout(), null, READER, counted(asked));

    List<String> truth = truth();
    // The arrow is drawn by the Latin font but is not among the page reader's characters.
    int arrow = truth.indexOf("Mara: Take the bus from gate 4 → gate 7 tomorrow.");
    assertThat(arrow).as("the line with an arrow of %s", truth).isNotNegative();
    assertThat(lines.byReader()).isEqualTo(truth.size() - 1);
    assertThat(lines.byEngine()).isEqualTo(1);
    assertThat(asked).hasValue(1);
    for (int i = 0; i < truth.size(); i++) {
      if (i != arrow) {
        assertThat(lines.lines().get(i)).isEqualTo(truth.get(i));
      }
    }
    assertThat(lines.lines().get(arrow)).contains("tomorrow");
  }

  @Test
  void when_the_reader_reads_every_wanted_line_the_engine_is_never_asked_for() {
    AtomicInteger asked = new AtomicInteger();
    KnownPageDecoder.Lines lines =
        KnownPageDecoder.read(page.image(), page.layout(), Set.of(0, 2), READER, counted(asked));

    assertThat(asked).hasValue(0);
    assertThat(lines.byReader()).isEqualTo(2);
    assertThat(lines.lines()).hasSameSizeAs(truth());
    assertThat(lines.lines().get(0)).isEqualTo(truth().get(0));
    assertThat(lines.lines().get(1)).isEmpty();
    assertThat(lines.lines().get(2)).isEqualTo(truth().get(2));
  }

  @Test
  void a_reader_that_fails_sends_its_lines_to_the_engine_which_reads_them() {
    PageReader failing = (image, tops) -> {
      throw new IllegalStateException("templates could not be made");
    };
    AtomicInteger asked = new AtomicInteger();
    KnownPageDecoder.Lines lines =
        KnownPageDecoder.read(page.image(), page.layout(), null, failing, counted(asked));

    assertThat(asked).hasValue(1);
    assertThat(lines.byReader()).isZero();
    assertThat(lines.byEngine()).isEqualTo(truth().size());
    assertThat(lines.lines().get(0)).contains("ferry", "Gull", "Island");
    assertThat(lines.lines().get(2)).contains("notebook", "4417");
  }

  @Test
  void without_a_reader_every_line_is_read_by_the_engine_on_its_band() {
    PageLayout layout = page.layout();
    KnownPageDecoder.Lines lines =
        KnownPageDecoder.read(page.image(), layout, Set.of(1), null, () -> paddle);

    assertThat(lines.byEngine()).isEqualTo(1);
    assertThat(lines.lines().get(0)).isEmpty();
    assertThat(lines.lines().get(1)).contains("receipt", "Friday");
    assertThat(lines.text()).doesNotContain("ferry");
  }
}
