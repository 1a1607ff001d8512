package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryCommandsTest {
  @TempDir Path tmp;

  @Test
  void ingest_then_stats_then_recall_of_a_jsonl_conversation() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      String speaker = i % 2 == 0 ? "Ines" : "Bruno";
      String text = i == 5 ? "The spare key of the boathouse is taped under the third bench."
          : "Message " + i + " about the regatta schedule, the sails and the weather on the lake.";
      jsonl.append("{\"role\":\"user\",\"speaker\":\"").append(speaker).append("\",\"text\":\"")
          .append(text).append("\",\"timestamp\":\"2024-05-01T10:00:00Z\"}\n");
    }
    Path file = tmp.resolve("chat.jsonl");
    Files.writeString(file, jsonl);
    Path db = tmp.resolve("db/memory");
    CliRun ingest = CliRun.of("ingest", "--db", db.toString(), "--conversation", "lake", "--jsonl", file.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out()).startsWith("ingested 400 turns into 'lake'");

    CliRun stats = CliRun.of("stats", "--db", db.toString(), "--conversation", "lake", "--json");
    JsonNode s = new ObjectMapper().readTree(stats.out());
    assertThat(s.fieldNames()).toIterable()
        .containsExactly("turns", "segments", "tiers", "textTokens", "storedBytes", "fidelity");
    assertThat(s.get("fidelity").isObject()).as("empty: the source is not kept").isTrue();
    assertThat(s.get("turns").asInt()).isEqualTo(400);
    assertThat(s.get("tiers").fieldNames()).toIterable()
        .containsExactly("TEXT", "LARGE", "BASE", "SMALL", "TINY", "FORGOTTEN");
    int withSegments = 0;
    for (JsonNode n : s.get("tiers")) {
      withSegments += n.asInt() > 0 ? 1 : 0;
    }
    assertThat(withSegments).isGreaterThanOrEqualTo(3);

    CliRun recall = CliRun.of("recall", "--db", db.toString(), "--conversation", "lake",
        "--query", "spare key boathouse", "--k", "1", "--json");
    assertThat(recall.exitCode()).as(recall.err()).isZero();
    JsonNode best = new ObjectMapper().readTree(recall.out()).get(0);
    assertThat(best.get("tier").asText()).isNotEqualTo("TEXT");
    assertThat(best.get("text").asText()).contains("boathouse").contains("bench");
    assertThat(best.has("fidelity")).isTrue();

    for (String reader : new String[] {"deepseek-ocr", "deepseek-ocr:gundam", "gpt-4o",
        "gpt-5.4", "claude", "claude-4.7", "gemini-2.0", "gemini-3", "qwen2.5-vl", "openai"}) {
      CliRun context = CliRun.of("context", "--db", db.toString(), "--conversation", "lake",
          "--budget", "4000", "--reader", reader, "--json");
      assertThat(context.exitCode()).as(context.err()).isZero();
      JsonNode c = new ObjectMapper().readTree(context.out());
      assertThat(c.get("budget").asInt()).isEqualTo(4000);
      assertThat(c.get("totalTokens").asInt()).as(reader).isBetween(1, 4000)
          .isEqualTo(c.get("textTokens").asInt() + c.get("imageTokens").asInt());
      assertThat(c.get("fullTextTokens").asLong()).isEqualTo(s.get("textTokens").asLong());
      int sum = 0;
      for (JsonNode item : c.get("items")) {
        assertThat(item.get("kind").asText()).isIn("text", "image");
        assertThat(item.has("segment") && item.has("tier")).isTrue();
        sum += item.get("tokens").asInt();
      }
      assertThat(sum).isEqualTo(c.get("totalTokens").asInt());
    }
    JsonNode heavy = new ObjectMapper().readTree(CliRun.of("context", "--db", db.toString(),
        "--conversation", "lake", "--budget", "4000", "--reader", "gpt-4o", "--json").out());
    long limit = heavy.get("requestBytes").asLong() / 2;
    CliRun light = CliRun.of("context", "--db", db.toString(), "--conversation", "lake",
        "--budget", "4000", "--reader", "gpt-4o", "--max-request-bytes", String.valueOf(limit),
        "--json");
    assertThat(light.exitCode()).as(light.err()).isZero();
    JsonNode l = new ObjectMapper().readTree(light.out());
    assertThat(l.get("requestBytes").asLong()).isPositive().isLessThanOrEqualTo(limit);
    assertThat(l.get("choices").toString()).contains("bytes: a request may weigh " + limit);
    CliRun zero = CliRun.of("context", "--db", db.toString(), "--conversation", "lake",
        "--budget", "4000", "--reader", "gpt-4o", "--max-request-bytes", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--max-request-bytes: maxRequestBytes must be at least 1, but"
        + " is: 0");
    CliRun badReader = CliRun.of("context", "--db", db.toString(), "--conversation", "lake",
        "--budget", "4000", "--reader", "llava");
    assertThat(badReader.exitCode()).isEqualTo(2);
    assertThat(badReader.err().strip()).startsWith("context: --reader/--floor: reader must be one"
        + " of deepseek-ocr, deepseek-ocr:tiny").contains("gpt-5.4, ").contains("claude-4.7, ")
        .endsWith("but is: llava (see 'optical-memory context --help')");
    CliRun tiny = CliRun.of("context", "--db", db.toString(), "--conversation", "lake",
        "--budget", "10", "--reader", "openai");
    assertThat(tiny.err()).contains("budget of 10 tokens for gpt-4o is too small");
  }

  @Test
  void a_memory_ingested_with_an_embedder_is_recalled_by_meaning_and_refuses_another_model()
      throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      String text = i == 5 ? "Honestly my favourite thing is throwing clay on the wheel at the"
          + " studio every Sunday." : "Message " + i + " about the regatta schedule, the sails and the"
          + " weather on the lake.";
      jsonl.append("{\"speaker\":\"").append(i % 2 == 0 ? "Ines" : "Bruno")
          .append("\",\"text\":\"").append(text).append("\"}\n");
    }
    Path file = tmp.resolve("hobby.jsonl");
    Files.writeString(file, jsonl);
    Path db = tmp.resolve("meaning/memory");
    CliRun ingest = CliRun.of("ingest", "--db", db.toString(), "--conversation", "c", "--jsonl",
        file.toString(), "--embedder", "minilm");
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();

    String question = "What does she enjoy doing as a hobby, pottery?";
    CliRun dense = CliRun.of("recall", "--db", db.toString(), "--conversation", "c", "--query",
        question, "--k", "1", "--retrieval", "dense", "--json");
    assertThat(dense.exitCode()).as(dense.err()).isZero();
    JsonNode best = new ObjectMapper().readTree(dense.out()).get(0);
    assertThat(best.get("tier").asText()).as("a page, read from its decoded lines")
        .isNotEqualTo("TEXT");
    assertThat(best.get("text").asText()).contains("clay");

    CliRun other = CliRun.of("recall", "--db", db.toString(), "--conversation", "c", "--query",
        question, "--retrieval", "hybrid", "--embedder", "bge-small");
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).startsWith("recall: the turn embeddings of 'c' were made by another"
        + " model than this memory's embedder");

    CliRun badMode = CliRun.of("recall", "--db", db.toString(), "--conversation", "c", "--query",
        question, "--retrieval", "fuzzy");
    assertThat(badMode.exitCode()).isEqualTo(2);
    assertThat(badMode.err().strip()).isEqualTo("recall: --retrieval must be lexical, dense or"
        + " hybrid, but is: 'fuzzy' (see 'optical-memory recall --help')");
    Path fresh = tmp.resolve("meaning/other");
    CliRun badModel = CliRun.of("ingest", "--db", fresh.toString(), "--conversation", "c",
        "--jsonl", file.toString(), "--embedder", "e5");
    assertThat(badModel.exitCode()).isEqualTo(2);
    assertThat(badModel.err()).contains("--embedder must be none, minilm, bge-small or e5-small,"
        + " but is: 'e5'");
    assertThat(Path.of(fresh + ".mv.db")).as("nothing written").doesNotExist();
  }

  @Test
  void bad_files_and_unknown_ids_are_one_line_errors() throws Exception {
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(bad, "{\"text\":\"fine\"}\n{not json\n");
    CliRun run = CliRun.of("ingest", "--db", tmp.resolve("m").toString(), "--conversation", "x", "--jsonl", bad.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).startsWith("ingest: " + bad + ":2: not valid JSON");

    CliRun missing = CliRun.of("stats", "--db", tmp.resolve("nothing").toString(), "--conversation", "x");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no memory database at");

    Files.writeString(tmp.resolve("ok.jsonl"), "{\"speaker\":\"A\",\"text\":\"hello\"}\n");
    CliRun.of("ingest", "--db", tmp.resolve("m2").toString(), "--conversation", "x", "--jsonl", tmp.resolve("ok.jsonl").toString());
    CliRun unknown = CliRun.of("recall", "--db", tmp.resolve("m2").toString(), "--conversation", "y", "--query", "hello");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err().strip()).isEqualTo("recall: conversation is unknown: 'y'");
  }

  @Test
  void a_locomo_file_is_ingested_with_its_session_times_when_the_shared_data_is_there() throws Exception {
    Path locomo = Path.of("../../shared/data/locomo/26.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(locomo), "../shared/data is not beside the checkout");
    CliRun ingest = CliRun.of("ingest", "--db", tmp.resolve("l").toString(), "--conversation", "26",
        "--locomo", locomo.toString());
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(
        CliRun.of("stats", "--db", tmp.resolve("l").toString(), "--conversation", "26", "--json").out());
    assertThat(s.get("turns").asInt()).isBetween(400, 700);
    int withSegments = 0;
    for (JsonNode n : s.get("tiers")) {
      withSegments += n.asInt() > 0 ? 1 : 0;
    }
    assertThat(withSegments).isGreaterThanOrEqualTo(3);
  }
}
