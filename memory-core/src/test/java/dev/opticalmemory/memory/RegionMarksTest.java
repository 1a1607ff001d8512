package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.ocr.KnownWords;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Region marks: each turn's number drawn where its lines start on a page, for the read tool. */
class RegionMarksTest {
  private static final Pattern MARK = Pattern.compile("(?m)^(\\d+) ");

  @TempDir Path tmp;

  private static OpticalMemoryBuilder memory(Path db) {
    return OpticalMemory.builder().path(db).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .retention(Retention.KEEP).regionMarks(true);
  }

  /** The page's text as its own font reads it from the memory's PNG file alone. */
  private static String pageText(OpticalMemory memory, Segment segment) {
    byte[] png = memory.png("c", segment.id()).orElseThrow();
    PageLabel label = PageLabel.fromPng(png).orElseThrow();
    KnownPageDecoder.Lines lines = KnownPageDecoder.read(PageImages.decode(png), label.layout(),
        null, label.reader(KnownWords::contains), () -> {
          throw new AssertionError("the OCR engine was asked for");
        });
    return lines.text();
  }

  private static List<Integer> marks(String text) {
    List<Integer> numbers = new ArrayList<>();
    Matcher m = MARK.matcher(text);
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group(1)));
    }
    return numbers;
  }

  @Test
  void every_turn_on_a_page_starts_with_its_number_legible_at_tiny_and_read_leaves_it_out() {
    List<MemoryTurn> script = Conversations.harbour(120, 11);
    try (OpticalMemory memory = memory(tmp.resolve("m"))
        .agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      script.forEach(t -> memory.append("c", t));
      Segment tiny = Conversations.firstClosedAt(memory, Tier.TINY);

      String text = pageText(memory, tiny);
      List<Integer> expected = new ArrayList<>();
      for (int t = tiny.firstTurn(); t <= tiny.lastTurn(); t++) {
        expected.add(t);
      }
      assertThat(marks(text)).isEqualTo(expected);

      Recollection decoded = memory.decode("c", tiny.id());
      assertThat(decoded.turns()).hasSize(expected.size());
      for (RecalledTurn t : decoded.turns()) {
        assertThat(t.text().replace('\n', ' ')).as("turn %d", t.turn())
            .isEqualTo(script.get(t.turn()).labelledText());
      }
    }
  }

  @Test
  void a_number_asked_for_does_not_find_the_turn_that_carries_it_as_a_mark() {
    List<MemoryTurn> script = Conversations.harbour(120, 11);
    try (OpticalMemory memory = memory(tmp.resolve("m"))
        .agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build()) {
      script.forEach(t -> memory.append("c", t));
      int number = Conversations.firstClosedAt(memory, Tier.LARGE).firstTurn() + 3;
      assertThat(script.get(number).labelledText()).doesNotContain(String.valueOf(number));

      List<Recollection> found = memory.recall("c", RecallRequest.of(String.valueOf(number)));

      for (Recollection r : found) {
        for (RecalledTurn t : r.turns()) {
          if (t.match()) {
            assertThat(t.text()).contains(String.valueOf(number));
          }
        }
      }
    }
  }

  @Test
  void a_memory_draws_no_region_marks_unless_asked() {
    try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).executor(Runnable::run).retention(Retention.KEEP)
        .agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build()) {
      Conversations.harbour(120, 11).forEach(t -> memory.append("c", t));
      Segment page = Conversations.firstClosedAt(memory, Tier.LARGE);

      String text = pageText(memory, page);

      assertThat(memory.operations().regionMarks()).isFalse();
      assertThat(text).startsWith("Mira: ");
      assertThat(marks(text)).doesNotContain(page.firstTurn(), page.firstTurn() + 1);
    }
  }

  @Test
  void a_page_packed_before_marks_that_would_not_fit_with_them_is_drawn_without_and_reads_back() {
    // Turns of one full line each: with even the shortest mark before it, each takes two lines.
    PageRenderer renderer = PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.LARGE)
        .fonts(FontSet.latinOnly()).build());
    StringBuilder line = new StringBuilder("tide");
    while (renderer.layout(List.of(Turn.of("Mira", line + " a"))).get(0).lines().size() == 1) {
      line.append(" a");
    }
    assertThat(renderer.layout(List.of(Turn.of("Mira", line.toString()).marked(0))).get(0)
        .lines()).hasSize(2);
    List<MemoryTurn> script = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      script.add(MemoryTurn.user("Mira", line.toString()));
    }
    Path db = tmp.resolve("old");
    try (OpticalMemory before = memory(db).regionMarks(false).backgroundWork(false).build()) {
      script.forEach(t -> before.append("c", t));
      assertThat(before.segments("c").get(0).open()).isFalse();
    }

    try (OpticalMemory after = memory(db).agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build()) {
      assertThat(after.operations().regionMarks()).isTrue();
      after.append("c", MemoryTurn.user("Tomas", "The crane operator asked about the permits."));
      assertThat(after.operations().awaitIdle(Duration.ofMinutes(1))).isTrue();
      Segment first = after.segments("c").get(0);
      assertThat(first.tier()).isEqualTo(Tier.LARGE);

      assertThat(marks(pageText(after, first))).isEmpty();
      Recollection decoded = after.decode("c", first.id());
      assertThat(decoded.turns()).hasSize(first.lastTurn() - first.firstTurn() + 1)
          .allSatisfy(t -> assertThat(t.text()).isEqualTo("Mira: " + line));
    }
  }

  @Test
  void a_page_map_stored_before_marks_reads_as_a_page_without_them_and_a_new_one_keeps_its_flag()
      throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeInt(1280);
      out.writeInt(1280);
      out.writeInt(1);
      out.writeInt(7);
      out.writeFloat(20);
      out.writeFloat(24);
    }

    PageMap old = PageMap.fromBytes(bytes.toByteArray());
    PageMap marked = PageMap.fromBytes(new PageMap(1280, 1280, old.lines(), true, List.of()).toBytes());

    assertThat(old.marked()).isFalse();
    assertThat(old.lines()).containsExactly(new PageMap.Line(7, 20, 24));
    assertThat(old.withoutMark(0, "7 Mira: hi")).isEqualTo("7 Mira: hi");
    assertThat(marked.marked()).isTrue();
    assertThat(marked.withoutMark(0, "7 Mira: hi")).isEqualTo("Mira: hi");
    assertThat(marked.withoutMark(0, "Z7 Mira: hi")).as("a misread mark").isEqualTo("Mira: hi");
    assertThat(marked.withoutMark(0, "Mira: hi")).as("a mark not read at all")
        .isEqualTo("Mira: hi");
  }
}
