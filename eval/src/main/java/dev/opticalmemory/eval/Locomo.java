package dev.opticalmemory.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A LoCoMo conversation file (Maharana et al., 2024; format in {@code ../shared/data/README.md}):
 * its turns in session order and its questions.
 */
public final class Locomo {
  /** Trailing content (a second object after the first) is an error, not silently ignored. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("h:mm a 'on' d MMMM, yyyy", Locale.ENGLISH);

  /** A question with its answer and the {@code dia_id}s of its evidence turns. */
  public record Question(String question, String answer, List<String> evidence, int category) {
    public Question {
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * A conversation.
   *
   * @param turns every non-blank turn, in session order, stamped with its session's time (UTC) and
   *     carrying its {@code dia_id} as an attribute
   */
  public record Conversation(String id, List<MemoryTurn> turns, List<Question> questions) {
    public Conversation {
      turns = List.copyOf(turns);
      questions = List.copyOf(questions);
    }

    /** The index in {@link #turns()} of the turn with this {@code dia_id}, or -1. */
    public int turnOf(String diaId) {
      for (int i = 0; i < turns.size(); i++) {
        if (diaId.equals(turns.get(i).attributes().get("dia_id"))) {
          return i;
        }
      }
      return -1;
    }
  }

  private Locomo() {}

  /**
   * Reads a LoCoMo file; the conversation's id is the file name without {@code .json}.
   *
   * @throws IllegalArgumentException naming the file if it cannot be read or is not LoCoMo
   */
  public static Conversation read(Path file) {
    String text;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IllegalArgumentException(file + ": too large; a LoCoMo file may hold at most "
            + (MAX_BYTES >> 20) + " MB");
      }
      text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not a readable JSON file: " + e.getMessage(), e);
    }
    String name = file.getFileName().toString();
    return parse(file.toString(), name.endsWith(".json") ? name.substring(0, name.length() - 5)
        : name, text);
  }

  /** The largest LoCoMo file read, in bytes. */
  public static final long MAX_BYTES = 256L << 20;

  /**
   * Parses a LoCoMo conversation from its JSON text (a leading BOM is allowed); {@code source}
   * names it in errors, {@code id} becomes the conversation's id.
   *
   * @throws IllegalArgumentException naming the source for text that is not LoCoMo, a session
   *     number that is not a number below 10^9, or a turn whose fields are not strings
   */
  public static Conversation parse(String source, String id, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json.startsWith("\uFEFF") ? json.substring(1) : json);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(source + ": not a readable JSON file: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": not a LoCoMo conversation (not a JSON object)");
    }
    JsonNode conversation = root.has("conversation") ? root.get("conversation") : root;
    Map<Integer, JsonNode> sessions = new TreeMap<>();
    Map<Integer, String> sessionNames = new java.util.HashMap<>();
    for (Iterator<String> names = conversation.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.matches("session_\\d+")) {
        if (!name.matches("session_\\d{1,9}")) {
          throw new IllegalArgumentException(source + ": " + name + " has a session number that is"
              + " too large (at most 9 digits)");
        }
        JsonNode session = conversation.get(name);
        if (!session.isArray()) {
          throw new IllegalArgumentException(source + ": " + name + " must be an array of turns,"
              + " but is " + session.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        int number = Integer.parseInt(name.substring(8));
        String other = sessionNames.put(number, name);
        if (other != null) {
          throw new IllegalArgumentException(source + ": " + name + " and " + other + " both name"
              + " LoCoMo sitting " + number + "; each number may appear once");
        }
        sessions.put(number, session);
      }
    }
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException(source + ": not a LoCoMo conversation (no session_N arrays)");
    }
    List<MemoryTurn> turns = new ArrayList<>();
    for (Map.Entry<Integer, JsonNode> session : sessions.entrySet()) {
      String whenField = sessionNames.get(session.getKey()) + "_date_time";
      JsonNode when = conversation.get(whenField);
      if (when != null && !when.isTextual() && !when.isNull()) {
        throw new IllegalArgumentException(source + ": " + whenField + " must be a string like"
            + " '1:56 pm on 8 May, 2023', but is " + when.getNodeType().name()
                .toLowerCase(Locale.ROOT) + ": " + abbreviate(when.toString()));
      }
      Instant at = null;
      if (when != null && when.isTextual()) {
        try {
          at = LocalDateTime.parse(when.asText().trim().replace("am", "AM").replace("pm", "PM"),
              TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(source + ": " + whenField + " '" + when.asText()
              + "' is not like '1:56 pm on 8 May, 2023'", e);
        }
      }
      int index = 0;
      for (JsonNode turn : session.getValue()) {
        String where = source + ": " + sessionNames.get(session.getKey()) + "[" + index++ + "]";
        if (!turn.isObject()) {
          throw new IllegalArgumentException(where + " must be a turn object with \"text\", but is "
              + turn.getNodeType().name().toLowerCase(Locale.ROOT) + ": "
              + abbreviate(turn.toString()));
        }
        for (String field : new String[] {"text", "speaker", "dia_id"}) {
          if (turn.has(field) && !turn.get(field).isTextual() && !turn.get(field).isNull()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string, but is "
                + turn.get(field).getNodeType().name().toLowerCase(Locale.ROOT) + ": "
                + abbreviate(turn.get(field).toString()));
          }
        }
        String text = turn.path("text").asText("");
        if (text.isBlank()) {
          continue;
        }
        MemoryTurn t = new MemoryTurn(Role.USER, turn.path("speaker").asText(""), text, at, Map.of());
        if (turn.hasNonNull("dia_id")) {
          t = t.with("dia_id", turn.get("dia_id").asText());
        }
        turns.add(t);
      }
    }
    List<Question> questions = new ArrayList<>();
    JsonNode qa = root.has("qa") ? root.get("qa") : conversation.path("qa");
    int index = 0;
    for (JsonNode q : qa) {
      List<String> evidence = new ArrayList<>();
      q.path("evidence").forEach(e -> evidence.add(e.asText()));
      JsonNode category = q.path("category");
      if (!category.isIntegralNumber() || category.asInt() < 1 || category.asInt() > 5) {
        // LoCoMo's own script stops on any other category; scoring it as plain F1 would hide it.
        throw new IllegalArgumentException(source + ": qa[" + index + "].category must be an"
            + " integer from 1 to 5, but is: " + (category.isMissingNode() ? "missing" : category));
      }
      questions.add(new Question(q.path("question").asText(""),
          q.hasNonNull("answer") ? pythonStr(q.get("answer")) : "", evidence, category.asInt()));
      index++;
    }
    return new Conversation(id, turns, questions);
  }

  /**
   * A JSON value as Python's {@code str} writes it, as LoCoMo's script reads an answer: 2022 stays
   * "2022", 10.0 is "10.0", 1e20 is "1e+20", true is "True".
   */
  static String pythonStr(JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean() ? "True" : "False";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isFloatingPointNumber()) {
      double d = value.doubleValue();
      String s = Double.toString(d);
      int e = s.indexOf('E');
      if (Math.abs(d) >= 1e16 || (d != 0 && Math.abs(d) < 1e-4)) {
        String mantissa = e < 0 ? s : s.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        if (mantissa.endsWith(".0")) {
          mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d",
            Math.abs(exponent));
      }
      if (e < 0) {
        return s;
      }
      String plain = new java.math.BigDecimal(s).toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    return value.asText();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
