package dev.opticalmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's {@code notifications/cancelled} stops a context call under way. The memory is held
 * at a gate inside the call until the server has read the cancellation (a ping sent after it has
 * been answered), so that the order is certain.
 */
class CancellationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTEXT = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\","
      + "\"params\":{\"name\":\"context\",\"arguments\":{\"conversation\":\"c\",\"budget\":2000}}}";
  private static final String CANCEL = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
      + "\"params\":{\"requestId\":%d,\"reason\":\"the user pressed stop\"}}";
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"ping\"}";
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
      + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
      + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  private static final String INITIALIZED =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

  @TempDir Path tmp;
  private OpticalMemory memory;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile CountDownLatch arrived = new CountDownLatch(1);
  private OpticalMemory gated;

  @BeforeEach
  void fill() {
    memory = Fixtures.memory(tmp.resolve("m"));
    for (MemoryTurn turn : Fixtures.harbour(300)) {
      memory.append("c", turn);
    }
    gated = (OpticalMemory) Proxy.newProxyInstance(OpticalMemory.class.getClassLoader(),
        new Class<?>[] {OpticalMemory.class}, (proxy, method, args) -> {
          if (method.getName().equals("segments")) {
            arrived.countDown();
            gate.await(1, TimeUnit.MINUTES);
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @AfterEach
  void close() {
    gate.countDown();
    memory.close();
  }

  @Test
  void a_context_call_cancelled_over_stdio_ends_with_an_error_and_the_next_call_is_whole()
      throws Exception {
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 20);
    PipedInputStream fromServer = new PipedInputStream(1 << 22);
    PipedOutputStream serverOut = new PipedOutputStream(fromServer);
    BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fromServer,
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          JsonNode message = JSON.readTree(line);
          if (message.has("id")) {
            answers.add(message);
          }
        }
      } catch (java.io.IOException e) {
        // the session ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try (StdioSession session = OpticalMcpServer.builder(gated).build()
        .serveStdio(serverIn, serverOut)) {
      send(toServer, INITIALIZE);
      assertThat(answer(answers, 1).path("result").has("serverInfo")).isTrue();
      send(toServer, INITIALIZED);

      gate = new CountDownLatch(1);
      send(toServer, String.format(CONTEXT, 2) + "\n" + String.format(CANCEL, 2) + "\n"
          + String.format(PING, 3));
      assertThat(answer(answers, 3).has("result")).isTrue();
      gate.countDown();
      JsonNode cancelled = answer(answers, 2).path("result");
      assertThat(cancelled.path("isError").asBoolean()).isTrue();
      assertThat(cancelled.toString()).contains("context: cancelled by the client");

      send(toServer, String.format(CONTEXT, 4));
      JsonNode whole = answer(answers, 4).path("result");
      assertThat(whole.path("isError").asBoolean()).as(whole.toString()).isFalse();
      assertThat(whole.toString()).contains("\"type\":\"image\"");
      toServer.close();
      assertThat(session).isNotNull();
    }
  }

  @Test
  void a_context_call_cancelled_over_http_ends_with_an_error() throws Exception {
    try (McpHttpServer http = OpticalMcpServer.builder(gated).build()
        .serveHttp(HttpOptions.builder().build())) {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = http.uri();
      HttpResponse<String> init = client.send(post(uri, null, INITIALIZE),
          HttpResponse.BodyHandlers.ofString());
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      client.send(post(uri, session, INITIALIZED), HttpResponse.BodyHandlers.ofString());

      gate = new CountDownLatch(1);
      CompletableFuture<HttpResponse<String>> call = client.sendAsync(
          post(uri, session, String.format(CONTEXT, 2)), HttpResponse.BodyHandlers.ofString());
      assertThat(arrived.await(1, TimeUnit.MINUTES)).as("the call reached the gate").isTrue();
      client.send(post(uri, session, String.format(CANCEL, 2)),
          HttpResponse.BodyHandlers.ofString());
      gate.countDown();
      String body = call.get(1, TimeUnit.MINUTES).body();
      assertThat(body).contains("context: cancelled by the client").contains("\"isError\":true");
    }
  }

  private static HttpRequest post(URI uri, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.build();
  }

  private static void send(OutputStream out, String lines) throws java.io.IOException {
    out.write((lines + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Waits for the answer to {@code id}, keeping the others: the server may answer out of order. */
  private static JsonNode answer(BlockingQueue<JsonNode> answers, int id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    java.util.List<JsonNode> others = new java.util.ArrayList<>();
    try {
      while (System.nanoTime() < deadline) {
        JsonNode next = answers.poll(1, TimeUnit.SECONDS);
        if (next != null && next.path("id").asInt() == id) {
          return next;
        }
        if (next != null) {
          others.add(next);
        }
      }
    } finally {
      answers.addAll(others);
    }
    throw new AssertionError("no answer to request " + id + "; others: " + others);
  }
}
