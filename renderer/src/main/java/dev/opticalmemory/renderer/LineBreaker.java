package dev.opticalmemory.renderer;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy line breaking and paging.
 *
 * <h2>Cells</h2>
 * Each turn (label first, then text) becomes an array of cells, one per code point: its kind, the
 * source offset where it starts, the code point drawn and its advance. Normalisation happens here:
 * CRLF, CR, NEL and U+2028/9 are line ends; a tab advances to the next stop and is drawn as spaces;
 * zero-width and other format characters are kept in the source range but draw nothing; C0/C1
 * controls are drawn in {@code cat -v} notation; an unpaired surrogate is drawn as U+FFFD.
 *
 * <h2>Breaking</h2>
 * Break opportunities are after whitespace (and U+200B) and on both sides of CJK characters, except
 * before closing punctuation. A word wider than the line is broken between code points. Whitespace
 * that ends a line hangs past the margin: it belongs to the line's source range but is not drawn.
 *
 * <h2>Paging</h2>
 * Lines fill pages top to bottom; a turn always starts on a new line. The sink can stop the process
 * early, which is how {@link PageRenderer#fit(List)} lays out a single page.
 */
final class LineBreaker {
  static final byte WORD = 0;
  static final byte SPACE = 1;
  static final byte TAB = 2;
  static final byte NEWLINE = 3;
  static final byte CJK = 4;
  static final byte CLOSE = 5;
  static final byte ZERO = 6;
  static final byte CONTROL = 7;

  private static final String CLOSING = ",.;:!?)]}、。，．：；？！）」』】〕〉》〗〙〛｝～ー・％";

  /** Receives lines in order; returns false to stop. */
  interface LineSink {
    boolean accept(LineLayout line, int missingGlyphs);
  }

  private final RenderSpec spec;
  private final GlyphMetrics metrics;
  private final float spaceWidth;
  private final float baselineOffset;

  LineBreaker(RenderSpec spec, GlyphMetrics metrics) {
    this.spec = spec;
    this.metrics = metrics;
    this.spaceWidth = metrics.advance(' ');
    float lineHeight = spec.lineHeight();
    this.baselineOffset = baselineOffset(spec, metrics);
  }

  /** Where a line's baseline lies below its top, in logical pixels. */
  static float baselineOffset(RenderSpec spec, GlyphMetrics metrics) {
    return (spec.lineHeight() - (metrics.ascent() + metrics.descent())) / 2 + metrics.ascent();
  }

  List<PageLayout> layout(List<Turn> turns) {
    List<PageLayout> pages = new ArrayList<>();
    List<LineLayout> current = new ArrayList<>();
    int[] missing = {0};
    int perPage = spec.linesPerPage();
    run(turns, (line, lineMissing) -> {
      if (current.size() == perPage) {
        pages.add(new PageLayout(pages.size(), spec.width(), spec.height(), current, missing[0]));
        current.clear();
        missing[0] = 0;
      }
      current.add(place(line, current.size()));
      missing[0] += lineMissing;
      return true;
    });
    if (!current.isEmpty()) {
      pages.add(new PageLayout(pages.size(), spec.width(), spec.height(), current, missing[0]));
    }
    return pages;
  }

  PageCapacity fit(List<Turn> turns) {
    int perPage = spec.linesPerPage();
    int[] lines = {0};
    int[] overflow = {-1, 0}; // turn and start of the first line that does not fit
    run(turns, (line, lineMissing) -> {
      if (lines[0] == perPage) {
        overflow[0] = line.turn();
        overflow[1] = line.start();
        return false;
      }
      lines[0]++;
      return true;
    });
    if (overflow[0] < 0) {
      return new PageCapacity(turns.size(), 0);
    }
    return new PageCapacity(overflow[0], overflow[1]);
  }

  /** Sets the line's position on the page (row {@code row}). */
  private LineLayout place(LineLayout line, int row) {
    float top = spec.margin() + row * spec.lineHeight();
    return new LineLayout(
        line.index(), line.turn(), line.start(), line.end(), line.text(), line.labelLength(),
        spec.margin(), top, line.width(), spec.lineHeight(), top + baselineOffset);
  }

  private void run(List<Turn> turns, LineSink sink) {
    int[] lineIndex = {0};
    for (int t = 0; t < turns.size(); t++) {
      Turn turn = turns.get(t);
      if (turn == null) {
        throw new IllegalArgumentException("turns[" + t + "] must not be null");
      }
      if (!breakTurn(t, turn, lineIndex, sink)) {
        return;
      }
    }
  }

  private boolean breakTurn(int turnIndex, Turn turn, int[] lineIndex, LineSink sink) {
    Cells cells = cells(turnIndex, turn);
    int n = cells.size;
    if (n == 0) {
      return true;
    }
    float maxWidth = spec.textWidth();
    int lineStart = 0;
    float x = 0;
    int i = 0;
    while (i < n) {
      byte kind = cells.kind[i];
      if (kind == NEWLINE) {
        if (!emit(cells, lineStart, i + 1, turn, turnIndex, lineIndex, sink)) {
          return false;
        }
        i++;
        lineStart = i;
        x = 0;
        continue;
      }
      if (kind == SPACE || kind == TAB) {
        float w = kind == TAB ? tabAdvance(x) : cells.width[i];
        if (kind == TAB) {
          cells.width[i] = w;
        }
        x += w;
        i++;
        continue;
      }
      int end = wordEnd(cells, i);
      float w = 0;
      for (int k = i; k < end; k++) {
        w += placed(cells, k, x + w);
      }
      if (x + w <= maxWidth) {
        x += w;
        i = end;
        continue;
      }
      if (hasInk(cells, lineStart, i)) {
        if (!emit(cells, lineStart, i, turn, turnIndex, lineIndex, sink)) {
          return false;
        }
        lineStart = i;
        x = 0;
        if (w <= maxWidth) {
          continue;
        }
      }
      // The word alone is wider than a line: take as many code points as fit (at least one).
      int k = i;
      while (k < end) {
        float w1 = placed(cells, k, x);
        if (k > i && x + w1 > maxWidth) {
          break;
        }
        x += w1;
        k++;
      }
      if (k < end || x > maxWidth) {
        if (!emit(cells, lineStart, k, turn, turnIndex, lineIndex, sink)) {
          return false;
        }
        lineStart = k;
        x = 0;
      }
      i = k;
    }
    if (lineStart < n) {
      return emit(cells, lineStart, n, turn, turnIndex, lineIndex, sink);
    }
    return true;
  }

  /** End (exclusive) of the unbreakable run starting at {@code i}. */
  private static int wordEnd(Cells cells, int i) {
    int n = cells.size;
    int k = i;
    if (cells.kind[k] == CJK) {
      k++;
    } else {
      while (k < n && isWordKind(cells.kind[k])) {
        k++;
      }
      if (k == i) {
        k++; // a lone CLOSE or ZERO cell
      }
    }
    while (k < n && (cells.kind[k] == CLOSE || cells.kind[k] == ZERO)) {
      k++;
    }
    return k;
  }

  private static boolean isWordKind(byte kind) {
    return kind == WORD || kind == CLOSE || kind == ZERO || kind == CONTROL;
  }

  private static boolean hasInk(Cells cells, int from, int to) {
    for (int k = from; k < to; k++) {
      byte kind = cells.kind[k];
      if (kind != SPACE && kind != TAB && kind != ZERO) {
        return true;
      }
    }
    return false;
  }

  /**
   * How far cell {@code k} takes the pen from {@code x}: its advance, plus for a glyph of a
   * fallback font the way to the next cell of the grid ({@link GlyphMetrics#gridPen}).
   */
  private float placed(Cells cells, int k, float x) {
    byte kind = cells.kind[k];
    if (cells.font[k] <= 0 || kind == SPACE || kind == TAB || kind == NEWLINE || kind == ZERO
        || kind == CONTROL) {
      return cells.width[k];
    }
    return metrics.gridPen(x) - x + cells.width[k];
  }

  private float tabAdvance(float x) {
    float stop = spec.tabSize() * spaceWidth;
    float next = (float) (Math.floor(x / stop + 1e-4) + 1) * stop;
    int spaces = Math.max(1, (int) Math.ceil((next - x) / spaceWidth - 1e-3));
    return spaces * spaceWidth;
  }

  private boolean emit(Cells cells, int from, int to, Turn turn, int turnIndex, int[] lineIndex,
      LineSink sink) {
    StringBuilder text = new StringBuilder();
    int labelLength = 0;
    float width = 0;
    float inkWidth = 0;
    int inkLength = 0;
    int missing = 0;
    for (int k = from; k < to; k++) {
      byte kind = cells.kind[k];
      int cp = cells.cp[k];
      switch (kind) {
        case NEWLINE:
        case ZERO:
          break;
        case TAB:
          int spaces = Math.round(cells.width[k] / spaceWidth);
          for (int s = 0; s < spaces; s++) {
            text.append(' ');
          }
          break;
        case SPACE:
          if (cells.width[k] > 0) {
            text.append(' ');
          }
          break;
        case CONTROL:
          appendControl(text, cp);
          break;
        default:
          text.appendCodePoint(cp);
          if (cells.font[k] == GlyphMetrics.NO_FONT) {
            missing++;
          }
      }
      width += placed(cells, k, width);
      if (kind != SPACE && kind != TAB && kind != NEWLINE && kind != ZERO) {
        inkWidth = width;
        inkLength = text.length();
      }
      if (k < cells.labelCells) {
        labelLength = text.length();
      }
    }
    text.setLength(inkLength);
    labelLength = Math.min(labelLength, inkLength);
    int start = from < cells.size ? cells.src[from] : turn.text().length();
    int end = to < cells.size ? cells.src[to] : turn.text().length();
    LineLayout line = new LineLayout(lineIndex[0]++, turnIndex, start, end, text.toString(),
        labelLength, 0, 0, inkWidth, 0, 0);
    return sink.accept(line, missing);
  }

  static void appendControl(StringBuilder out, int cp) {
    if (cp >= 0x80) {
      out.append("M-");
      cp -= 0x80;
    }
    out.append('^').append(cp == 0x7F ? '?' : (char) (cp + '@'));
  }

  private Cells cells(int turnIndex, Turn turn) {
    String label = turn.label();
    String text = turn.text();
    Cells cells = new Cells(label.length() + text.length());
    for (int i = 0; i < label.length(); ) {
      int cp = label.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n' || cp == '\r' || Character.isISOControl(cp)) {
        cp = ' ';
      }
      addChar(cells, turnIndex, cp, 0, cp == ' ' ? SPACE : kindOf(cp));
    }
    cells.labelCells = cells.size;
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      int start = i;
      if (c == '\r') {
        i += (i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
        cells.add(NEWLINE, start, '\n', 0, 0);
        continue;
      }
      int cp;
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        cp = Character.toCodePoint(c, text.charAt(i + 1));
        i += 2;
      } else {
        cp = Character.isSurrogate(c) ? 0xFFFD : c;
        i++;
      }
      if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
        cells.add(NEWLINE, start, '\n', 0, 0);
      } else if (cp == '\t') {
        cells.add(TAB, start, '\t', 0, 0);
      } else if (cp == 0x200B) {
        cells.add(SPACE, start, cp, 0, 0);
      } else if (Character.isISOControl(cp)) {
        StringBuilder notation = new StringBuilder(4);
        appendControl(notation, cp);
        cells.add(CONTROL, start, cp, 0, metrics.advance(notation));
      } else if (Character.getType(cp) == Character.FORMAT) {
        cells.add(ZERO, start, cp, 0, 0);
      } else {
        addChar(cells, turnIndex, cp, start, kindOf(cp));
      }
    }
    return cells;
  }

  private void addChar(Cells cells, int turnIndex, int cp, int start, byte kind) {
    int font = metrics.fontFor(cp);
    if (font == GlyphMetrics.NO_FONT && isCjk(cp)) {
      throw new MissingFontException(String.format(
          "turns[%d] needs a CJK font for U+%04X '%s' at offset %d, but no font of %s has it;"
              + " install fonts-noto-cjk or add a CJK font file to the FontSet (system property %s)",
          turnIndex, cp, new String(Character.toChars(cp)), start, metrics.fontSetSources(),
          FontSet.CJK_FONT_PROPERTY), cp);
    }
    float width = font == GlyphMetrics.NO_FONT ? metrics.placeholderWidth() : metrics.advance(font, cp);
    cells.add(kind, start, cp, font, width);
  }

  private static byte kindOf(int cp) {
    if (cp == ' ' || cp == 0x3000 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x205F) {
      return SPACE;
    }
    if (cp < 0x10000 && CLOSING.indexOf(cp) >= 0) {
      return CLOSE;
    }
    return isCjk(cp) ? CJK : WORD;
  }

  /** Han, kana, hangul, bopomofo and CJK punctuation: breakable on both sides, need a CJK font. */
  static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    switch (script) {
      case HAN:
      case HIRAGANA:
      case KATAKANA:
      case HANGUL:
      case BOPOMOFO:
        return true;
      default:
        Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
        return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
            || (block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS && cp <= 0xFF60);
    }
  }

  /** Growable parallel arrays: one entry per code point of a turn. */
  private static final class Cells {
    byte[] kind;
    int[] src;
    int[] cp;
    int[] font;
    float[] width;
    int size;
    int labelCells;

    Cells(int capacity) {
      int c = Math.max(capacity, 1);
      kind = new byte[c];
      src = new int[c];
      cp = new int[c];
      font = new int[c];
      width = new float[c];
    }

    void add(byte k, int start, int codePoint, int fontIndex, float w) {
      kind[size] = k;
      src[size] = start;
      cp[size] = codePoint;
      font[size] = fontIndex;
      width[size] = w;
      size++;
    }
  }
}
