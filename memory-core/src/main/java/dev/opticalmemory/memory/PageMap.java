package dev.opticalmemory.memory;

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

/**
 * Where each line of a segment's page is, kept with the segment so that recall can crop just the
 * lines it needs from an image of any tier: per line, the turn it belongs to and its vertical band in
 * the page's logical pixels (the LARGE page, {@code width} x {@code height}).
 */
record PageMap(int width, int height, List<Line> lines) {
  private static final int VERSION = 1;

  record Line(int turn, float top, float height) {}

  static PageMap of(PageLayout page, int[] turnNumbers) {
    List<Line> lines = new ArrayList<>();
    for (LineLayout line : page.lines()) {
      lines.add(new Line(turnNumbers[line.turn()], line.top(), line.height()));
    }
    return new PageMap(page.width(), page.height(), lines);
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
      out.writeInt(width);
      out.writeInt(height);
      out.writeInt(lines.size());
      for (Line line : lines) {
        out.writeInt(line.turn());
        out.writeFloat(line.top());
        out.writeFloat(line.height());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static PageMap fromBytes(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readByte();
      if (version != VERSION) {
        throw new MemoryException("page map of version " + version + " is not readable by this "
            + "version of Optical Memory (reads version " + VERSION + ")");
      }
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
      return new PageMap(width, height, lines);
    } catch (IOException e) {
      throw new MemoryException("page map is corrupt (" + data.length + " bytes)", e);
    }
  }
}
