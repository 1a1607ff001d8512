package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.renderer.PageImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void help_lists_the_subcommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("render", "bench");
  }

  @Test
  void json_output_has_one_object_per_page_and_the_pngs_exist() throws Exception {
    Path file = write("notes.txt", "The ferry left at 07:15 with 212 passengers.\n".repeat(300));
    Path out = tmp.resolve("pages");
    CliRun run = CliRun.of("render", "--mode", "small", "--out", out.toString(), "--json", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSizeGreaterThan(1);
    ObjectMapper mapper = new ObjectMapper();
    int chars = 0;
    for (String line : lines) {
      JsonNode row = mapper.readTree(line);
      assertThat(row.fieldNames()).toIterable()
          .containsExactly("file", "width", "height", "mode", "chars", "visionTokens");
      assertThat(row.get("mode").asText()).isEqualTo("small");
      assertThat(row.get("visionTokens").asInt()).isEqualTo(100);
      assertThat(row.get("width").asInt()).isEqualTo(640);
      BufferedImage image = PageImages.decode(Files.readAllBytes(Path.of(row.get("file").asText())));
      assertThat(image.getWidth()).isEqualTo(640);
      chars += row.get("chars").asInt();
    }
    assertThat(chars).isEqualTo(Files.readString(file).length());
    assertThat(out.resolve("notes-p001.png")).exists();
  }

  @Test
  void font_size_changes_how_much_fits_on_a_page() throws Exception {
    Path file = write("a.txt", "word ".repeat(3000));
    CliRun small = CliRun.of("render", "--font-size", "10", "--out", tmp.resolve("s").toString(), "--json", file.toString());
    CliRun big = CliRun.of("render", "--font-size", "30", "--out", tmp.resolve("b").toString(), "--json", file.toString());
    assertThat(big.out().lines().count()).isGreaterThan(small.out().lines().count());
  }

  @Test
  void any_utf8_text_renders_including_controls_emoji_and_unassigned_characters() throws Exception {
    Path file = write("odd.txt", "tab\there\r\nbell\u0007 emoji \uD83D\uDE00 private \uE000 zero\u200Bwidth");
    CliRun run = CliRun.of("render", "--out", tmp.resolve("o").toString(), file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("odd-p001.png", "(1 glyphs drawn as boxes)");
  }

  @Test
  void a_missing_file_is_one_line_and_exit_code_one() {
    CliRun run = CliRun.of("render", "--out", tmp.toString(), tmp.resolve("nope.txt").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("render: " + tmp.resolve("nope.txt") + ": no such file" + System.lineSeparator());
  }

  @Test
  void a_file_that_is_not_utf8_is_refused_with_the_bad_byte() throws Exception {
    Path file = tmp.resolve("latin1.txt");
    Files.write(file, new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k'});
    CliRun run = CliRun.of("render", "--out", tmp.resolve("o").toString(), file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("render: " + file + ": not valid UTF-8 text (bad byte 0xE9 at offset 3)");
  }

  @Test
  void an_output_folder_that_cannot_be_created_is_refused() throws Exception {
    Path file = write("a.txt", "hello");
    Path blocker = write("blocker", "a file where the folder should be");
    CliRun run = CliRun.of("render", "--out", blocker.resolve("pages").toString(), file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("render: " + blocker.resolve("pages") + ": cannot create output folder");
  }

  @Test
  void an_empty_file_an_unknown_mode_and_a_bad_font_size_are_refused() throws Exception {
    Path empty = write("empty.txt", "");
    CliRun run = CliRun.of("render", "--out", tmp.toString(), empty.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("render: " + empty + ": empty, nothing to render");

    Path file = write("a.txt", "hello");
    CliRun mode = CliRun.of("render", "--mode", "gundam", "--out", tmp.toString(), file.toString());
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.err().strip()).isEqualTo(
        "render: --mode: Unknown vision mode 'gundam', expected one of [tiny, small, base, large]"
            + " (see 'optical-memory render --help')");
    CliRun size = CliRun.of("render", "--font-size", "1000", "--out", tmp.toString(), file.toString());
    assertThat(size.exitCode()).isEqualTo(2);
    assertThat(size.err()).contains("--font-size 1000.0: fontSize must be between 4 and 512 pixels");
  }

  @Test
  void a_usage_error_is_one_line_with_exit_code_two() {
    CliRun run = CliRun.of("render", "--out", tmp.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("optical-memory render: Missing required parameter: 'FILE'");
  }

  @Test
  void two_inputs_with_the_same_name_are_refused_before_anything_is_written() throws Exception {
    Files.createDirectories(tmp.resolve("x"));
    Path a = write("notes.txt", "a");
    Path b = tmp.resolve("x/notes.md");
    Files.writeString(b, "b");
    Path out = tmp.resolve("o");
    CliRun run = CliRun.of("render", "--out", out.toString(), a.toString(), b.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("would write pages of the same name notes-pNNN.png");
    assertThat(out).doesNotExist();
  }
}
