package dev.opticalmemory.renderer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a page image drawn by this renderer says about how it was drawn, so that a {@link
 * PageReader} can read it back without an OCR model: the spec's geometry and font size, the chain
 * of sizes the image went through, and each line's band. It travels inside the page's PNG file as a
 * text chunk ({@link #PNG_KEYWORD}), written by {@link #toPng} or {@link #addTo} and read by
 * {@link #fromPng}; a viewer ignores it.
 *
 * <p>Only pages whose first font is the bundled Latin font can be labelled (the reader draws that
 * font's glyphs; a user's font file may not be there when the page is read). A label says what the
 * page was, not what it is: a page edited after it was drawn keeps its label, and the reader then
 * leaves the lines it cannot explain unread.
 *
 * @param spec the spec the page was drawn with (its fonts: {@link FontSet#latinOnly()} once read
 *     back)
 * @param chain the steps from the page as drawn down to the image, largest first
 * @param layout the page's lines (only their tops and heights are kept) and logical size
 */
public record PageLabel(RenderSpec spec, List<PageReader.Step> chain, PageLayout layout) {
  /** The keyword of the PNG text chunk that holds a label. */
  public static final String PNG_KEYWORD = "OpticalMemoryPage";

  private static final String VERSION = "1";
  private static final int MAX_LINES = 4096;
  /** The longest label text chunk read: {@link #MAX_LINES} bands of up to 24 characters and more. */
  private static final int MAX_LABEL_BYTES = 128 * 1024;

  /**
   * Validates the label.
   *
   * @param spec the spec the page was drawn with
   * @param chain the steps, largest first
   * @param layout the page's lines
   * @throws IllegalArgumentException if the spec's first font is not the bundled Latin font, the
   *     chain is empty or does not get smaller step by step, or the layout is not the spec's size
   */
  public PageLabel {
    Objects.requireNonNull(spec, "spec must not be null");
    Objects.requireNonNull(chain, "chain must not be null");
    Objects.requireNonNull(layout, "layout must not be null");
    chain = List.copyOf(chain);
    if (!describable(spec)) {
      throw new IllegalArgumentException("spec's first font must be the bundled Latin font to be"
          + " labelled, but is: " + spec.fonts().sources().get(0));
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must have at least one step, but is empty");
    }
    for (int i = 1; i < chain.size(); i++) {
      if (chain.get(i).pixels() >= chain.get(i - 1).pixels()) {
        throw new IllegalArgumentException("chain must get smaller step by step, but is: "
            + chain.stream().map(step -> step.pixels() + " px").toList());
      }
    }
    if (layout.width() != spec.width() || layout.height() != spec.height()) {
      throw new IllegalArgumentException("layout is " + layout.width() + "x" + layout.height()
          + " but the spec's page is " + spec.width() + "x" + spec.height());
    }
  }

  /**
   * A label for a page as the renderer drew it, stored as an 8-bit gray PNG: a chain of one step.
   *
   * @param spec the spec the page was drawn with
   * @param page the page
   * @return the label
   * @throws IllegalArgumentException as the constructor
   */
  public static PageLabel of(RenderSpec spec, RenderedPage page) {
    Objects.requireNonNull(page, "page must not be null");
    return new PageLabel(spec, List.of(new PageReader.Step(
        Math.max(page.width(), page.height()), PageEncoding.GRAY8_PNG)), page.layout());
  }

  /**
   * Whether pages drawn with this spec can be labelled: its first font is the bundled Latin font.
   *
   * @param spec the spec
   * @return true if they can
   */
  public static boolean describable(RenderSpec spec) {
    return spec.fonts().sources().get(0).equals(FontSet.BUNDLED_LATIN_SOURCE);
  }

  /**
   * A reader for the page: {@link PageReader#of(RenderSpec, List, Predicate)} with this label's
   * spec and chain.
   *
   * @param knownWords whether a word is known (to choose between I and l)
   * @return the reader
   */
  public PageReader reader(Predicate<String> knownWords) {
    return PageReader.of(spec, chain, knownWords);
  }

  /**
   * Whether an image is the size of a step of this label's chain: the size it says the page had.
   * An image scaled or cropped after it was labelled is not, and its label does not describe it.
   *
   * @param image the image
   * @return true if it is the page's size at one of the chain's steps
   */
  public boolean fits(java.awt.image.BufferedImage image) {
    Objects.requireNonNull(image, "image must not be null");
    int longSide = Math.max(spec.width(), spec.height());
    for (PageReader.Step step : chain) {
      int width = Math.max(1, Math.round((float) spec.width() * step.pixels() / longSide));
      int height = Math.max(1, Math.round((float) spec.height() * step.pixels() / longSide));
      if (image.getWidth() == width && image.getHeight() == height) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why this label's line bands do not describe the ink of {@code image}, or null if they do: a
   * label copied from another page, or edited, would send the reader to the wrong rows. Checked:
   * no band much taller than a line, bands that do not pile up on each other, and no ink on rows
   * outside every band (more than a row or two of stray pixels).
   *
   * @param image the page, at one of the chain's sizes ({@link #fits})
   * @return the reason, or null
   */
  public String inkMismatch(java.awt.image.BufferedImage image) {
    Objects.requireNonNull(image, "image must not be null");
    float line = spec.lineHeight();
    float previousBottom = -Float.MAX_VALUE;
    for (LineLayout band : layout.lines()) {
      if (band.height() > 2.5f * line) {
        return "a band " + Math.round(band.height()) + " px tall where a line is "
            + Math.round(line) + " px";
      }
      if (band.top() < previousBottom - band.height() / 4) {
        return "bands overlap at " + Math.round(band.top()) + " px";
      }
      previousBottom = band.top() + band.height();
    }
    double scale = (double) image.getHeight() / spec.height();
    boolean[] covered = new boolean[image.getHeight()];
    for (LineLayout band : layout.lines()) {
      int top = Math.max(0, (int) Math.floor(band.top() * scale) - 1);
      int bottom = Math.min(image.getHeight(), (int) Math.ceil((band.top() + band.height())
          * scale) + 1);
      for (int y = top; y < bottom; y++) {
        covered[y] = true;
      }
    }
    java.awt.image.Raster raster = PageImages.toGray(image).getRaster();
    int stray = 0;
    int[] row = new int[image.getWidth()];
    for (int y = 0; y < image.getHeight(); y++) {
      if (covered[y]) {
        continue;
      }
      raster.getSamples(0, y, image.getWidth(), 1, 0, row);
      for (int v : row) {
        if (v < 128) {
          stray++;
          break;
        }
      }
    }
    if (stray > Math.max(2, image.getHeight() / 100)) {
      return "ink on " + stray + " rows outside every band";
    }
    return null;
  }

  /**
   * The tops of the page's lines, as {@link PageReader#read} takes them.
   *
   * @return the tops, in the spec's logical pixels
   */
  public List<Float> lineTops() {
    List<Float> tops = new ArrayList<>(layout.lines().size());
    for (LineLayout line : layout.lines()) {
      tops.add(line.top());
    }
    return tops;
  }

  /**
   * The label as the text chunk holds it (Latin-1, one line).
   *
   * @return the text
   */
  public String encode() {
    StringBuilder s = new StringBuilder(64 + 16 * layout.lines().size());
    s.append("v=").append(VERSION)
        .append(" page=").append(spec.width()).append('x').append(spec.height())
        .append(" margin=").append(spec.margin())
        .append(" font=").append(spec.fontSize())
        .append(" spacing=").append(spec.lineSpacing())
        .append(" tab=").append(spec.tabSize())
        .append(" chain=");
    for (int i = 0; i < chain.size(); i++) {
      s.append(i == 0 ? "" : ",").append(chain.get(i).pixels()).append(':')
          .append(chain.get(i).encoding().name());
    }
    s.append(" lines=");
    for (int i = 0; i < layout.lines().size(); i++) {
      LineLayout line = layout.lines().get(i);
      s.append(i == 0 ? "" : ",").append(line.top()).append('+').append(line.height());
    }
    return s.toString();
  }

  /**
   * Reads a label from its text.
   *
   * @param text the text, as {@link #encode()} wrote it
   * @return the label
   * @throws IllegalArgumentException naming the field and the value that cannot be read, with the
   *     cause
   */
  public static PageLabel parse(String text) {
    Objects.requireNonNull(text, "text must not be null");
    java.util.Map<String, String> fields = new java.util.HashMap<>();
    for (String field : text.strip().split(" +")) {
      int eq = field.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("page label field is not name=value: '" + clip(field)
            + "' in '" + clip(text) + "'");
      }
      fields.put(field.substring(0, eq), field.substring(eq + 1)); // unknown names: ignored
    }
    String version = fields.get("v");
    if (!VERSION.equals(version)) {
      throw new IllegalArgumentException("page label version must be " + VERSION + ", but is: "
          + (version == null ? "missing" : "'" + clip(version) + "'"));
    }
    int[] size = field("page", fields, v -> {
      String[] sides = v.split("x", -1);
      if (sides.length != 2) {
        throw new IllegalArgumentException("expected WIDTHxHEIGHT");
      }
      return new int[] {Integer.parseInt(sides[0]), Integer.parseInt(sides[1])};
    });
    int margin = field("margin", fields, Integer::parseInt);
    float font = field("font", fields, Float::parseFloat);
    float spacing = field("spacing", fields, Float::parseFloat);
    int tab = field("tab", fields, Integer::parseInt);
    RenderSpec spec;
    try {
      spec = RenderSpec.builder().pageSize(size[0], size[1]).margin(margin).fontSize(font)
          .lineSpacing(spacing).tabSize(tab).fonts(FontSet.latinOnly()).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("page label fields page, margin, font, spacing and tab"
          + " cannot be read: 'page=" + fields.get("page") + " margin=" + margin + " font=" + font
          + " spacing=" + spacing + " tab=" + tab + "' (" + e.getMessage() + ")", e);
    }
    List<PageReader.Step> chain = field("chain", fields, v -> {
      List<PageReader.Step> steps = new ArrayList<>();
      for (String step : v.split(",", -1)) {
        int colon = step.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("step '" + clip(step) + "' is not PIXELS:ENCODING");
        }
        steps.add(new PageReader.Step(Integer.parseInt(step.substring(0, colon)),
            PageEncoding.valueOf(step.substring(colon + 1))));
      }
      return steps;
    });
    List<LineLayout> lines = field("lines", fields, v -> bands(v, spec));
    return new PageLabel(spec, chain, new PageLayout(0, spec.width(), spec.height(), lines, 0));
  }

  /** The lines of a label's {@code lines} field: TOP+HEIGHT bands, comma-separated. */
  private static List<LineLayout> bands(String value, RenderSpec spec) {
    List<LineLayout> lines = new ArrayList<>();
    if (value.isEmpty()) {
      return lines;
    }
    String[] bands = value.split(",", -1);
    if (bands.length > MAX_LINES) {
      throw new IllegalArgumentException(bands.length + " lines, more than " + MAX_LINES);
    }
    for (String band : bands) {
      int plus = band.indexOf('+');
      if (plus < 0) {
        throw new IllegalArgumentException("band '" + clip(band) + "' is not TOP+HEIGHT");
      }
      float top = Float.parseFloat(band.substring(0, plus));
      float height = Float.parseFloat(band.substring(plus + 1));
      if (!(top >= 0 && top < spec.height() && height > 0 && height <= spec.height())) {
        throw new IllegalArgumentException("band '" + clip(band) + "' is outside the page");
      }
      lines.add(new LineLayout(lines.size(), 0, 0, 0, "", 0, spec.margin(), top,
          spec.textWidth(), height, top + height));
    }
    return lines;
  }

  /**
   * A field of a label read by {@code parse}; a missing field or one it refuses is an
   * IllegalArgumentException naming the field and its value, with the cause.
   */
  private static <T> T field(String name, java.util.Map<String, String> fields,
      java.util.function.Function<String, T> parse) {
    String value = fields.get(name);
    try {
      if (value == null) {
        throw new IllegalArgumentException("the field " + name + " is missing");
      }
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("page label field " + name + " cannot be read: '"
          + clip(value == null ? "" : value) + "' (" + e.getMessage() + ")", e);
    }
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /**
   * The image as an 8-bit gray PNG ({@link PageImages#encodePng}) that carries this label.
   *
   * @param image the page, converted to gray if it is not
   * @return the PNG file's bytes
   */
  public byte[] toPng(java.awt.image.BufferedImage image) {
    return addTo(PageImages.encodePng(image));
  }

  /**
   * A PNG file with this label added, as a text chunk right after its header (the image data is
   * not decoded or coded again); a label it carried before is left out.
   *
   * @param png a PNG file's bytes
   * @return the bytes of the labelled file
   * @throws IllegalArgumentException if the bytes are not a PNG or its chunks are damaged
   */
  public byte[] addTo(byte[] png) {
    Objects.requireNonNull(png, "png must not be null");
    List<int[]> chunks = chunks(png);
    byte[] text = (PNG_KEYWORD + '\0' + encode()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + text.length + 12);
    out.write(png, 0, 8);
    for (int[] chunk : chunks) {
      int start = chunk[0];
      int length = chunk[1];
      if (isLabel(png, start, length)) {
        continue;
      }
      out.write(png, start, length + 12);
      if (type(png, start).equals("IHDR")) {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8).putInt(text.length)
            .put("tEXt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(head.array(), 4, 4);
        crc.update(text);
        out.write(head.array(), 0, 8);
        out.write(text, 0, text.length);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array(), 0, 4);
      }
    }
    return out.toByteArray();
  }

  /** Each chunk's start and data length, after the signature; IllegalArgumentException if damaged. */
  private static List<int[]> chunks(byte[] png) {
    if (!PageImages.isPng(png)) {
      throw new IllegalArgumentException("bytes are not a PNG (" + png.length + " bytes)");
    }
    List<int[]> chunks = new ArrayList<>();
    int at = 8;
    while (at < png.length) {
      if (png.length - at < 12) {
        throw new IllegalArgumentException("the PNG is damaged: a chunk at byte " + at
            + " runs past its end (" + png.length + " bytes)");
      }
      int length = java.nio.ByteBuffer.wrap(png, at, 4).getInt();
      if (length < 0 || length > png.length - at - 12) {
        throw new IllegalArgumentException("the PNG is damaged: a chunk at byte " + at + " of "
            + length + " bytes runs past its end (" + png.length + " bytes)");
      }
      chunks.add(new int[] {at, length});
      at += length + 12;
    }
    if (chunks.isEmpty() || !type(png, chunks.get(0)[0]).equals("IHDR")) {
      throw new IllegalArgumentException("the PNG is damaged: it does not start with its header"
          + " (" + png.length + " bytes)");
    }
    return chunks;
  }

  private static String type(byte[] png, int chunk) {
    return new String(png, chunk + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static boolean isLabel(byte[] png, int chunk, int length) {
    byte[] keyword = (PNG_KEYWORD + '\0').getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!type(png, chunk).equals("tEXt") || length < keyword.length) {
      return false;
    }
    return java.util.Arrays.equals(png, chunk + 8, chunk + 8 + keyword.length, keyword, 0,
        keyword.length);
  }

  /**
   * The label a PNG file carries, if any.
   *
   * @param png the file's bytes
   * @return the label, or empty if the bytes are not a PNG, carry none, or are damaged before one
   *     is found (decoding the image then says what is wrong)
   * @throws IllegalArgumentException if the PNG carries a label that cannot be read, naming the
   *     field and its value
   */
  public static Optional<PageLabel> fromPng(byte[] png) {
    Objects.requireNonNull(png, "png must not be null");
    if (!PageImages.isPng(png)) {
      return Optional.empty();
    }
    List<int[]> chunks;
    try {
      chunks = chunks(png);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a damaged file: whoever decodes its image says so
    }
    for (int[] chunk : chunks) {
      if (isLabel(png, chunk[0], chunk[1])) {
        if (chunk[1] > MAX_LABEL_BYTES) {
          throw new IllegalArgumentException("page label is " + chunk[1] + " bytes, more than "
              + MAX_LABEL_BYTES + " (a page has at most " + MAX_LINES + " lines)");
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, chunk[0] + 4, chunk[1] + 4);
        int stored = java.nio.ByteBuffer.wrap(png, chunk[0] + 8 + chunk[1], 4).getInt();
        if (stored != (int) crc.getValue()) {
          throw new IllegalArgumentException(String.format("page label's chunk is damaged: CRC"
              + " %08x, its bytes give %08x", stored, (int) crc.getValue()));
        }
        int keyword = PNG_KEYWORD.length() + 1;
        return Optional.of(parse(new String(png, chunk[0] + 8 + keyword, chunk[1] - keyword,
            java.nio.charset.StandardCharsets.ISO_8859_1)));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "PageLabel[%dx%d, %d lines, chain %s]", spec.width(),
        spec.height(), layout.lines().size(), chain);
  }
}
