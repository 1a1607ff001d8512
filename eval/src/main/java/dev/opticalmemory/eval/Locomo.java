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
  private static final ObjectMapper JSON = new ObjectMapper();
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
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a readable JSON file: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
    JsonNode conversation = root.has("conversation") ? root.get("conversation") : root;
    Map<Integer, JsonNode> sessions = new TreeMap<>();
    for (Iterator<String> names = conversation.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.matches("session_\\d+")) {
        sessions.put(Integer.parseInt(name.substring(8)), conversation.get(name));
      }
    }
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException(file + ": not a LoCoMo conversation (no session_N arrays)");
    }
    List<MemoryTurn> turns = new ArrayList<>();
    for (Map.Entry<Integer, JsonNode> session : sessions.entrySet()) {
      JsonNode when = conversation.get("session_" + session.getKey() + "_date_time");
      Instant at = null;
      if (when != null && when.isTextual()) {
        try {
          at = LocalDateTime.parse(when.asText().trim().replace("am", "AM").replace("pm", "PM"),
              TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(file + ": session_" + session.getKey()
              + "_date_time '" + when.asText() + "' is not like '1:56 pm on 8 May, 2023'", e);
        }
      }
      for (JsonNode turn : session.getValue()) {
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
    for (JsonNode q : qa) {
      List<String> evidence = new ArrayList<>();
      q.path("evidence").forEach(e -> evidence.add(e.asText()));
      questions.add(new Question(q.path("question").asText(""),
          q.hasNonNull("answer") ? q.get("answer").asText() : "", evidence,
          q.path("category").asInt(0)));
    }
    String name = file.getFileName().toString();
    return new Conversation(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name,
        turns, questions);
  }
}
