package dev.opticalmemory.memory;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Salience#facts()}: marks of a stated fact, counted. */
final class FactSalience implements Salience {
  static final FactSalience INSTANCE = new FactSalience();

  /** Characters read of a turn; the rest is not scored. */
  static final int SCANNED = 8_000;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’\\-/:.]*");
  /** First-person statements of a fact, lowercased text. */
  private static final Pattern FIRST_PERSON = Pattern.compile("\\b(?:(?:my|our) [\\p{L}\\- ]{1,30}?"
      + " (?:is|are|was|were|has|have)|i(?:'m| am| was) (?:allergic|married|engaged|pregnant|born|"
      + "from|moving|starting|planning|training|studying|working|volunteering|a|an)|i (?:have|had|"
      + "live|lived|work|worked|moved|bought|adopted|started|joined|signed|decided|visited|won|"
      + "graduated|finished|lost|got|own|teach|study|play|went))\\b");
  private static final Set<String> DATE_WORDS = dateWords();
  private static final Set<String> NOT_NAMES = Set.of("I", "I'm", "I've", "I'd", "I'll", "OK",
      "Ok", "Oh", "Hey", "Hi", "Hello", "Thanks", "Thank", "Yes", "Yeah", "No", "Wow", "Sure");

  private FactSalience() {}

  private static Set<String> dateWords() {
    Set<String> words = new HashSet<>(Set.of("yesterday", "tomorrow", "tonight", "weekend",
        "anniversary", "birthday", "deadline", "appointment"));
    for (Month m : Month.values()) {
      words.add(m.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT));
    }
    for (DayOfWeek d : DayOfWeek.values()) {
      words.add(d.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT));
    }
    words.remove("may"); // "may" is a verb far more often; "May" capitalised still counts as a name
    return Set.copyOf(words);
  }

  @Override
  public double score(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    String scanned = text.length() > SCANNED ? text.substring(0, SCANNED) : text;
    double marks = 0;
    Matcher words = WORD.matcher(scanned);
    boolean sentenceStart = true;
    int last = 0;
    while (words.find()) {
      String between = scanned.substring(last, words.start());
      if (between.indexOf('.') >= 0 || between.indexOf('!') >= 0 || between.indexOf('?') >= 0
          || between.indexOf('\n') >= 0) {
        sentenceStart = true;
      }
      String raw = words.group();
      String word = stripTrailing(raw);
      last = words.end();
      if (word.isEmpty()) {
        continue;
      }
      boolean endsSentence = raw.endsWith(".") || raw.endsWith(":");
      boolean digit = word.chars().anyMatch(Character::isDigit);
      if (digit) {
        marks += 1; // a number, a time, a date, an identifier
      } else if (DATE_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
        marks += 1;
      } else if (Character.isUpperCase(word.codePointAt(0)) && !NOT_NAMES.contains(word)) {
        if (!sentenceStart) {
          marks += 0.5; // a name inside a sentence
        }
        if (word.length() >= 2 && word.chars().allMatch(c -> !Character.isLetter(c)
            || Character.isUpperCase(c))) {
          marks += 0.5; // an acronym or a code
        }
      }
      sentenceStart = endsSentence;
    }
    Matcher facts = FIRST_PERSON.matcher(scanned.toLowerCase(Locale.ROOT));
    while (facts.find()) {
      marks += 1;
    }
    return 1 - Math.exp(-marks / 4);
  }

  private static String stripTrailing(String word) {
    int end = word.length();
    while (end > 0 && ".:-/'’".indexOf(word.charAt(end - 1)) >= 0) {
      end--;
    }
    return word.substring(0, end);
  }
}
