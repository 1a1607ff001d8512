package dev.opticalmemory.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One question asked of one system by {@code eval qa}, a row of {@code qa.csv}: written as it is
 * answered, and read back to resume a run.
 *
 * @param conversation the LoCoMo conversation
 * @param question the question's index
 * @param category its LoCoMo category
 * @param system what the model was given (full-text, text-window, optical...)
 * @param model the model's name
 * @param budget the context budget
 * @param status answered, skipped (the context did not fit) or failed
 * @param prediction the model's answer, or empty
 * @param gold the gold answer
 * @param f1 LoCoMo's F1 of an answer
 * @param mem0F1 mem0's F1 of an answer
 * @param judge the judge's verdict (1 correct, 0 not), where one was asked
 * @param apiInputTokens input tokens as the API reported them, where it did
 * @param apiOutputTokens output tokens as the API reported them, where it did
 * @param countedInputTokens input tokens as we counted them, where a request was made
 * @param images page images sent
 * @param requests requests made, retries included
 * @param toolCalls tool calls the model made
 * @param latencyMillis how long the question took
 * @param finish the API's finish reason, or empty
 * @param error what went wrong (redacted), or empty
 */
public record QaRow(String conversation, int question, int category, String system,
    String model, int budget, Status status, String prediction, String gold, OptionalDouble f1,
    OptionalDouble mem0F1, OptionalDouble judge, OptionalLong apiInputTokens,
    OptionalLong apiOutputTokens, OptionalLong countedInputTokens, OptionalInt images,
    OptionalInt requests, OptionalInt toolCalls, OptionalDouble latencyMillis, String finish,
    String error) {

  /** How a question ended. */
  public enum Status {
    OK, SKIPPED, ERROR;

    /** As {@code qa.csv} writes it. */
    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The columns of {@code qa.csv}, in order. */
  static final List<Reports.Column<QaRow>> COLUMNS = List.of(
      Reports.column("conversation", QaRow::conversation),
      Reports.column("question", QaRow::question),
      Reports.column("category", QaRow::category),
      Reports.column("system", QaRow::system),
      Reports.column("model", QaRow::model),
      Reports.column("budget", QaRow::budget),
      Reports.column("status", r -> r.status().text()),
      Reports.column("prediction", QaRow::prediction),
      Reports.column("gold", QaRow::gold),
      Reports.column("f1", r -> cell(r.f1())),
      Reports.column("mem0F1", r -> cell(r.mem0F1())),
      Reports.column("judge", r -> cell(r.judge())),
      Reports.column("apiInputTokens", r -> cell(r.apiInputTokens())),
      Reports.column("apiOutputTokens", r -> cell(r.apiOutputTokens())),
      Reports.column("countedInputTokens", r -> cell(r.countedInputTokens())),
      Reports.column("images", r -> cell(r.images())),
      Reports.column("requests", r -> cell(r.requests())),
      Reports.column("toolCalls", r -> cell(r.toolCalls())),
      Reports.column("latencyMillis", r -> cell(r.latencyMillis())),
      Reports.column("finish", QaRow::finish),
      Reports.column("error", QaRow::error));

  /** The header names, in order. */
  static List<String> names() {
    return COLUMNS.stream().map(Reports.Column::name).toList();
  }

  /** The row's cells, in the columns' order. */
  List<Object> cells() {
    return COLUMNS.stream().map(c -> c.value().apply(this)).toList();
  }

  /**
   * A row as {@code qa.csv} holds it.
   *
   * @param cells column name to cell text
   * @return the row
   * @throws IllegalArgumentException naming the column whose cell is not of its type
   */
  static QaRow parse(Map<String, String> cells) {
    return new QaRow(text(cells, "conversation"), integer(cells, "question"),
        integer(cells, "category"), text(cells, "system"), text(cells, "model"),
        integer(cells, "budget"), status(text(cells, "status")), text(cells, "prediction"),
        text(cells, "gold"), decimal(cells, "f1"), decimal(cells, "mem0F1"),
        decimal(cells, "judge"), whole(cells, "apiInputTokens"), whole(cells, "apiOutputTokens"),
        whole(cells, "countedInputTokens"), count(cells, "images"), count(cells, "requests"),
        count(cells, "toolCalls"), decimal(cells, "latencyMillis"), text(cells, "finish"),
        text(cells, "error"));
  }

  private static Object cell(OptionalDouble v) {
    return v.isPresent() ? (Object) v.getAsDouble() : "";
  }

  private static Object cell(OptionalLong v) {
    return v.isPresent() ? (Object) v.getAsLong() : "";
  }

  private static Object cell(OptionalInt v) {
    return v.isPresent() ? (Object) v.getAsInt() : "";
  }

  private static String text(Map<String, String> cells, String column) {
    String v = cells.get(column);
    return v == null ? "" : v;
  }

  private static Status status(String v) {
    for (Status s : Status.values()) {
      if (s.text().equals(v)) {
        return s;
      }
    }
    throw new IllegalArgumentException("status must be ok, skipped or error, but is: " + v);
  }

  private static int integer(Map<String, String> cells, String column) {
    try {
      return Integer.parseInt(text(cells, column));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " must be a whole number, but is: '"
          + text(cells, column) + "'", e);
    }
  }

  private static OptionalInt count(Map<String, String> cells, String column) {
    return text(cells, column).isEmpty() ? OptionalInt.empty()
        : OptionalInt.of(integer(cells, column));
  }

  private static OptionalLong whole(Map<String, String> cells, String column) {
    String v = text(cells, column);
    try {
      return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " must be a whole number, but is: '" + v + "'",
          e);
    }
  }

  private static OptionalDouble decimal(Map<String, String> cells, String column) {
    String v = text(cells, column);
    try {
      return v.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " must be a number, but is: '" + v + "'", e);
    }
  }
}
