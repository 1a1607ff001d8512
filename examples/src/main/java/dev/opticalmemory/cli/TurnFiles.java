package dev.opticalmemory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opticalmemory.eval.Locomo;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Role;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads conversations to ingest, strictly: LoCoMo JSON files and JSONL turn files. Each turn comes
 * with where it was read (for errors) and its idempotency key (for re-runs without duplicates).
 */
final class TurnFiles {
  /** Exactly one JSON value per line (trailing tokens are an error) and no repeated field. */
  private static final ObjectReader JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build().readerFor(JsonNode.class);
  private static final Set<String> FIELDS =
      Set.of("role", "speaker", "text", "timestamp", "attributes");

  private TurnFiles() {}

  /** The attribute that keeps, with each ingested turn, the hash of what the file held. */
  static final String HASH_ATTRIBUTE = "ingest.hash";

  /**
   * A turn read from a file.
   *
   * @param where the file and line (JSONL) or session entry (LoCoMo), for errors
   * @param key the idempotency key: JSONL {@code attributes.id}, LoCoMo {@code dia_id}, else the
   *     turn's content hash and its occurrence in the file ({@code content:HASH#N}), so that two
   *     files look the same only where they hold the same turns
   * @param turn the turn, with its content hash as the attribute {@link #HASH_ATTRIBUTE}
   */
  record SourceTurn(String where, String key, MemoryTurn turn) {
    /** The hash of the turn's role, speaker and text, as kept with it. */
    String hash() {
      return turn.attributes().get(HASH_ATTRIBUTE);
    }
  }

  /** A short hash of what identifies a turn's content: its role, speaker and text. */
  static String contentHash(MemoryTurn turn) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {turn.role().name(), turn.speaker(), turn.text()}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The turns with their hash kept as an attribute, and content keys where they had no id: two
   * turns of the same content in a file get occurrences #0, #1, ...
   */
  private static List<SourceTurn> keyed(List<SourceTurn> read) {
    List<SourceTurn> out = new ArrayList<>(read.size());
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (SourceTurn t : read) {
      String hash = contentHash(t.turn());
      String key = t.key();
      if (key == null) {
        key = "content:" + hash + "#" + seen.merge(hash, 1, Integer::sum);
      }
      out.add(new SourceTurn(t.where(), key, t.turn().with(HASH_ATTRIBUTE, hash)));
    }
    return out;
  }

  /**
   * A LoCoMo conversation: {@code session_N} arrays of {@code {speaker, dia_id, text}} in session
   * order, each turn timestamped with its {@code session_N_date_time} (read as UTC; turns of a
   * session share it). The {@code dia_id} is kept as the attribute {@code dia_id} and is the key.
   */
  static List<SourceTurn> locomo(Path file) {
    String text = TextFiles.readUtf8(file, TextFiles.LOCOMO_LIMIT);
    List<MemoryTurn> turns;
    try {
      turns = Locomo.parse(file.toString(), file.getFileName().toString(), text).turns();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    List<SourceTurn> list = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      MemoryTurn turn = turns.get(i);
      String dia = turn.attributes().get("dia_id");
      String where = file + ": turn " + (i + 1) + (dia == null ? "" : " (dia_id " + dia + ")");
      list.add(new SourceTurn(where, dia, turn));
    }
    return keyed(list);
  }

  /**
   * One turn object per line: {@code {"role": "user", "speaker": "Ann", "text": "...",
   * "timestamp": "2024-05-01T10:00:00Z", "attributes": {"id": "m1"}}}. Only {@code text} is
   * required (role defaults to user, speaker to empty). Every value must have its type (strings,
   * and an object of strings for attributes); other fields are refused, so that a misspelt field
   * is not silently dropped. Blank lines are skipped; LF, CRLF and CR end lines.
   */
  static List<SourceTurn> jsonl(Path file) {
    List<SourceTurn> turns = new ArrayList<>();
    String name = file.getFileName().toString();
    TextFiles.forEachLine(file, TextFiles.JSONL_LIMIT, TextFiles.JSONL_LINE_LIMIT,
        line -> turn(file.toString(), name, line).ifPresent(turns::add));
    return keyed(turns);
  }

  /** The same, from text already read (the shipped samples); {@code file} names it. */
  static List<SourceTurn> jsonl(String file, String text) {
    List<SourceTurn> turns = new ArrayList<>();
    try {
      TextFiles.forEachLine(file, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
          TextFiles.JSONL_LINE_LIMIT, line -> turn(file, file, line).ifPresent(turns::add));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keyed(turns);
  }

  /** The turns alone. */
  static List<MemoryTurn> turns(List<SourceTurn> source) {
    return source.stream().map(SourceTurn::turn).toList();
  }

  private static java.util.Optional<SourceTurn> turn(String file, String name,
      TextFiles.Line line) {
    if (line.text().isBlank()) {
      return java.util.Optional.empty();
    }
    String where = file + ":" + line.number();
    JsonNode node = parse(where, line.text());
    if (!node.isObject()) {
      throw new CliException(where + ": a turn must be a JSON object with \"text\", but is "
          + kind(node));
    }
    for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!FIELDS.contains(field)) {
        throw new CliException(where + ": unknown field \"" + field + "\"; a turn has "
            + "\"role\", \"speaker\", \"text\", \"timestamp\" and \"attributes\"");
      }
    }
    String text = string(where, node, "text", null);
    if (text == null) {
      throw new CliException(where + ": a turn must be a JSON object with \"text\"");
    }
    String roleName = string(where, node, "role", "user");
    Role role;
    try {
      role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(where + ": role must be user, assistant, system or tool, but is '"
          + roleName + "'", e);
    }
    Instant at = null;
    String timestamp = string(where, node, "timestamp", null);
    if (timestamp != null) {
      try {
        at = Instant.parse(timestamp);
      } catch (DateTimeParseException e) {
        throw new CliException(where + ": timestamp must be ISO-8601 like 2024-05-01T10:00:00Z, "
            + "but is '" + timestamp + "'", e);
      }
    }
    Map<String, String> attributes = new TreeMap<>();
    JsonNode attrs = node.get("attributes");
    if (attrs != null && !attrs.isNull()) {
      if (!attrs.isObject()) {
        throw new CliException(where + ": attributes must be an object of strings, but is "
            + kind(attrs));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new CliException(where + ": attributes." + e.getKey() + " must be a string, but is "
              + kind(e.getValue()));
        }
        attributes.put(e.getKey(), e.getValue().textValue());
      }
    }
    MemoryTurn turn;
    try {
      turn = new MemoryTurn(role, string(where, node, "speaker", ""), text, at, attributes);
    } catch (IllegalArgumentException e) {
      throw new CliException(where + ": " + e.getMessage(), e);
    }
    String id = attributes.get("id");
    return java.util.Optional.of(new SourceTurn(where, id != null && !id.isBlank() ? id : null,
        turn));
  }

  /** A field that must be a string when present; JSON null counts as absent. */
  private static String string(String where, JsonNode node, String field, String absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isTextual()) {
      throw new CliException(where + ": " + field + " must be a string, but is " + kind(value));
    }
    return value.textValue();
  }

  private static String kind(JsonNode node) {
    String json = node.toString();
    return node.getNodeType().name().toLowerCase(Locale.ROOT) + " "
        + (json.length() <= 40 ? json : json.substring(0, 37) + "...");
  }

  private static JsonNode parse(String where, String text) {
    try {
      return JSON.readValue(text);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Trailing token")) {
        message = "one JSON object per line, but more follows the first at column "
            + e.getLocation().getColumnNr();
      }
      throw new CliException(where + ": not valid JSON: " + String.valueOf(message).lines()
          .findFirst().orElse(""), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
