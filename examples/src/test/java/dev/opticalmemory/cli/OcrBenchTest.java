package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class OcrBenchTest {

  @Test
  void bench_ocr_reports_seconds_and_precision_for_each_engine_tesseract_and_the_baseline() throws Exception {
    CliRun run = CliRun.of("bench", "ocr", "--pages", "1", "--modes", "base", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> rows = run.out().lines().map(line -> {
      try {
        return mapper.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }).toList();
    assertThat(rows).extracting(r -> r.get("engine").asText()).containsExactly(
        "paddle (v4, default)", "paddle, known layout", "paddle, lines one by one",
        "tesseract 5 (eng)");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("mode").asText()).isEqualTo("base");
      assertThat(r.get("secondsPerPage").asDouble()).isPositive();
      assertThat(r.get("pagesPerSecond").asDouble()).isPositive();
      assertThat(r.get("precision").asDouble()).isGreaterThan(0.95);
      assertThat(r.get("wordAccuracy").asDouble()).isGreaterThan(0.9);
    });
  }

  @Test
  void bench_ocr_names_a_text_file_that_is_missing() {
    CliRun run = CliRun.of("bench", "ocr", "--text", "no-such-text.txt", "--modes", "base");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no-such-text.txt: no such file");
  }

  @Test
  void bench_ocr_refuses_a_page_count_out_of_range() {
    CliRun run = CliRun.of("bench", "ocr", "--pages", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("ocr: --pages must be between 1 and 50, but is: 0"
        + " (see 'optical-memory bench ocr --help')");
  }
}
