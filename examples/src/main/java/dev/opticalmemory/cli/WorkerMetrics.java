package dev.opticalmemory.cli;

import com.sun.net.httpserver.HttpServer;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.metrics.MemoryMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's meters in Prometheus format over HTTP on loopback. A new registry is bound to each
 * memory the worker opens (it opens one again after an outage); while none is open the endpoint
 * answers 503, so that a scrape tells an outage from an idle worker.
 */
final class WorkerMetrics implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong transitions;
  private final AtomicReference<PrometheusMeterRegistry> registry = new AtomicReference<>();

  private WorkerMetrics(HttpServer server, AtomicLong transitions) {
    this.server = server;
    this.transitions = transitions;
  }

  static WorkerMetrics serve(int port, AtomicLong transitions) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw CliException.usage("--metrics-port " + port + " cannot be served: " + e.getMessage(),
          e);
    }
    WorkerMetrics metrics = new WorkerMetrics(server, transitions);
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        PrometheusMeterRegistry now = metrics.registry.get();
        byte[] body = (now == null ? "the memory is not open (the database is unreachable)\n"
            : now.scrape()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", now == null
            ? "text/plain; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(now == null ? 503 : 200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    return metrics;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  /** Measures {@code memory} from now on, or nothing (null) while none is open. */
  void measure(OpticalMemory memory) {
    if (memory == null) {
      PrometheusMeterRegistry old = registry.getAndSet(null);
      if (old != null) {
        old.close();
      }
      return;
    }
    PrometheusMeterRegistry fresh = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MemoryMetrics.of(memory).bindTo(fresh);
    FunctionCounter.builder("optical.memory.worker.transitions", transitions, AtomicLong::get)
        .description("tier changes this worker made").register(fresh);
    PrometheusMeterRegistry old = registry.getAndSet(fresh);
    if (old != null) {
      old.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    measure(null);
  }
}
