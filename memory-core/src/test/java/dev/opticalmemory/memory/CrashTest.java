package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashTest {
  @TempDir Path tmp;

  @Test
  void a_process_killed_during_ingest_loses_no_acknowledged_turn_and_leaves_no_broken_segment()
      throws Exception {
    Path db = tmp.resolve("crash");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        IngestChild.class.getName(), db.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int acknowledged = -1;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged = Integer.parseInt(line.substring(4));
          if (acknowledged >= 400) {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).isGreaterThanOrEqualTo(400);

    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false)
        .path(db).fonts(FontSet.latinOnly())
        .retention(Retention.KEEP).agingPolicy(AgingPolicy.byTokens(200, 400, 600, 800, Long.MAX_VALUE))
        .build()) {
      ConversationStats stats = memory.stats("crash");
      assertThat(stats.turns()).isGreaterThanOrEqualTo(acknowledged + 1);
      List<Segment> segments = memory.segments("crash");
      int expectedTurn = 0;
      for (Segment s : segments) {
        for (MemoryTurn turn : memory.operations().turns("crash", s.id())) {
          assertThat(Integer.parseInt(turn.attributes().get("n"))).isEqualTo(expectedTurn);
          expectedTurn++;
        }
      }
      assertThat(expectedTurn).isEqualTo(stats.turns());
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(2))).isTrue();
      for (Segment s : memory.segments("crash")) {
        if (s.tier().isImage()) {
          byte[] image = memory.operations().image("crash", s.id()).orElseThrow();
          assertThat(PageImages.decode(image).getWidth()).isEqualTo(s.tier().mode().pixels());
        } else {
          assertThat(memory.operations().turns("crash", s.id())).isNotEmpty();
        }
      }
      assertThat(memory.recall("crash", RecallRequest.of("locker").k(3))).isNotEmpty();
    }
  }
}
