package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.renderer.FontSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code worker --metrics-port}: Prometheus's text format over HTTP, scraped as Prometheus does. */
class WorkerMetricsTest {
  @TempDir Path tmp;

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in:\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void a_worker_serves_its_backlog_and_transitions_in_prometheus_format_and_they_move()
      throws Exception {
    Path db = tmp.resolve("m");
    try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(FontSet.latinOnly())
        .backgroundWork(false).agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000,
            8_000)).build()) {
      for (MemoryTurn turn : Conversations.harbour(200, 7)) {
        memory.append("c", turn);
      }
    }
    Process p = new ProcessBuilder(CliRun.command("worker", "--db", db.toString(),
        "--metrics-port", "0", "--poll", "PT0.2S")).redirectError(tmp.resolve("err").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("METRICS http://127.0.0.1:").endsWith("/metrics");
      URI uri = URI.create(first.substring("METRICS ".length()));
      HttpClient http = HttpClient.newHttpClient();
      long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      String scrape = "";
      double waiting = -1;
      while (System.nanoTime() < until) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          scrape = r.body();
          assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
          waiting = value(scrape, "optical_memory_backlog_waiting{step=\"render\"}")
              + value(scrape, "optical_memory_backlog_waiting{step=\"TEXT->LARGE\"}");
          if (waiting == 0 && value(scrape, "optical_memory_worker_transitions_total") > 0) {
            break;
          }
        }
        Thread.sleep(300);
      }
      assertThat(waiting).as(scrape).isZero();
      assertThat(value(scrape, "optical_memory_worker_transitions_total")).isPositive();
      assertThat(value(scrape, "optical_memory_conversations")).isEqualTo(1);
      assertThat(scrape).contains("optical_memory_cache_hits_total");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void a_metrics_port_out_of_range_is_a_usage_error_naming_it() throws Exception {
    CliRun run = CliRun.of("worker", "--db", tmp.resolve("m").toString(), "--metrics-port",
        "70000");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--metrics-port").contains("70000");
  }
}
