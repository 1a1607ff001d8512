package dev.opticalmemory.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledFontTest {
  @TempDir Path cache;

  private static List<Path> fontCopies() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("+~JF")).toList();
    }
  }

  private Path cachedFile() throws IOException {
    try (Stream<Path> files = Files.list(cache.resolve("optical-memory").resolve("fonts"))) {
      return files.filter(f -> f.toString().endsWith(".ttf")).findFirst().orElseThrow();
    }
  }

  @Test
  void building_font_sets_leaves_no_temporary_copies_of_the_bundled_font() throws IOException {
    FontSet.latinOnly();
    List<Path> before = fontCopies();
    for (int i = 0; i < 5; i++) {
      FontSet.latinOnly();
      FontSet.builder().addBundledLatin().build();
    }
    assertThat(fontCopies()).isSubsetOf(before);
  }

  @Test
  void the_font_is_written_once_to_the_cache_and_read_from_there() throws IOException {
    Font first = BundledFont.load(FontSet.BUNDLED_LATIN, cache);
    Path file = cachedFile();
    long written = Files.getLastModifiedTime(file).toMillis();
    Font second = BundledFont.load(FontSet.BUNDLED_LATIN, cache);
    assertThat(first.getFontName()).isEqualTo("DejaVu Sans");
    assertThat(second.getFontName()).isEqualTo("DejaVu Sans");
    assertThat(file.getFileName().toString()).matches("DejaVuSans-[0-9a-f]+\\.ttf");
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(written);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void a_corrupt_cached_font_of_the_right_size_is_written_again() throws IOException {
    BundledFont.load(FontSet.BUNDLED_LATIN, cache);
    Path file = cachedFile();
    byte[] garbage = new byte[(int) Files.size(file)];
    Files.write(file, garbage);
    Font font = BundledFont.load(FontSet.BUNDLED_LATIN, cache);
    assertThat(font.canDisplay('A')).isTrue();
    assertThat(Files.readAllBytes(file)).isNotEqualTo(garbage);
  }

  @Test
  void a_truncated_cached_font_is_written_again() throws IOException {
    BundledFont.load(FontSet.BUNDLED_LATIN, cache);
    Path file = cachedFile();
    long size = Files.size(file);
    Files.write(file, new byte[] {0, 1, 0, 0});
    assertThat(BundledFont.load(FontSet.BUNDLED_LATIN, cache).canDisplay('A')).isTrue();
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  void an_unwritable_cache_falls_back_to_reading_the_font_from_the_classpath() throws IOException {
    Path notAFolder = Files.writeString(cache.resolve("file"), "x");
    Font font = BundledFont.load(FontSet.BUNDLED_LATIN, notAFolder);
    assertThat(font.getFontName()).isEqualTo("DejaVu Sans");
  }

  @Test
  void a_missing_resource_is_named_in_the_error() {
    assertThatThrownBy(() -> BundledFont.load("fonts/Missing.ttf", cache))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("fonts/Missing.ttf");
  }
}
