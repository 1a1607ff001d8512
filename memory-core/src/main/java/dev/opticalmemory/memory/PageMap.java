package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.LineLayout;
import dev.opticalmemory.renderer.PageLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where each line of a segment's page is, kept with the segment so that recall can crop just the
 * lines it needs from an image of any tier: per line, the turn it belongs to and its vertical band in
 * the page's logical pixels (the LARGE page, {@code width} x {@code height}); whether each
 * turn's first line starts with its region mark ({@code "57 "},
 * {@link dev.opticalmemory.renderer.Turn}); and the faces of the fonts after the first that drew
 * some of its glyphs (a CJK font), so that a process without them knows its reading is not the
 * one measured; and how each line ends (inside a run of text, at a hidden space or at a line
 * break), so that a turn that wraps is read back as written. Version 1 (before region marks) is
 * read as a page without them, versions 1 and 2 (before the faces) as pages of the first font
 * alone, versions 1 to 3 (before line ends) with a space where a turn wraps.
 */
record PageMap(int width, int height, List<Line> lines, boolean marked, List<String> faces) {
  private static final int VERSION = 4;

  /** How a line ends, as its turn's source text goes on: unknown for maps before version 4. */
  static final byte UNKNOWN = 0;
  /** The line ends inside a run of text with no space (a CJK break, or a word too long). */
  static final byte JOINED = 1;
  /** The line ends at a space that the wrap hid. */
  static final byte SPACE = 2;
  /** The line ends at a line break of the source. */
  static final byte BREAK = 3;

  /** A line: its turn, its band, and how it ends ({@link #JOINED}, {@link #SPACE}, ...). */
  record Line(int turn, float top, float height, byte end) {
    /** A line whose end is not known (drawn before version 4). */
    Line(int turn, float top, float height) {
      this(turn, top, height, UNKNOWN);
    }
  }

  PageMap {
    lines = List.copyOf(lines);
    faces = List.copyOf(faces);
  }

  /** A page drawn without region marks, by the first font alone. */
  PageMap(int width, int height, List<Line> lines) {
    this(width, height, lines, false, List.of());
  }

  /**
   * The map of a laid-out page.
   *
   * @param texts each turn's source text, as laid out (the renderer's {@code Turn.text()}), by the
   *     index that the page's lines name
   */
  static PageMap of(PageLayout page, int[] turnNumbers, List<String> texts, boolean marked,
      FontSet fonts) {
    List<Line> lines = new ArrayList<>();
    Set<String> faces = new TreeSet<>();
    for (LineLayout line : page.lines()) {
      lines.add(new Line(turnNumbers[line.turn()], line.top(), line.height(),
          end(texts.get(line.turn()), line)));
      faces.addAll(fonts.fallbackFaces(line.text()));
    }
    return new PageMap(page.width(), page.height(), lines, marked, List.copyOf(faces));
  }

  /** How a line ends, from the last source character it covers (a wrap hangs its space there). */
  private static byte end(String text, LineLayout line) {
    if (line.end() <= line.start() || line.end() > text.length()) {
      return UNKNOWN;
    }
    char last = text.charAt(line.end() - 1);
    if (last == '\n' || last == '\r' || last == '\u0085' || last == '\u2028' || last == '\u2029') {
      return BREAK;
    }
    return Character.isWhitespace(last) || Character.isSpaceChar(last) ? SPACE : JOINED;
  }

  /**
   * What goes between line {@code index} and the next line of its turn to give the turn's text
   * back: nothing, a space or a line break, as the source had it; a space where that is unknown
   * (maps before version 4).
   */
  String joiner(int index) {
    return switch (lines.get(index).end()) {
      case JOINED -> "";
      case BREAK -> "\n";
      default -> " ";
    };
  }

  /** The faces that drew some of this page's glyphs and that {@code fonts} does not have. */
  List<String> missingFaces(FontSet fonts) {
    return faces.isEmpty() ? List.of()
        : faces.stream().filter(f -> !fonts.faces().contains(f)).toList();
  }

  /** Whether line {@code index} starts with a region mark: the first line of a marked turn. */
  boolean startsWithMark(int index) {
    return marked && (index == 0 || lines.get(index - 1).turn() != lines.get(index).turn());
  }

  /**
   * A line's text as read from the page, less its region mark where it has one: the first word,
   * if it holds a digit (a number, or one read with a letter for a digit), then its space.
   */
  String withoutMark(int index, String read) {
    if (!startsWithMark(index)) {
      return read;
    }
    int space = read.indexOf(' ');
    int end = space < 0 ? read.length() : space;
    if (end == 0 || end > 10 || read.substring(0, end).chars().noneMatch(Character::isDigit)) {
      return read;
    }
    return read.substring(Math.min(read.length(), end + 1));
  }

  /**
   * The page as the renderer's {@link PageLayout}: its size and each line's band (index, turn, top
   * and height; no text), for reading it back ({@link KnownPageDecoder}, {@code PageLabel}).
   */
  PageLayout layout() {
    List<LineLayout> list = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      list.add(new LineLayout(i, line.turn(), 0, 0, "", 0, 0f, line.top(), width, line.height(),
          line.top() + line.height()));
    }
    return new PageLayout(0, width, height, list, 0);
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + lines.size() * 12);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeBoolean(marked);
      out.writeInt(width);
      out.writeInt(height);
      out.writeInt(lines.size());
      for (Line line : lines) {
        out.writeInt(line.turn());
        out.writeFloat(line.top());
        out.writeFloat(line.height());
      }
      out.writeInt(faces.size());
      for (String face : faces) {
        out.writeUTF(face);
      }
      for (Line line : lines) {
        out.writeByte(line.end());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static PageMap fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readByte();
      if (version < 1 || version > VERSION) {
        throw new MemoryException("page map of version " + version + " is not readable by this "
            + "version of Optical Memory (reads versions 1 to " + VERSION + ")");
      }
      boolean marked = version >= 2 && in.readBoolean();
      int width = in.readInt();
      int height = in.readInt();
      int n = in.readInt();
      if (n < 0 || n > 100_000) {
        throw new MemoryException("page map is corrupt: " + n + " lines");
      }
      List<Line> lines = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        lines.add(new Line(in.readInt(), in.readFloat(), in.readFloat()));
      }
      int f = version >= 3 ? in.readInt() : 0;
      if (f < 0 || f > 64) {
        throw new MemoryException("page map is corrupt: " + f + " font faces");
      }
      List<String> faces = new ArrayList<>(f);
      for (int i = 0; i < f; i++) {
        faces.add(in.readUTF());
      }
      if (version >= 4) {
        for (int i = 0; i < n; i++) {
          byte end = in.readByte();
          if (end < UNKNOWN || end > BREAK) {
            throw new MemoryException("page map is corrupt: line " + i + " ends with " + end);
          }
          Line line = lines.get(i);
          lines.set(i, new Line(line.turn(), line.top(), line.height(), end));
        }
      }
      return new PageMap(width, height, lines, marked, faces);
    } catch (IOException e) {
      throw new MemoryException("page map is corrupt (" + data.length + " bytes)", e);
    }
  }
}
