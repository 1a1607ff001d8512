package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memory closes the engine it loaded and never one it was given; memories share by giving. */
class SharedModelsTest {
  @TempDir Path tmp;

  @Test
  void each_memory_given_no_engine_loads_its_own_and_closes_it_with_itself() {
    OcrEngine first;
    try (OpticalMemory a = OpticalMemory.builder().path(tmp.resolve("a")).build()) {
      first = ((DefaultOpticalMemory) a).ocr();
      try (OpticalMemory b = OpticalMemory.builder().path(tmp.resolve("b")).build()) {
        assertThat(((DefaultOpticalMemory) b).ocr()).isNotSameAs(first);
      }
      assertThat(first.read(new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY)))
          .as("b's closing leaves a's engine open").isNotNull();
    }
    assertThatThrownBy(() -> first.read(new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void an_engine_given_to_a_memory_is_used_and_left_open() {
    PageRenderer renderer = PageRenderer.java2d(RenderSpec.builder().fonts(FontSet.latinOnly())
        .build());
    BufferedImage page = renderer.render(renderer.layout(
        List.of(new Turn("Mira", "The ferry leaves at nine."))).get(0)).image();
    try (OcrEngine engine = PaddleOcr.builder().threads(1).build()) {
      try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("given")).ocr(engine)
          .build()) {
        assertThat(((DefaultOpticalMemory) memory).ocr()).isSameAs(engine);
      }
      assertThat(engine.read(page).text()).as("still usable after the memory closed")
          .contains("ferry");
    }
  }
}
