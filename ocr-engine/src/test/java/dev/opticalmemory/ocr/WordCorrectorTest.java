package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The corrector on recogniser output written by hand: a few classes, one step per row, each row's
 * probabilities given for some classes and the rest of the mass on the blank.
 */
class WordCorrectorTest {
  private static final String[] CLASSES = {"", "l", "e", "a", "r", "n", "i", "g", "m", "w", "s",
      " "};

  /** Rows of {class: probability}; the blank takes what is left. */
  private static FloatBuffer steps(List<Map<String, Double>> rows) {
    FloatBuffer buffer = FloatBuffer.allocate(rows.size() * CLASSES.length);
    for (int t = 0; t < rows.size(); t++) {
      double rest = 1;
      for (int c = 1; c < CLASSES.length; c++) {
        double p = rows.get(t).getOrDefault(CLASSES[c], 0.0);
        buffer.put(t * CLASSES.length + c, (float) p);
        rest -= p;
      }
      buffer.put(t * CLASSES.length, (float) rest);
    }
    return buffer;
  }

  /** Greedy CTC decoding, as the recogniser does it, with each character's first and last step. */
  private static List<String> greedy(FloatBuffer probs, int steps, List<Integer> first,
      List<Integer> last) {
    List<String> chars = new ArrayList<>();
    int previous = 0;
    for (int t = 0; t < steps; t++) {
      int best = 0;
      for (int c = 1; c < CLASSES.length; c++) {
        if (probs.get(t * CLASSES.length + c) > probs.get(t * CLASSES.length + best)) {
          best = c;
        }
      }
      if (best != 0 && best != previous) {
        chars.add(CLASSES[best]);
        first.add(t);
        last.add(t);
      } else if (best != 0) {
        last.set(last.size() - 1, t);
      }
      previous = best;
    }
    return chars;
  }

  private static String corrected(double boost, List<Map<String, Double>> rows) {
    FloatBuffer probs = steps(rows);
    List<Integer> first = new ArrayList<>();
    List<Integer> last = new ArrayList<>();
    List<String> chars = greedy(probs, rows.size(), first, last);
    return String.join("", new WordCorrector(CLASSES, boost)
        .correct(chars, first, last, probs, 0, rows.size(), CLASSES.length));
  }

  /** "learning" whose "rn" the recogniser saw as an "m", with "r" and "n" second. */
  private static final List<Map<String, Double>> LEAMING = List.of(
      Map.of("l", 0.9), Map.of("e", 0.9), Map.of("a", 0.9),
      Map.of("m", 0.55, "r", 0.4), Map.of("m", 0.5, "n", 0.45),
      Map.of("i", 0.9), Map.of("n", 0.9), Map.of("g", 0.9));

  @Test
  void an_unknown_word_becomes_the_known_reading_the_recogniser_found_nearly_as_likely() {
    assertThat(corrected(30, LEAMING)).isEqualTo("learning");
  }

  @Test
  void a_known_reading_much_less_likely_than_what_was_read_is_not_taken() {
    // "lear" + "n" has 0.4 x 0.45 = 0.18 against about 0.3 for "leam": not within a factor of 1.
    assertThat(corrected(1, LEAMING)).isEqualTo("leaming");
  }

  @Test
  void a_known_word_is_left_alone_even_where_another_known_reading_is_likelier() {
    // "ran" read, "man" likelier by the recogniser itself: "ran" is known, so nothing is searched.
    List<Map<String, Double>> ran = List.of(Map.of("r", 0.5, "m", 0.45), Map.of("a", 0.9),
        Map.of("n", 0.9));
    assertThat(corrected(1000, ran)).isEqualTo("ran");
  }

  @Test
  void a_space_inside_a_word_is_dropped_where_the_halves_make_a_known_word() {
    // "a wareness": "wareness" is not a word, "awareness" is; the space's step is nearly as
    // likely blank (0.45 against 0.55).
    List<Map<String, Double>> awareness = new ArrayList<>(List.of(Map.of("a", 0.9),
        Map.of(" ", 0.55)));
    for (String c : "wareness".split("")) {
      awareness.add(Map.of(c, 0.9));
      awareness.add(Map.of());
    }
    assertThat(corrected(30, awareness)).isEqualTo("awareness");
    assertThat(corrected(1, awareness)).as("0.45 x 1 does not reach 0.55").isEqualTo("a wareness");
    List<Map<String, Double>> sure = new ArrayList<>(awareness);
    sure.set(1, Map.of(" ", 0.99));
    assertThat(corrected(30, sure)).as("a space read nearly for certain stays")
        .isEqualTo("a wareness");
  }

  @Test
  void a_single_letter_after_a_known_word_keeps_its_space() {
    // "me n", as "(m) me n)" in a list: "men" is a word, but "n" counts as one here.
    List<Map<String, Double>> meN = List.of(Map.of("m", 0.9), Map.of("e", 0.9), Map.of(" ", 0.55),
        Map.of("n", 0.9));
    assertThat(corrected(1000, meN)).isEqualTo("me n");
  }

  @Test
  void the_forward_probability_sums_over_every_alignment() {
    // Two steps, "a" at 0.6 and 0.3 (blank the rest): "a" is read by a-a, a-blank and blank-a.
    FloatBuffer probs = steps(List.of(Map.of("a", 0.6), Map.of("a", 0.3)));
    double a = 0.6 * 0.3 + 0.6 * 0.7 + 0.4 * 0.3;
    assertThat(WordCorrector.probability(new int[] {3}, probs, 0, 0, 1, CLASSES.length))
        .isCloseTo(a, org.assertj.core.data.Offset.offset(1e-6));
    // "aa" needs a blank between: impossible in two steps.
    assertThat(WordCorrector.probability(new int[] {3, 3}, probs, 0, 0, 1, CLASSES.length))
        .isZero();
  }
}
