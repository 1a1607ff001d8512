package dev.opticalmemory.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the first place where a sequence of units (words, or single CJK characters) repeats back to
 * back (three times or more) over at least a given span, and cuts the text after its first occurrence. A loop of a
 * decoder looks like that; ordinary text almost never does over 40 units.
 */
final class RepetitionGuard {
  private static final int MAX_PERIOD = 200;

  private RepetitionGuard() {}

  /** The text after cutting, the repeating unit, and how many repeats were cut (0: none). */
  record Cut(String text, String unit, int repeats) {}

  static Cut cut(String text, int minSpan) {
    List<int[]> units = units(text);
    int n = units.size();
    for (int start = 0; start < n; start++) {
      for (int period = 1; period <= MAX_PERIOD && start + 2 * period <= n; period++) {
        int repeats = 0;
        int next = start + period;
        while (next + period <= n && same(text, units, start, next, period)) {
          repeats++;
          next += period;
        }
        if (repeats >= 2 && (repeats + 1) * period >= minSpan) {
          int endOfFirst = units.get(start + period - 1)[1];
          String unit = text.substring(units.get(start)[0], endOfFirst);
          return new Cut(text.substring(0, endOfFirst), unit, repeats);
        }
      }
    }
    return new Cut(text, "", 0);
  }

  private static boolean same(String text, List<int[]> units, int a, int b, int length) {
    for (int i = 0; i < length; i++) {
      int[] x = units.get(a + i);
      int[] y = units.get(b + i);
      if (x[1] - x[0] != y[1] - y[0] || !text.regionMatches(x[0], text, y[0], x[1] - x[0])) {
        return false;
      }
    }
    return true;
  }

  /** Start and end offsets of each word or CJK character. */
  private static List<int[]> units(String text) {
    List<int[]> units = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
      } else if (TesseractEngine.isCjk(cp)) {
        units.add(new int[] {i, i + Character.charCount(cp)});
        i += Character.charCount(cp);
      } else {
        int start = i;
        while (i < text.length()) {
          int c = text.codePointAt(i);
          if (Character.isWhitespace(c) || TesseractEngine.isCjk(c)) {
            break;
          }
          i += Character.charCount(c);
        }
        units.add(new int[] {start, i});
      }
    }
    return units;
  }
}
