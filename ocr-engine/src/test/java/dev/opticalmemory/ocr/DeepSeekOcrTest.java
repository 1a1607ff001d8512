package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.VisionMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The DeepSeek-OCR client against a local HTTP stand-in for a vLLM or Ollama server (a test double
 * at the network boundary: it answers in the OpenAI chat-completions format those servers use), and
 * against a real server when {@code OPTICAL_MEMORY_DEEPSEEK_URL} names one.
 */
class DeepSeekOcrTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestPages PAGE = TestPages.of(
      "Locker 14 holds the blue rucksack.", VisionMode.SMALL, FontSet.latinOnly());

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final AtomicReference<Answer> answer = new AtomicReference<>();

  record Answer(int status, String content, String finishReason, long delayMillis) {}

  @BeforeEach
  void startStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      requests.add(JSON.readTree(exchange.getRequestBody()));
      Answer a = answer.get();
      try {
        Thread.sleep(a.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body;
      if (a.status() == 200) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1)
            .put("model", "deepseek-ocr");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", a.finishReason());
        choice.putObject("message").put("role", "assistant").put("content", a.content());
        root.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 30)
            .put("total_tokens", 150);
        body = JSON.writeValueAsBytes(root);
      } else {
        body = ("{\"error\":{\"message\":\"" + a.content() + "\",\"type\":\"server_error\"}}")
            .getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stopStandIn() {
    server.stop(0);
  }

  private OcrEngine engine() {
    return DeepSeekOcr.builder()
        .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .model("deepseek-ocr")
        .timeout(Duration.ofSeconds(5))
        .maxRetries(0)
        .build();
  }

  @Test
  void with_a_stand_in_server_a_page_goes_out_as_a_png_with_the_free_ocr_prompt_and_the_text_comes_back()
      throws Exception {
    answer.set(new Answer(200, "Locker 14 holds the blue rucksack.", "stop", 0));
    try (OcrEngine ocr = engine()) {
      Recognition recognition = ocr.read(PAGE.image());
      assertThat(recognition.text()).isEqualTo("Locker 14 holds the blue rucksack.");
      assertThat(recognition.warnings()).isEmpty();
      assertThat(recognition.lines()).singleElement()
          .satisfies(line -> assertThat(line.box()).isNull());
    }
    JsonNode request = requests.get(0);
    assertThat(request.path("model").asText()).isEqualTo("deepseek-ocr");
    assertThat(request.path("temperature").asDouble()).isZero();
    JsonNode content = request.path("messages").get(0).path("content");
    assertThat(content.get(0).path("type").asText()).isEqualTo("image_url");
    String url = content.get(0).path("image_url").path("url").asText();
    assertThat(url).startsWith("data:image/png;base64,");
    var sent = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
    assertThat(sent.getWidth()).isEqualTo(PAGE.image().getWidth());
    assertThat(content.get(1).path("text").asText()).isEqualTo("Free OCR.");
  }

  @Test
  void with_a_stand_in_server_a_repetition_loop_is_cut_and_reported() {
    answer.set(new Answer(200, "Captain Oduya logged the fault. "
        + "The radar unit arrives on the 14th of May. ".repeat(40), "length", 0));
    try (OcrEngine ocr = engine()) {
      Recognition recognition = ocr.read(PAGE.image());
      assertThat(recognition.text())
          .isEqualTo("Captain Oduya logged the fault. The radar unit arrives on the 14th of May.");
      assertThat(recognition.warnings())
          .anySatisfy(w -> assertThat(w).startsWith("repetition guard: cut 39 back-to-back repeats"))
          .anySatisfy(w -> assertThat(w).startsWith("output cap: the server stopped at maxOutputTokens = 4096"));
    }
  }

  @Test
  void with_a_stand_in_server_a_server_error_is_retriable_and_names_the_server() {
    answer.set(new Answer(503, "model is loading", "stop", 0));
    try (OcrEngine ocr = engine()) {
      assertThatThrownBy(() -> ocr.read(PAGE.image()))
          .isInstanceOf(OcrException.class)
          .hasMessageContaining("DeepSeek-OCR at http://127.0.0.1:")
          .hasMessageContaining("(model deepseek-ocr) failed")
          .hasCauseInstanceOf(RuntimeException.class)
          .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
    }
  }

  @Test
  void with_a_stand_in_server_a_refused_request_is_not_retriable() {
    answer.set(new Answer(400, "image too large", "stop", 0));
    try (OcrEngine ocr = engine()) {
      assertThatThrownBy(() -> ocr.read(PAGE.image()))
          .isInstanceOf(OcrException.class)
          .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isFalse());
    }
  }

  @Test
  void with_a_stand_in_server_a_slow_answer_times_out() {
    answer.set(new Answer(200, "late", "stop", 3000));
    try (OcrEngine ocr = DeepSeekOcr.builder()
        .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .timeout(Duration.ofMillis(300)).maxRetries(0).build()) {
      assertThatThrownBy(() -> ocr.read(PAGE.image()))
          .isInstanceOf(OcrException.class)
          .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void with_a_stand_in_server_that_stalls_or_trickles_mid_body_the_page_ends_at_its_deadline()
      throws Exception {
    java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors
        .newCachedThreadPool(r -> {
          Thread t = new Thread(r, "stand-in");
          t.setDaemon(true);
          return t;
        });
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.setExecutor(handlers);
    // Headers, then 25 bytes of the body, then nothing.
    slow.createContext("/stall/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 4000);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"id\":\"chatcmpl-1\",\"obj".getBytes(StandardCharsets.UTF_8));
      out.flush();
      sleepQuietly(120_000);
    });
    // Headers, then one byte every 100 ms: every read succeeds, the answer never ends in time.
    slow.createContext("/trickle/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 100_000);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) {
        out.write(' ');
        out.flush();
        sleepQuietly(100);
      }
    });
    slow.start();
    try {
      for (String path : new String[] {"stall", "trickle"}) {
        try (OcrEngine ocr = DeepSeekOcr.builder()
            .baseUrl("http://127.0.0.1:" + slow.getAddress().getPort() + "/" + path + "/v1")
            .model("deepseek-ocr").timeout(Duration.ofSeconds(2)).maxRetries(0).build()) {
          assertThatThrownBy(() -> ocr.read(PAGE.image()))
              .isInstanceOf(OcrException.class)
              .hasMessageContaining("/" + path + "/v1 (model deepseek-ocr) sent no complete answer"
                  + " within 2 s")
              .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
        }
      }
    } finally {
      slow.stop(0);
      handlers.shutdownNow();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void a_server_that_is_down_is_a_clear_error_that_says_what_to_check() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    try (OcrEngine ocr = DeepSeekOcr.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
        .model("deepseek-ocr").timeout(Duration.ofSeconds(10)).maxRetries(0).build()) {
      assertThatThrownBy(() -> ocr.read(PAGE.image()))
          .isInstanceOf(OcrException.class)
          .hasMessage("DeepSeek-OCR at http://127.0.0.1:" + port + "/v1 (model deepseek-ocr) cannot"
              + " be reached: the connection was refused; check that the server is running and"
              + " that the URL (host, port and the /v1 path) is right")
          .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void a_server_that_closes_the_connection_at_once_is_reported_at_once_not_at_the_deadline()
      throws Exception {
    try (java.net.ServerSocket rude = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      Thread closer = new Thread(() -> {
        while (!rude.isClosed()) {
          try (java.net.Socket s = rude.accept()) {
            s.shutdownOutput(); // an end of stream where the answer's headers should start
          } catch (IOException e) {
            return;
          }
        }
      });
      closer.setDaemon(true);
      closer.start();
      String url = "http://127.0.0.1:" + rude.getLocalPort() + "/v1";
      try (OcrEngine ocr = DeepSeekOcr.builder().baseUrl(url).model("deepseek-ocr")
          .timeout(Duration.ofSeconds(30)).build()) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ocr.read(PAGE.image()))
            .isInstanceOf(OcrException.class)
            .hasMessage("DeepSeek-OCR at " + url + " (model deepseek-ocr) closed the connection"
                + " without answering; check that the URL names an OpenAI-compatible server (host,"
                + " port and the /v1 path)")
            .satisfies(e -> assertThat(((OcrException) e).isRetriable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("long before the deadline")
            .isLessThan(Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void a_redirect_loop_is_named_rather_than_an_empty_failure() throws Exception {
    HttpServer loop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    loop.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Location", exchange.getRequestURI().toString());
      exchange.sendResponseHeaders(307, -1);
      exchange.close();
    });
    loop.start();
    String url = "http://127.0.0.1:" + loop.getAddress().getPort() + "/v1";
    try (OcrEngine ocr = DeepSeekOcr.builder().baseUrl(url).model("deepseek-ocr")
        .timeout(Duration.ofSeconds(20)).maxRetries(0).build()) {
      assertThatThrownBy(() -> ocr.read(PAGE.image()))
          .isInstanceOf(OcrException.class)
          .hasMessage("DeepSeek-OCR at " + url + " (model deepseek-ocr) failed: HTTP 307 (a"
              + " redirect, which is not followed: give the URL the server redirects to, or fix a"
              + " redirect loop)");
    } finally {
      loop.stop(0);
    }
  }

  @Test
  void settings_are_validated_and_the_base_url_is_required() {
    assertThatThrownBy(() -> DeepSeekOcr.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseUrl is required");
    assertThatThrownBy(() -> DeepSeekOcr.builder().baseUrl("ftp://host/v1"))
        .hasMessageContaining("ftp://host/v1");
    assertThatThrownBy(() -> DeepSeekOcr.builder().maxOutputTokens(5))
        .hasMessage("maxOutputTokens must be between 16 and 32768, but is: 5");
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "OPTICAL_MEMORY_DEEPSEEK_URL", matches = "https?://.+")
  void a_real_deepseek_ocr_server_reads_a_base_page() {
    String model = System.getenv().getOrDefault("OPTICAL_MEMORY_DEEPSEEK_MODEL", "deepseek-ai/DeepSeek-OCR");
    TestPages page = TestPages.of(TestPages.text("english.txt"), VisionMode.BASE, FontSet.latinOnly());
    try (OcrEngine ocr = DeepSeekOcr.builder().baseUrl(System.getenv("OPTICAL_MEMORY_DEEPSEEK_URL"))
        .model(model).build()) {
      Recognition recognition = ocr.read(page.image());
      assertThat(TextMetrics.precision(recognition.text(), page.truth())).isGreaterThan(0.9);
    }
  }
}
