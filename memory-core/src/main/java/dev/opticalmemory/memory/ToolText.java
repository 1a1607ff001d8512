package dev.opticalmemory.memory;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The text that the recall and read tools of the integrations (LangChain4j, Spring AI, MCP) give a
 * model, written once so that a model reads the same words through any of them.
 *
 * <p>Each passage opens with a heading in brackets: its page and turns, how it was read and how
 * well that reads, for example {@code [page 3, turns 10-14, read at SMALL, 97% of words intact]}.
 * Then one line per turn: {@code turn 12, 7 December 2026 09:30 UTC: Mira: the code is 4471}.
 * Where a page was drawn with fonts this process lacks, the heading names them instead of an
 * accuracy, since those lines were read by the OCR engine and the accuracy measured with the fonts
 * does not hold for them.
 */
public final class ToolText {
  private static final DateTimeFormatter WHEN = DateTimeFormatter
      .ofPattern("d MMMM yyyy HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private ToolText() {}

  /**
   * What recall found, as text: each passage's heading, then its turns, those that only neighbour
   * a match marked "(context)", with a blank line between passages.
   *
   * @param found what {@link OpticalMemory#recall} returned, best first
   * @param hidden turns to leave out of the text, such as the tool's own earlier calls
   * @return the passages; empty if {@code found} is
   */
  public static String recollections(List<Recollection> found, Predicate<RecalledTurn> hidden) {
    Objects.requireNonNull(found, "found");
    Objects.requireNonNull(hidden, "hidden");
    StringBuilder out = new StringBuilder();
    for (Recollection r : found) {
      out.append(String.format(Locale.ROOT, "[page %d, turns %d-%d, read at %s%s]%n", r.index(),
          r.firstTurn(), r.lastTurn(), r.tier(), quality(r.wordAccuracy(), r.missingFonts())));
      for (RecalledTurn t : r.turns()) {
        if (!hidden.test(t)) {
          out.append(line(t, t.match() ? "" : " (context)"));
        }
      }
      out.append(System.lineSeparator());
    }
    return out.toString().strip();
  }

  /**
   * Turns of a page read back exactly ({@link OpticalMemory#read}), as text: at most {@code count}
   * turns from {@code fromTurn}, and none past the page's last turn.
   *
   * @param memory the memory
   * @param conversation the conversation id
   * @param page the page's number, from 0
   * @param fromTurn the first turn to read
   * @param count how many turns at most, at least 1
   * @return the heading and the turns
   * @throws IllegalArgumentException if the count is below 1, or as {@link OpticalMemory#read}
   *     does: the conversation is unknown, or the page or turns are out of range
   */
  public static String read(OpticalMemory memory, String conversation, int page, int fromTurn,
      int count) {
    Objects.requireNonNull(memory, "memory");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, but is: " + count);
    }
    int last = (int) Math.min(Integer.MAX_VALUE, (long) fromTurn + count - 1);
    for (Segment s : memory.segments(conversation)) {
      if (s.index() == page) {
        last = Math.min(s.lastTurn(), last);
      }
    }
    Passage passage = memory.read(conversation, page, fromTurn, Math.max(fromTurn, last));
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "[page %d, turns %d-%d, %s]%n",
        passage.page(), passage.fromTurn(), passage.toTurn(), passage.decoded()
            ? "decoded from its " + passage.tier() + " image"
                + quality(passage.wordAccuracy(), passage.missingFonts())
            : "as written"));
    for (RecalledTurn t : passage.turns()) {
      out.append(line(t, ""));
    }
    return out.toString().strip();
  }

  private static String quality(java.util.OptionalDouble wordAccuracy, List<String> missingFonts) {
    if (!missingFonts.isEmpty()) {
      return "; drawn with " + String.join(", ", missingFonts)
          + ", which this machine lacks: those lines were read by OCR and may be misread";
    }
    return wordAccuracy.isEmpty() ? "" : String.format(Locale.ROOT, ", %.0f%% of words intact",
        100 * wordAccuracy.getAsDouble());
  }

  /**
   * One turn as the tools write it: {@code turn 12, 7 December 2026 09:30 UTC: Mira: hello},
   * ending with a line separator.
   *
   * @param turn the turn's number in its conversation, from 0
   * @param time when it was said, or null where that is not known
   * @param text its text, "speaker: text" where it has a speaker
   * @return the line
   */
  public static String turn(int turn, java.time.Instant time, String text) {
    return line(turn, time, "", text);
  }

  private static String line(RecalledTurn t, String note) {
    return line(t.turn(), t.time(), note, t.text());
  }

  private static String line(int turn, java.time.Instant time, String note, String text) {
    return "turn " + turn + (time == null ? "" : ", " + WHEN.format(time)) + note + ": "
        + text.strip() + System.lineSeparator();
  }
}
