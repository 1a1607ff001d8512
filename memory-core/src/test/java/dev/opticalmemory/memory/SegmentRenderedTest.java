package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment.rendered says whether a segment's page has been drawn, without reading the image. */
class SegmentRenderedTest {
  @TempDir Path tmp;

  @Test
  void closed_segments_are_rendered_once_background_work_has_run_and_the_open_one_never_is() {
    try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("m"))
        .decodeInBackground(false).fonts(FontSet.latinOnly())
        .agingPolicy(AgingPolicy.fixed(Tier.TEXT)).backgroundWork(false).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 0)) {
        memory.append("c", turn);
      }
      List<Segment> before = memory.segments("c");
      assertThat(before).hasSizeGreaterThan(1);
      assertThat(before).noneMatch(Segment::rendered);
      for (Segment s : before) {
        assertThat(memory.operations().image("c", s.id(), Tier.LARGE)).as("no page without background work")
            .isEmpty();
      }
    }
    try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("m"))
        .decodeInBackground(false).fonts(FontSet.latinOnly())
        .agingPolicy(AgingPolicy.fixed(Tier.TEXT)).build()) {
      assertThat(memory.operations().awaitIdle(java.time.Duration.ofMinutes(2))).isTrue();
      for (Segment s : memory.segments("c")) {
        assertThat(s.rendered()).as("segment %d", s.index()).isEqualTo(!s.open());
        assertThat(memory.operations().image("c", s.id(), Tier.LARGE).isPresent()).as("segment %d", s.index())
            .isEqualTo(s.rendered());
      }
    }
  }
}
