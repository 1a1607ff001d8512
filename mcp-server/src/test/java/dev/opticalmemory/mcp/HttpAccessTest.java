package dev.opticalmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** What the HTTP server lets through, and what it refuses without ceasing to serve. */
class HttpAccessTest {
  private static final String TOKEN = "s3cret-token-for-the-tests-0123456789";
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
      + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
      + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  @TempDir
  Path tmp;

  private OpticalMemory memory;
  private McpHttpServer http;
  private final HttpClient raw = HttpClient.newHttpClient();

  @BeforeEach
  void open() {
    memory = Fixtures.memory(tmp.resolve("m"));
    for (int i = 0; i < 6; i++) {
      memory.append("c", MemoryTurn.user("Ola", "The tide turns at " + (i + 3) + " o'clock."));
    }
  }

  @AfterEach
  void close() {
    if (http != null) {
      http.close();
    }
    memory.close();
  }

  private void serve(HttpOptions options, String conversation) {
    http = OpticalMcpServer.builder(memory).conversation(conversation).build().serveHttp(options);
  }

  private McpSyncClient client(String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + http.port()).endpoint("/mcp").requestBuilder(request)
        .build()).requestTimeout(Duration.ofMinutes(1)).build();
    client.initialize();
    return client;
  }

  private HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(http.uri())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean stillServes(String token) {
    McpSyncClient client = client(token);
    try {
      return !client.callTool(Fixtures.call("stats", Map.of("conversation", "c"))).isError();
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void a_missing_or_wrong_token_gets_401_and_nothing_else() throws Exception {
    serve(HttpOptions.builder().token(TOKEN).build(), null);
    for (HttpResponse<String> r : List.of(post(INITIALIZE),
        post(INITIALIZE, "Authorization", "Bearer wrong-token-0123456789"),
        post(INITIALIZE, "Authorization", TOKEN))) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
    assertThat(post(INITIALIZE, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(stillServes(TOKEN)).isTrue();
  }

  @Test
  void an_origin_that_is_not_allowed_gets_403_and_an_allowed_one_is_served() throws Exception {
    serve(HttpOptions.builder().allowedOrigins(List.of("http://localhost:5173")).build(), null);
    assertThat(post(INITIALIZE, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(post(INITIALIZE, "Origin", "http://localhost:5173").statusCode()).isEqualTo(200);
    assertThat(post(INITIALIZE).statusCode()).isEqualTo(200);
  }

  @Test
  void a_100_mb_request_is_refused_with_413_and_the_server_keeps_serving() throws Exception {
    serve(HttpOptions.builder().build(), null);
    byte[] huge = new byte[100 << 20];
    java.util.Arrays.fill(huge, (byte) 'a');
    int status;
    try {
      status = raw.send(HttpRequest.newBuilder(http.uri())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json, text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      // The server answered before reading the body and closed the connection under the upload.
      status = 413;
    }
    assertThat(status).isEqualTo(413);
    assertThat(stillServes(null)).isTrue();
  }

  @Test
  void malformed_json_rpc_is_refused_and_the_server_keeps_serving() throws Exception {
    serve(HttpOptions.builder().build(), null);
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(stillServes(null)).isTrue();
  }

  @Test
  void a_client_that_disconnects_mid_call_leaves_the_server_serving() throws Exception {
    serve(HttpOptions.builder().build(), null);
    String session = post(INITIALIZE).headers().firstValue("Mcp-Session-Id").orElseThrow();
    String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"context\",\"arguments\":{\"conversation\":\"c\",\"budget\":2000}}}";
    byte[] body = call.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session
          + "\r\nMcp-Protocol-Version: 2025-06-18\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }
    assertThat(stillServes(null)).isTrue();
  }

  @Test
  void a_thousand_concurrent_calls_are_each_answered() {
    serve(HttpOptions.builder().build(), null);
    McpAsyncClient client = McpClient.async(HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + http.port()).endpoint("/mcp").build())
        .requestTimeout(Duration.ofMinutes(2)).build();
    try {
      client.initialize().block(Duration.ofMinutes(1));
      List<CallToolResult> results = Flux.range(0, 1_000)
          .flatMap(i -> client.callTool(Fixtures.call("recall", Map.of("conversation", "c",
              "query", "tide " + (i % 6 + 3)))), 1_000)
          .collectList().block(Duration.ofMinutes(3));
      assertThat(results).hasSize(1_000).allSatisfy(r -> {
        assertThat(r.isError()).isFalse();
        assertThat(Fixtures.text(r)).contains("The tide turns");
      });
    } finally {
      client.closeGracefully().block(Duration.ofSeconds(10));
    }
  }

  @Test
  void a_server_fixed_to_one_conversation_refuses_others() {
    serve(HttpOptions.builder().build(), "c");
    McpSyncClient client = client(null);
    try {
      CallToolResult other = client.callTool(Fixtures.call("stats",
          Map.of("conversation", "other")));
      assertThat(other.isError()).isTrue();
      assertThat(Fixtures.text(other))
          .isEqualTo("stats: this server keeps only conversation c, not other");
      assertThat(Fixtures.text(client.callTool(Fixtures.call("stats", Map.of()))))
          .contains("\"turns\":6");
      assertThatThrownBy(() -> client.readResource(
          new McpSchema.ReadResourceRequest("optical-memory://other/stats")))
          .hasMessageContaining("keeps only conversation c");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void context_reports_progress_to_a_client_that_asks() throws Exception {
    serve(HttpOptions.builder().build(), null);
    List<McpSchema.ProgressNotification> seen = new CopyOnWriteArrayList<>();
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + http.port()).endpoint("/mcp").build())
        .progressConsumer(seen::add).requestTimeout(Duration.ofMinutes(1)).build();
    try {
      client.initialize();
      client.callTool(McpSchema.CallToolRequest.builder().name("context")
          .arguments(Map.of("conversation", "c", "budget", 2_000)).progressToken("p1").build());
      // The SDK's client hands notifications to the consumer on another thread than the result.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(seen).isNotEmpty().allSatisfy(p -> assertThat(p.progressToken())
          .isEqualTo("p1"));
      assertThat(seen.get(0).message()).isEqualTo("assembling the context");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void without_a_token_only_a_loopback_address_is_served() {
    assertThatThrownBy(() -> HttpOptions.builder().bind("0.0.0.0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind 0.0.0.0 is not a loopback address")
        .hasMessageContaining("OPTICAL_MEMORY_MCP_TOKEN");
    assertThat(HttpOptions.builder().bind("0.0.0.0").token(TOKEN).build().bind())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void a_token_never_appears_in_the_options_text_or_an_error() {
    assertThat(HttpOptions.builder().token(TOKEN).build().toString()).doesNotContain(TOKEN)
        .contains("token=set");
    assertThatThrownBy(() -> HttpOptions.builder().token("short-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
  }

  @Test
  void a_taken_port_is_an_error_naming_it() {
    serve(HttpOptions.builder().build(), null);
    int port = http.port();
    assertThatThrownBy(() -> OpticalMcpServer.builder(memory).build()
        .serveHttp(HttpOptions.builder().port(port).build()))
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("127.0.0.1:" + port).hasCauseInstanceOf(java.io.IOException.class);
  }
}
