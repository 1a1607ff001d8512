package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.KnownPageDecoder;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.ocr.KnownWords;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest --region-marks draws each turn's number on the pages it makes; without it, none. */
class RegionMarksCliTest {
  @TempDir Path tmp;

  private Path conversation() throws Exception {
    StringBuilder s = new StringBuilder();
    String[] lines = {"The tide table needs a new battery.", "The crane operator asked about the"
        + " permits.", "The ferry was checked twice and the fish market logged a fault at dawn."};
    for (int i = 0; i < 600; i++) {
      s.append("{\"speaker\":\"").append(i % 2 == 0 ? "Mira" : "Tomas").append("\",\"text\":\"")
          .append(lines[i % 3]).append("\"}\n");
    }
    return Files.writeString(tmp.resolve("harbour.jsonl"), s.toString());
  }

  /** The first closed page's text, read by its own font from the PNG the memory gives. */
  private static String firstPage(Path db, int[] firstTurn) {
    try (OpticalMemory memory = OpticalMemory.builder().path(db).backgroundWork(false).build()) {
      Segment page = memory.segments("c").stream().filter(s -> !s.open() && s.tier().isImage())
          .findFirst().orElseThrow();
      firstTurn[0] = page.firstTurn();
      byte[] png = memory.png("c", page.id()).orElseThrow();
      PageLabel label = PageLabel.fromPng(png).orElseThrow();
      return KnownPageDecoder.read(PageImages.decode(png), label.layout(), null,
          label.reader(KnownWords::contains), () -> {
            throw new AssertionError("the OCR engine was asked for");
          }).text();
    }
  }

  @Test
  void ingest_with_region_marks_draws_each_turns_number_and_without_it_draws_none()
      throws Exception {
    Path file = conversation();
    Path marked = tmp.resolve("marked");
    Path plain = tmp.resolve("plain");

    CliRun withMarks = CliRun.of("ingest", "--db", marked.toString(), "--conversation", "c",
        "--jsonl", file.toString(), "--region-marks");
    CliRun without = CliRun.of("ingest", "--db", plain.toString(), "--conversation", "c",
        "--jsonl", file.toString());

    assertThat(withMarks.exitCode()).as(withMarks.err()).isZero();
    assertThat(without.exitCode()).as(without.err()).isZero();
    int[] first = new int[1];
    String text = firstPage(marked, first);
    assertThat(text).startsWith(first[0] + " Mira: ")
        .contains("\n" + (first[0] + 1) + " Tomas: ");
    assertThat(firstPage(plain, first)).startsWith("Mira: ").doesNotContain("\n1 Tomas: ");
  }
}
