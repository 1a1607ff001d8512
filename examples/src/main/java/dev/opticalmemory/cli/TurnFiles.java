package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.eval.Locomo;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads conversations to ingest: LoCoMo JSON files and JSONL turn files. */
final class TurnFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TurnFiles() {}

  /**
   * A LoCoMo conversation: {@code session_N} arrays of {@code {speaker, dia_id, text}} in session
   * order, each turn timestamped with its {@code session_N_date_time} (read as UTC; turns of a
   * session share it). The {@code dia_id} is kept as the attribute {@code dia_id}.
   */
  static List<MemoryTurn> locomo(Path file) {
    TextFiles.readUtf8(file); // the command line's own checks and messages for unreadable files
    try {
      return Locomo.read(file).turns();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /**
   * One turn object per line: {@code {"role": "user", "speaker": "Ann", "text": "...",
   * "timestamp": "2024-05-01T10:00:00Z", "attributes": {"id": "m1"}}}; only {@code text} is
   * required (role defaults to user, speaker to empty). Blank lines are skipped.
   */
  static List<MemoryTurn> jsonl(Path file) {
    return jsonl(file.toString(), TextFiles.readUtf8(file));
  }

  /** The same, from text already read; {@code file} names it in errors. */
  static List<MemoryTurn> jsonl(String file, String text) {
    List<MemoryTurn> turns = new ArrayList<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
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

  private static JsonNode parse(String file, String text, int line) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new CliException(file + ":" + line + ": not valid JSON: " + e.getMessage().lines().findFirst()
          .orElse(""), e);
    }
  }
}
