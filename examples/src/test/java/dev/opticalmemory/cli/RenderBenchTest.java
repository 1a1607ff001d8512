package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RenderBenchTest {

  @Test
  void bench_render_reports_rates_and_a_ratio_to_the_baseline() throws Exception {
    CliRun run = CliRun.of("bench", "render", "--seconds", "0.05", "--modes", "tiny", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode row = new ObjectMapper().readTree(run.out().lines().findFirst().orElseThrow());
    assertThat(row.get("mode").asText()).isEqualTo("tiny");
    assertThat(row.get("pages").asInt()).isGreaterThan(1);
    assertThat(row.get("layoutAndDrawPagesPerSecond").asDouble()).isPositive();
    assertThat(row.get("baselinePagesPerSecond").asDouble()).isPositive();
    assertThat(row.get("ratioToBaseline").asDouble()).isPositive();
  }

  @Test
  void bench_render_refuses_a_nonsense_duration() {
    CliRun run = CliRun.of("bench", "render", "--seconds", "-1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("render: --seconds must be between 0 and 600, but is:"
        + " -1.0 (see 'optical-memory bench render --help')");
  }
}
