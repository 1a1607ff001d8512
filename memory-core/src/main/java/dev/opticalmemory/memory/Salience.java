package dev.opticalmemory.memory;

/**
 * How much a turn states facts worth keeping sharp (a number, a date, a name, an identifier, "my
 * X is", "I am allergic to"), rather than small talk: 0 (nothing) to 1. The memory scores each turn
 * once when it is appended, while its source text exists, and keeps each segment's mean as part of
 * its {@link Importance}.
 *
 * <p>Implementations must be thread-safe and fast: the score is taken on the append path, before
 * the transaction (the default takes under a millisecond on a page of text). An exception or a
 * value outside 0 to 1 fails the append with a {@link MemoryException} naming the scorer.
 */
@FunctionalInterface
public interface Salience {

  /**
   * The turn's salience.
   *
   * @param text the turn's text, possibly empty
   * @return 0 to 1
   */
  double score(String text);

  /**
   * The default scorer: counts the marks of a stated fact in the first 8,000 characters (numbers
   * and identifiers, month and weekday names and other date words, capitalised words inside a
   * sentence, first-person statements such as "my X is", "I am", "I have", "I work") and maps the
   * count to 0-1 as 1 - e^(-count / 4). No model: OpenNLP's tagging models are not published on
   * Maven Central, and a model would cost more per append than the whole append does.
   *
   * @return the default scorer
   */
  static Salience facts() {
    return FactSalience.INSTANCE;
  }

  /**
   * Every turn 0: aging and the context assembler by age alone.
   *
   * @return the scorer that scores nothing
   */
  static Salience none() {
    return text -> 0;
  }
}
