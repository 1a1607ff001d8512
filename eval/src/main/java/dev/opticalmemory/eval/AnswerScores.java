package dev.opticalmemory.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Answers scored as memory papers score them on LoCoMo, so that figures stand beside published
 * ones: LoCoMo's own F1 ({@code task_eval/evaluation.py}) and mem0's F1, with one summary for both.
 * {@code eval score} and {@code eval qa} use it alike.
 */
public final class AnswerScores {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerScores() {}

  /**
   * One answer's scores; an errored row (no answer came back) has none.
   *
   * @param id the row's id
   * @param category the LoCoMo category, 1 to 5
   * @param locomo LoCoMo's F1 for the category; 0 for an errored row
   * @param mem0 mem0's F1 (for every category; its summary leaves 5 out); 0 for an errored row
   * @param error why no answer came back, or null
   */
  public record Scored(String id, int category, double locomo, double mem0, String error) {
    /**
     * Checks the category.
     *
     * @param id the row's id
     * @param category the LoCoMo category, 1 to 5
     * @param locomo LoCoMo's F1 for the category; 0 for an errored row
     * @param mem0 mem0's F1; 0 for an errored row
     * @param error why no answer came back, or null
     */
    public Scored {
      Objects.requireNonNull(id, "id");
      checkCategory(category);
    }

    /**
     * Whether no answer came back.
     *
     * @return whether the row errored
     */
    public boolean errored() {
      return error != null;
    }
  }

  /**
   * Scores a prediction against the gold answer.
   *
   * @param id the row's id, for messages
   * @param category the LoCoMo category, 1 to 5
   * @param prediction the answer given; empty or blank scores 0
   * @param gold the gold answer, as Python's {@code str} writes it
   * @return the scores
   * @throws IllegalArgumentException if the category is not 1 to 5
   */
  public static Scored score(String id, int category, String prediction, String gold) {
    return new Scored(id, category, LocomoScore.score(category, prediction, gold),
        LocomoScore.mem0F1(prediction, gold), null);
  }

  private static void checkCategory(int category) {
    if (category < 1 || category > 5) {
      throw new IllegalArgumentException("category must be 1 to 5, as LoCoMo's script has them,"
          + " but is: " + category);
    }
  }

  /**
   * The figures papers report, over a set of scored rows.
   *
   * @param rows the rows counted
   * @param errors how many of them errored
   * @param locomoAll LoCoMo's overall score: the mean over every question, category 5 included
   * @param locomo1to4 LoCoMo's F1 over categories 1 to 4
   * @param mem0F1to4 mem0's F1 over categories 1 to 4 (mem0 leaves category 5 out)
   */
  public record Summary(int rows, int errors, double locomoAll, double locomo1to4,
      double mem0F1to4) {}

  /**
   * The summary with errored rows counted as 0 ({@code strict}) or left out.
   *
   * @param rows the scored rows
   * @param strict whether an errored row counts, as 0
   * @return the summary; NaN where no row counts
   */
  public static Summary summarize(List<Scored> rows, boolean strict) {
    double all = 0;
    double answerable = 0;
    double mem0 = 0;
    int n = 0;
    int m = 0;
    int errors = 0;
    for (Scored r : rows) {
      if (r.errored()) {
        errors++;
        if (!strict) {
          continue;
        }
      }
      n++;
      all += r.errored() ? 0 : r.locomo();
      if (r.category() != 5) {
        m++;
        answerable += r.errored() ? 0 : r.locomo();
        mem0 += r.errored() ? 0 : r.mem0();
      }
    }
    return new Summary(rows.size(), errors, n == 0 ? Double.NaN : all / n,
        m == 0 ? Double.NaN : answerable / m, m == 0 ? Double.NaN : mem0 / m);
  }

  /**
   * The two summary lines, strict and with errors left out, each labelled.
   *
   * @param rows the scored rows
   * @return two lines of text
   */
  public static List<String> summaryLines(List<Scored> rows) {
    List<String> lines = new ArrayList<>();
    for (boolean strict : new boolean[] {true, false}) {
      Summary s = summarize(rows, strict);
      lines.add(String.format(Locale.ROOT, "%-28s LoCoMo overall %s   LoCoMo F1 cat. 1-4 %s   "
          + "mem0 F1 cat. 1-4 %s   (%d rows, %d errored)", strict ? "strict (errors count 0):"
          : "errors left out:", figure(s.locomoAll()), figure(s.locomo1to4()),
          figure(s.mem0F1to4()), s.rows(), s.errors()));
    }
    return lines;
  }

  private static String figure(double value) {
    return Double.isNaN(value) ? "  -  " : String.format(Locale.ROOT, "%.4f", value);
  }

  /**
   * Scores a JSON Lines file of predictions: each line an object with {@code prediction},
   * {@code answer} (text or number) and {@code category}, and optionally {@code id}; a line with
   * an {@code error} (text) is a question that errored and needs no prediction. Blank lines are
   * skipped.
   *
   * @param input the file
   * @return the scored rows, in the file's order
   * @throws IllegalArgumentException naming the line and the field, for a line that is not a JSON
   *     object, lacks a field, or has a category that is not an integer from 1 to 5; or for a
   *     file without rows
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<Scored> scoreFile(Path input) {
    List<Scored> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(
        Files.newInputStream(input), StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line;
      int number = 0;
      while ((line = readLine(in, input, number + 1)) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        rows.add(row(input, number, line));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(input + " holds no rows: JSON Lines with prediction,"
          + " answer and category are expected");
    }
    return rows;
  }

  private static String readLine(BufferedReader in, Path input, int number) throws IOException {
    try {
      return in.readLine();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(input + " line " + number + ": not UTF-8 text", e);
    }
  }

  private static Scored row(Path input, int number, String line) {
    String where = input + " line " + number;
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not a JSON object (the file must be JSON"
          + " Lines: one object per line): " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": not a JSON object (the file must be JSON"
          + " Lines: one object per line)");
    }
    String id = node.hasNonNull("id") ? node.get("id").asText() : Integer.toString(number);
    JsonNode category = node.get("category");
    if (category == null || category.isNull()) {
      throw new IllegalArgumentException(where + ": the field category is missing");
    }
    int cat;
    if (category.isIntegralNumber() && category.canConvertToInt()) {
      cat = category.intValue();
    } else if (category.isTextual() && category.asText().strip().matches("[0-9]{1,9}")) {
      cat = Integer.parseInt(category.asText().strip());
    } else {
      throw new IllegalArgumentException(where + ": the field category must be an integer from 1"
          + " to 5, but is: " + category);
    }
    if (cat < 1 || cat > 5) {
      throw new IllegalArgumentException(where + ": the field category must be an integer from 1"
          + " to 5, as LoCoMo's script has them, but is: " + cat);
    }
    if (node.hasNonNull("error")) {
      return new Scored(id, cat, 0, 0, node.get("error").asText());
    }
    for (String field : new String[] {"prediction", "answer"}) {
      if (!node.hasNonNull(field)) {
        throw new IllegalArgumentException(where + ": the field " + field + " is missing");
      }
      if (node.get(field).isContainerNode()) {
        throw new IllegalArgumentException(where + ": the field " + field + " must be text, but"
            + " is: " + abbreviate(node.get(field).toString()));
      }
    }
    return score(id, cat, node.get("prediction").asText(), Locomo.pythonStr(node.get("answer")));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /**
   * Writes each row's scores as JSON Lines ({@code id}, {@code category}, {@code locomoF1},
   * {@code mem0F1}, and {@code error} where it errored).
   *
   * @param rows the scored rows
   * @param out the file to write
   * @throws UncheckedIOException if it cannot be written
   */
  public static void writeRows(List<Scored> rows, Path out) {
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Scored r : rows) {
        ObjectNode o = JSON.createObjectNode().put("id", r.id()).put("category", r.category());
        if (r.errored()) {
          o.putNull("locomoF1").putNull("mem0F1").put("error", r.error());
        } else {
          o.put("locomoF1", r.locomo()).put("mem0F1", r.mem0());
        }
        w.write(JSON.writeValueAsString(o));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }
}
