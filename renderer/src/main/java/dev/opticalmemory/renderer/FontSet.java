package dev.opticalmemory.renderer;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ordered list of fonts loaded from explicit files: for each character the first font that has a
 * glyph for it draws it. Fonts are never looked up by family name from the system, so the same font
 * files give the same pixels on every machine.
 *
 * <p>The {@linkplain #defaults() default set} is the bundled DejaVu Sans (Latin, Greek, Cyrillic and
 * many symbols) followed by Noto Sans CJK SC when it is found: at the path named by the system
 * property {@value #CJK_FONT_PROPERTY} or the environment variable {@value #CJK_FONT_ENV}, else at the
 * path where Debian's {@code fonts-noto-cjk} puts it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FontSet {
  /** System property naming a CJK font file (TTF, OTF or TTC) for {@link #defaults()}. */
  public static final String CJK_FONT_PROPERTY = "opticalmemory.cjkFont";
  /** Environment variable naming a CJK font file for {@link #defaults()}. */
  public static final String CJK_FONT_ENV = "OPTICAL_MEMORY_CJK_FONT";

  static final String BUNDLED_LATIN = "fonts/DejaVuSans.ttf";
  /** How {@link #sources()} names the bundled Latin font. */
  static final String BUNDLED_LATIN_SOURCE = "bundled:DejaVuSans.ttf";
  private static final String PREFERRED_CJK_FACE = "Noto Sans CJK SC";
  private static final List<Path> KNOWN_CJK_PATHS =
      List.of(
          Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
          Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"));

  private static volatile FontSet defaults;

  private final List<Font> fonts;
  private final List<String> sources;
  private final boolean coversCjk;
  private final List<String> faces;

  private FontSet(List<Font> fonts, List<String> sources) {
    this.fonts = List.copyOf(fonts);
    this.sources = List.copyOf(sources);
    this.coversCjk = fonts.stream().anyMatch(f -> f.canDisplay('中') && f.canDisplay('あ'));
    this.faces = fonts.stream().map(f -> f.getFontName(java.util.Locale.ROOT)).toList();
  }

  /**
   * The bundled Latin font, then Noto Sans CJK SC if it can be found (see class comment).
   *
   * @return the default font set
   */
  public static FontSet defaults() {
    FontSet result = defaults;
    if (result == null) {
      synchronized (FontSet.class) {
        result = defaults;
        if (result == null) {
          Builder builder = builder().addBundledLatin();
          findCjkFont().ifPresent(path -> builder.addFile(path, PREFERRED_CJK_FACE));
          result = builder.build();
          defaults = result;
        }
      }
    }
    return result;
  }

  /**
   * Only the bundled DejaVu Sans: renders Latin text anywhere, refuses CJK.
   *
   * @return the Latin-only font set
   */
  public static FontSet latinOnly() {
    return builder().addBundledLatin().build();
  }

  /**
   * A builder of an empty set; add fonts in fallback order.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The CJK font file {@link #defaults()} would use, if any.
   *
   * @return the font file, or empty if none was found
   */
  public static Optional<Path> findCjkFont() {
    String configured = System.getProperty(CJK_FONT_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(CJK_FONT_ENV);
    }
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isReadable(path)) {
        throw new RenderException(
            "CJK font file " + path + " (from " + CJK_FONT_PROPERTY + " or " + CJK_FONT_ENV
                + ") does not exist or is not readable");
      }
      return Optional.of(path);
    }
    return KNOWN_CJK_PATHS.stream().filter(Files::isReadable).findFirst();
  }

  /**
   * The fonts in fallback order, at size 1 (callers derive their size).
   *
   * @return the fonts
   */
  public List<Font> fonts() {
    return fonts;
  }

  /**
   * Where each font came from ("bundled:..." or a file path with the face name), for reports.
   *
   * @return one entry per font
   */
  public List<String> sources() {
    return sources;
  }

  /**
   * Whether some font in the set draws Chinese and Japanese characters.
   *
   * @return whether CJK text can be drawn
   */
  public boolean coversCjk() {
    return coversCjk;
  }

  /**
   * Each font's face name, in the set's order (for example {@code NotoSansCJKsc-Regular}).
   *
   * @return the face names
   */
  public List<String> faces() {
    return faces;
  }

  /**
   * The face names of the fonts after the first that draw some character of {@code text}: the
   * fallback fonts a line of it needs, in the set's order.
   *
   * @param text the text as drawn
   * @return the faces, each once
   */
  public List<String> fallbackFaces(CharSequence text) {
    boolean[] used = new boolean[fonts.size()];
    text.codePoints().forEach(cp -> {
      int font = fontFor(cp);
      if (font > 0) {
        used[font] = true;
      }
    });
    List<String> result = new ArrayList<>();
    for (int i = 1; i < used.length; i++) {
      if (used[i]) {
        result.add(faces.get(i));
      }
    }
    return result;
  }

  /** Index of the first font that has a glyph for {@code codePoint}, or -1 when none has. */
  int fontFor(int codePoint) {
    for (int i = 0; i < fonts.size(); i++) {
      if (fonts.get(i).canDisplay(codePoint)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return fonts.stream().map(Font::getFontName).collect(Collectors.joining(", ", "FontSet[", "]"));
  }

  /** Builds a {@link FontSet}; fonts are tried in the order they are added. */
  public static final class Builder {
    private final List<Font> fonts = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();

    private Builder() {}

    /**
     * Adds the DejaVu Sans font that ships inside this library.
     *
     * @return this builder
     */
    public Builder addBundledLatin() {
      fonts.add(BundledFont.latin());
      sources.add(BUNDLED_LATIN_SOURCE);
      return this;
    }

    /**
     * Adds the first face of a TTF, OTF or TTC file.
     *
     * @param file a TTF, OTF or TTC file
     * @return this builder
     */
    public Builder addFile(Path file) {
      return addFile(file, null);
    }

    /**
     * Adds the face named {@code faceName} (for example "Noto Sans CJK SC") from a font collection,
     * or the first face when the name is null or no face has it.
     *
     * @param file a TTF, OTF or TTC file
     * @param faceName the face to take from it
     * @return this builder
     */
    public Builder addFile(Path file, String faceName) {
      if (file == null) {
        throw new IllegalArgumentException("font file must not be null");
      }
      Font[] faces;
      try {
        faces = Font.createFonts(file.toFile());
      } catch (FontFormatException e) {
        throw new RenderException("font file " + file + " is not a TrueType/OpenType font", e);
      } catch (IOException e) {
        throw new RenderException("cannot read font file " + file, new UncheckedIOException(e));
      }
      Font chosen = faces[0];
      if (faceName != null) {
        for (Font face : faces) {
          if (face.getFontName().equals(faceName)) {
            chosen = face;
            break;
          }
        }
      }
      fonts.add(chosen);
      sources.add(file + "#" + chosen.getFontName());
      return this;
    }

    /**
     * The set.
     *
     * @return the font set
     * @throws IllegalStateException if no font was added
     */
    public FontSet build() {
      if (fonts.isEmpty()) {
        throw new IllegalStateException("a FontSet needs at least one font");
      }
      return new FontSet(fonts, sources);
    }
  }
}
