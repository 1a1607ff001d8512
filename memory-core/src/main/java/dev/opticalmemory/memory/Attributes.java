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

  static Map<String, String> decode(String text) {
    Map<String, String> map = new TreeMap<>();
    if (text == null) {
      return map;
    }
    StringBuilder key = new StringBuilder();
    StringBuilder value = new StringBuilder();
    StringBuilder current = key;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        current.append(next == 'n' ? '\n' : next);
      } else if (ch == '=' && current == key) {
        current = value;
      } else if (ch == '\n') {
        map.put(key.toString(), value.toString());
        key.setLength(0);
        value.setLength(0);
        current = key;
      } else {
        current.append(ch);
      }
    }
    return map;
  }

  private static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '=' -> out.append("\\=");
        case '\n' -> out.append("\\n");
        default -> out.append(ch);
      }
    }
  }
}
