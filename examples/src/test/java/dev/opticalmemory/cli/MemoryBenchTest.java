package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBenchTest {

  @Test
  void bench_memory_reports_ingest_recall_bytes_per_tier_and_append_latency() throws Exception {
    CliRun run = CliRun.of("bench", "memory", "--stored", "1000", "--recall-stored", "200",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> rows = run.jsonLines();
    assertThat(rows).extracting(r -> r.get("figure").asText()).contains(
        "ingest 600 turns, rendered, aged and decoded (s)", "recall k=5, p50 (ms)", "recall k=5, p99 (ms)",
        "stored KB per BASE page", "stored KB per TINY page",
        "append p50 with 1000 stored (ms)", "append p99 with 1000 stored (ms)",
        "decode every page of 201 turns (s)");
    assertThat(rows).filteredOn(r -> r.get("figure").asText().startsWith("recall k=5"))
        .extracting(r -> r.get("note").asText())
        .anySatisfy(note -> assertThat(note).contains("201 turns stored in one conversation"));
    assertThat(rows).allSatisfy(r -> assertThat(r.get("value").asDouble()).isPositive());
    JsonNode base = rows.stream().filter(r -> r.get("figure").asText().equals("stored KB per BASE page"))
        .findFirst().orElseThrow();
    assertThat(base.get("note").asText()).contains("8-bit PNG baseline");
  }

  @Test
  void bench_memory_refuses_a_recall_count_out_of_range() {
    CliRun run = CliRun.of("bench", "memory", "--recall-stored", "50");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("memory: --recall-stored must be 0 or between 100 and"
        + " 1000000, but is: 50 (see 'optical-memory bench memory --help')");
  }

  @Test
  void bench_memory_refuses_a_stored_count_out_of_range() {
    CliRun run = CliRun.of("bench", "memory", "--stored", "5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("memory: --stored must be between 1000 and 2000000,"
        + " but one is: 5 (see 'optical-memory bench memory --help')");
  }
}
