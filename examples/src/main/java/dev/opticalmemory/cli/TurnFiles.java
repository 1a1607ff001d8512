package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
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

/** Reads conversations to ingest: LoCoMo JSON files and JSONL turn files. */
final class TurnFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LOCOMO_TIME =
      DateTimeFormatter.ofPattern("h:mm a 'on' d MMMM, yyyy", Locale.ENGLISH);

  private TurnFiles() {}

  /**
   * A LoCoMo conversation: {@code session_N} arrays of {@code {speaker, dia_id, text}} in session
   * order, each turn timestamped with its {@code session_N_date_time} (read as UTC; turns of a
   * session share it). The {@code dia_id} is kept as the attribute {@code dia_id}.
   */
  static List<MemoryTurn> locomo(Path file) {
    JsonNode root = parse(file, TextFiles.readUtf8(file));
    JsonNode conversation = root.has("conversation") ? root.get("conversation") : root;
    Map<Integer, JsonNode> sessions = new TreeMap<>();
    for (Iterator<String> names = conversation.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.matches("session_\\d+")) {
        sessions.put(Integer.parseInt(name.substring(8)), conversation.get(name));
      }
    }
    if (sessions.isEmpty()) {
      throw new CliException(file + ": not a LoCoMo conversation (no session_N arrays)");
    }
    List<MemoryTurn> turns = new ArrayList<>();
    for (Map.Entry<Integer, JsonNode> session : sessions.entrySet()) {
      JsonNode when = conversation.get("session_" + session.getKey() + "_date_time");
      Instant at = null;
      if (when != null && when.isTextual()) {
        try {
          at = LocalDateTime.parse(when.asText().trim().replace("am", "AM").replace("pm", "PM"),
              LOCOMO_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new CliException(file + ": session_" + session.getKey() + "_date_time '"
              + when.asText() + "' is not like '1:56 pm on 8 May, 2023'", e);
        }
      }
      for (JsonNode turn : session.getValue()) {
        String speaker = turn.path("speaker").asText("");
        String text = turn.path("text").asText("");
        if (text.isBlank()) {
          continue;
        }
        MemoryTurn t = new MemoryTurn(Role.USER, speaker, text, at, Map.of());
        if (turn.hasNonNull("dia_id")) {
          t = t.with("dia_id", turn.get("dia_id").asText());
        }
        turns.add(t);
      }
    }
    return turns;
  }

  /**
   * One turn object per line: {@code {"role": "user", "speaker": "Ann", "text": "...",
   * "timestamp": "2024-05-01T10:00:00Z", "attributes": {"id": "m1"}}}; only {@code text} is
   * required (role defaults to user, speaker to empty). Blank lines are skipped.
   */
  static List<MemoryTurn> jsonl(Path file) {
    List<MemoryTurn> turns = new ArrayList<>();
    int number = 0;
    for (String line : TextFiles.readUtf8(file).split("\n", -1)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = parse(file, line, number);
      if (!node.isObject() || !node.hasNonNull("text")) {
        throw new CliException(file + ":" + number + ": a turn must be a JSON object with \"text\"");
      }
      Role role;
      try {
        role = Role.valueOf(node.path("role").asText("user").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliException(file + ":" + number + ": role must be user, assistant, system or "
            + "tool, but is '" + node.path("role").asText() + "'", e);
      }
      Instant at = null;
      if (node.hasNonNull("timestamp")) {
        try {
          at = Instant.parse(node.get("timestamp").asText());
        } catch (DateTimeParseException e) {
          throw new CliException(file + ":" + number + ": timestamp must be ISO-8601 like "
              + "2024-05-01T10:00:00Z, but is '" + node.get("timestamp").asText() + "'", e);
        }
      }
      Map<String, String> attributes = new TreeMap<>();
      node.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
      try {
        turns.add(new MemoryTurn(role, node.path("speaker").asText(""), node.get("text").asText(),
            at, attributes));
      } catch (IllegalArgumentException e) {
        throw new CliException(file + ":" + number + ": " + e.getMessage(), e);
      }
    }
    return turns;
  }

  private static JsonNode parse(Path file, String text) {
    return parse(file, text, 0);
  }

  private static JsonNode parse(Path file, String text, int line) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      String where = line > 0 ? file + ":" + line : file.toString();
      throw new CliException(where + ": not valid JSON: " + e.getMessage().lines().findFirst()
          .orElse(""), e);
    }
  }
}
