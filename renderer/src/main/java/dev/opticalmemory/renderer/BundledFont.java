package dev.opticalmemory.renderer;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * The bundled DejaVu Sans, loaded once per process from a file in the user's cache.
 *
 * <p>{@link Font#createFont(int, InputStream)} copies the font (760 KB) to a new temporary file
 * ({@code +~JF...tmp} in {@code java.io.tmpdir}) at every call and deletes it only when the JVM exits
 * normally: every font set built left one more, and every process that was killed left its copies
 * behind for good. The font is therefore written once to {@code
 * $XDG_CACHE_HOME/optical-memory/fonts/DejaVuSans-CRC.ttf} (or {@code ~/.cache/...}), keyed by its
 * CRC so that another version gets its own file, and read from there; where that folder cannot be
 * written, or the file there cannot be read as a font, it falls back to the stream (one temporary
 * copy per process). The loaded {@link Font} is immutable and shared.
 */
final class BundledFont {
  private static final System.Logger LOG = System.getLogger(BundledFont.class.getName());

  private static volatile Font latin;

  private BundledFont() {}

  /** The bundled Latin font, loaded on first use from the default cache folder. */
  static Font latin() {
    Font result = latin;
    if (result == null) {
      synchronized (BundledFont.class) {
        result = latin;
        if (result == null) {
          result = load(FontSet.BUNDLED_LATIN, defaultCacheRoot());
          latin = result;
        }
      }
    }
    return result;
  }

  /** Loads the font resource {@code resource} (relative to this package), through a file under {@code cacheRoot} if it can. */
  static Font load(String resource, Path cacheRoot) {
    byte[] bytes;
    try (InputStream in = BundledFont.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new RenderException("bundled font " + resource + " is missing from the classpath");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new RenderException("cannot read bundled font " + resource, e);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    String name = Path.of(resource).getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    Path file = cacheRoot.resolve("optical-memory").resolve("fonts")
        .resolve(stem + "-" + Long.toHexString(crc.getValue()) + ".ttf");
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
        write(file, bytes);
      }
      try {
        return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
      } catch (FontFormatException e) {
        // The right size but not the font (overwritten by something else): write it again.
        write(file, bytes);
        return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
      }
    } catch (IOException | FontFormatException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "cannot use the font cache " + file + "; reading "
          + resource + " from the classpath", e);
    }
    try {
      return Font.createFont(Font.TRUETYPE_FONT, new ByteArrayInputStream(bytes));
    } catch (IOException | FontFormatException e) {
      throw new RenderException("cannot load bundled font " + resource, e);
    }
  }

  /** Writes the file whole or not at all: a temporary file in the same folder, then a move. */
  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
  }
}
