package dev.opticalmemory.memory;

import java.util.Map;
import java.util.TreeMap;

/** Turn attributes in one text column: {@code key=value} lines, with {@code \}, {@code =} and newlines escaped. */
final class Attributes {
  private Attributes() {}

  static String encode(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      escape(e.getKey(), s);
      s.append('=');
      escape(e.getValue(), s);
      s.append('\n');
    }
    return s.toString();
  }

  /**
   * Decodes what {@link #encode} wrote. Values can be megabytes (a chat message's JSON with a
   * user's image), so plain runs are found with {@link String#indexOf} and copied whole.
   */
  static Map<String, String> decode(String text) {
    Map<String, String> map = new TreeMap<>();
    if (text == null) {
      return map;
    }
    int n = text.length();
    int i = 0;
    while (i < n) {
      int[] at = {i};
      String key = unescapeUntil(text, at, '=');
      if (at[0] >= n) {
        break; // a key without '=' at the very end: nothing to keep
      }
      at[0]++;
      String value = unescapeUntil(text, at, '\n');
      map.put(key, value);
      i = at[0] + 1;
    }
    return map;
  }

  /** The unescaped text from {@code at[0]} to the first unescaped {@code stop}, left in at[0]. */
  private static String unescapeUntil(String text, int[] at, char stop) {
    int n = text.length();
    int i = at[0];
    StringBuilder out = null;
    while (true) {
      int end = text.indexOf(stop, i);
      if (end < 0) {
        end = n;
      }
      int escape = text.indexOf('\\', i);
      if (escape < 0 || escape >= end || escape + 1 >= n) {
        at[0] = end;
        if (out == null) {
          return text.substring(i, end);
        }
        return out.append(text, i, end).toString();
      }
      if (out == null) {
        out = new StringBuilder(end - i);
      }
      out.append(text, i, escape);
      char next = text.charAt(escape + 1);
      out.append(next == 'n' ? '\n' : next);
      i = escape + 2;
    }
  }

  private static void escape(String s, StringBuilder out) {
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' || ch == '=' || ch == '\n') {
        out.append(s, from, i).append('\\').append(ch == '\n' ? 'n' : ch);
        from = i + 1;
      }
    }
    out.append(s, from, s.length());
  }
}
