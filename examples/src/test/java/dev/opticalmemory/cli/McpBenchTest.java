package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class McpBenchTest {

  @Test
  void bench_mcp_reports_recall_over_stdio_and_http_beside_the_java_api_and_the_start()
      throws Exception {
    CliRun run = CliRun.of("bench", "mcp", "--stored", "150", "--queries", "20", "--starts", "1",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> rows = run.jsonLines();
    assertThat(rows).extracting(r -> r.get("figure").asText()).containsExactly(
        "fill 150 turns, rendered, aged, decoded (s)",
        "recall k=5, Java API, p50 (ms)", "recall k=5, Java API, p99 (ms)",
        "recall k=5 over stdio, p50 (ms)", "recall k=5 over stdio, p99 (ms)",
        "ping over stdio, p50 (ms)", "ping over stdio, p99 (ms)",
        "recall k=5 over HTTP, p50 (ms)", "recall k=5 over HTTP, p99 (ms)",
        "ping over HTTP, p50 (ms)", "ping over HTTP, p99 (ms)",
        "stdio start to first recall answer (s)");
    assertThat(rows).allSatisfy(r -> assertThat(r.get("value").asDouble()).isPositive());
    assertThat(rows.get(3).get("note").asText()).contains("beside the Java API's p50");
  }

  @Test
  void bench_mcp_refuses_a_query_count_out_of_range_naming_it() {
    CliRun run = CliRun.of("bench", "mcp", "--queries", "5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--queries must be between 10 and 100000, but is: 5");
  }
}
