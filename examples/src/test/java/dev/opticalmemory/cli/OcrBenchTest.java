package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.renderer.FontSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcrBenchTest {

  @Test
  void bench_ocr_reports_seconds_and_precision_for_each_engine_and_the_page_reader_keeps_every_word()
      throws Exception {
    CliRun run = CliRun.of("bench", "ocr", "--pages", "1", "--modes", "base", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> rows = run.out().lines().map(line -> {
      try {
        return mapper.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }).toList();
    assertThat(rows).extracting(r -> r.get("engine").asText()).containsExactly(
        "page reader, then paddle", "paddle, known layout", "paddle (v4, default)",
        "tesseract 5 (eng)");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("mode").asText()).isEqualTo("base");
      assertThat(r.get("secondsPerPage").asDouble()).isPositive();
      assertThat(r.get("pagesPerSecond").asDouble()).isPositive();
      assertThat(r.get("precision").asDouble()).isGreaterThan(0.95);
      assertThat(r.get("wordAccuracy").asDouble()).isGreaterThan(0.9);
    });
    // Our own page, read by its font: every word, and at least as many as Tesseract.
    assertThat(rows.get(0).get("wordAccuracy").asDouble()).isGreaterThanOrEqualTo(0.999)
        .isGreaterThanOrEqualTo(rows.get(3).get("wordAccuracy").asDouble());
  }

  /**
   * Pages drawn here with Java2D's drawString in a logical font, not by our renderer: no page map,
   * no line boxes, a font our pages never use.
   */
  private static void drawPage(Path dir, String name, List<String> lines) throws Exception {
    BufferedImage page = new BufferedImage(900, 40 + 34 * lines.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, page.getWidth(), page.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 24));
    for (int i = 0; i < lines.size(); i++) {
      g.drawString(lines.get(i), 20, 44 + 34 * i);
    }
    g.dispose();
    ImageIO.write(page, "png", dir.resolve(name + ".png").toFile());
    Files.writeString(dir.resolve(name + ".txt"), String.join("\n", lines), StandardCharsets.UTF_8);
  }

  private static List<JsonNode> rows(CliRun run) {
    ObjectMapper mapper = new ObjectMapper();
    return run.out().lines().map(line -> {
      try {
        return mapper.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }).toList();
  }

  @Test
  void bench_ocr_reads_pages_of_another_renderer_by_group_with_both_engines(@TempDir Path dir)
      throws Exception {
    drawPage(dir, "serif-0", List.of("The harbour master signed the log at noon.",
        "Two boats came in from the north with the tide."));
    drawPage(dir, "serif-1", List.of("We measured the channel depth every fifty metres,",
        "and the silt near the old ferry pier was deeper."));
    CliRun run = CliRun.of("bench", "ocr", "--images", dir.toString(), "--engines",
        "paddle,tesseract", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> rows = rows(run);
    assertThat(rows).extracting(r -> r.get("engine").asText())
        .containsExactly("paddle (v4, default)", "tesseract 5 (eng)");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("mode").asText()).isEqualTo("serif");
      assertThat(r.get("pages").asInt()).isEqualTo(2);
      assertThat(r.get("pagesPerSecond").asDouble()).isPositive();
      assertThat(r.get("precision").asDouble()).isGreaterThan(0.95);
      assertThat(r.get("wordAccuracy").asDouble()).isGreaterThan(0.8);
    });
  }

  @Test
  void bench_ocr_refuses_images_without_their_text_or_engines_that_need_line_boxes(
      @TempDir Path dir) throws Exception {
    drawPage(dir, "page-0", List.of("A line of text."));
    CliRun known = CliRun.of("bench", "ocr", "--images", dir.toString(), "--engines",
        "paddle-known");
    assertThat(known.exitCode()).isEqualTo(2);
    assertThat(known.err()).contains("'paddle, known layout' needs the pages' line boxes");
    CliRun font = CliRun.of("bench", "ocr", "--images", dir.toString(), "--engines", "font");
    assertThat(font.exitCode()).isEqualTo(2);
    assertThat(font.err()).contains("'page reader, then paddle' needs the pages' line boxes");
    Files.delete(dir.resolve("page-0.txt"));
    CliRun untruthed = CliRun.of("bench", "ocr", "--images", dir.toString(), "--engines", "paddle");
    assertThat(untruthed.exitCode()).isEqualTo(2);
    assertThat(untruthed.err()).contains("page page-0.png has no text beside it (page-0.txt)");
    CliRun missing = CliRun.of("bench", "ocr", "--images", dir.resolve("nowhere").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nowhere: no such folder");
  }

  @Test
  void bench_ocr_draws_a_chinese_text_with_the_cjk_font_render_finds(@TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(FontSet.defaults().coversCjk(),
        "no CJK font on this machine (Debian's fonts-noto-cjk; .ci/run installs it)");
    Path text = Files.writeString(dir.resolve("zh.txt"), ("今天早上我们在港口见面，讨论了新的渡轮"
        + "时刻表。船长说下周三最后一班船会推迟两个小时，因为起重机需要维修。\n").repeat(6));
    CliRun run = CliRun.of("bench", "ocr", "--text", text.toString(), "--pages", "1", "--modes",
        "base", "--engines", "paddle", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode row = new ObjectMapper().readTree(run.out().lines().filter(l -> l.startsWith("{"))
        .findFirst().orElseThrow());
    assertThat(row.get("mode").asText()).isEqualTo("base");
    assertThat(row.get("precision").asDouble()).isGreaterThan(0.8);
    assertThat(row.get("precisionNfkc").asDouble()).as("full-width commas read as ASCII count")
        .isGreaterThanOrEqualTo(row.get("precision").asDouble());
  }

  @Test
  void bench_ocr_repeats_a_short_text_to_fill_the_pages_and_refuses_a_blank_one(@TempDir Path dir)
      throws Exception {
    Path text = Files.writeString(dir.resolve("short.txt"), "The ferry leaves at noon.");
    CliRun run = CliRun.of("bench", "ocr", "--text", text.toString(), "--pages", "2", "--modes",
        "base", "--engines", "paddle", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.jsonLines()).singleElement()
        .satisfies(row -> assertThat(row.get("pages").asInt()).isEqualTo(2));
    Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\n");
    CliRun refused = CliRun.of("bench", "ocr", "--text", blank.toString(), "--modes", "base");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--text " + blank + ": holds no text to draw");
  }

  @Test
  void bench_ocr_names_a_text_file_that_is_missing() {
    CliRun run = CliRun.of("bench", "ocr", "--text", "no-such-text.txt", "--modes", "base");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no-such-text.txt: no such file");
  }

  @Test
  void bench_ocr_refuses_a_page_count_out_of_range() {
    CliRun run = CliRun.of("bench", "ocr", "--pages", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("ocr: --pages must be between 1 and 50, but is: 0"
        + " (see 'optical-memory bench ocr --help')");
  }
}
