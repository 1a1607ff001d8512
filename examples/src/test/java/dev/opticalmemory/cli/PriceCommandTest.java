package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCommandTest {
  @TempDir Path tmp;

  @Test
  void price_prints_each_image_s_tokens_and_the_rule_that_gave_them_for_files_and_sizes()
      throws Exception {
    Path page = tmp.resolve("page.png");
    ImageIO.write(new BufferedImage(640, 640, BufferedImage.TYPE_BYTE_GRAY), "png", page.toFile());
    CliRun run = CliRun.of("price", "--reader", "claude", "--size", "2000x3000,512x512",
        page.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("reader").asText()).isEqualTo("claude");
    assertThat(json.get("source").asText()).contains("Anthropic").contains("2026-12-05");
    JsonNode images = json.get("images");
    assertThat(images).hasSize(3);
    assertThat(images.get(0).get("size").asText()).isEqualTo("2000x3000");
    assertThat(images.get(0).get("tokens").asInt()).isEqualTo(1_536);
    assertThat(images.get(0).get("rule").asText()).contains("scaled to 896x1344");
    assertThat(images.get(1).get("tokens").asInt()).isEqualTo(361);
    assertThat(images.get(2).get("image").asText()).isEqualTo(page.toString());
    assertThat(images.get(2).get("tokens").asInt()).isEqualTo(529);

    CliRun text = CliRun.of("price", "--reader", "deepseek-ocr:gundam", "--size", "1280x1280");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("1280x1280  693 tokens  (gundam: 273 for the 1024 px global"
        + " view + 2 x 2 tiles of 640 px");
    CliRun low = CliRun.of("price", "--reader", "gpt-4o", "--size", "4096x8192", "--detail", "low");
    assertThat(low.out()).contains("85 tokens  (low detail: flat 85)");
  }

  @Test
  void bad_sizes_files_and_reader_names_each_get_one_line_naming_the_value() throws Exception {
    CliRun unknown = CliRun.of("price", "--reader", "llava", "--size", "10x10");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("llava").contains("gpt-5.4").contains("qwen2.5-vl:ollama");
    CliRun zero = CliRun.of("price", "--reader", "gpt-4o", "--size", "0x10");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--size must have both sides at least 1 px, but is: 0x10");
    CliRun negative = CliRun.of("price", "--reader", "gpt-4o", "--size", "-5x10");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("-5x10");
    CliRun malformed = CliRun.of("price", "--reader", "gpt-4o", "--size", "big");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("WIDTHxHEIGHT").contains("big");
    CliRun huge = CliRun.of("price", "--reader", "gpt-4o", "--size", "100000x10");
    assertThat(huge.exitCode()).isEqualTo(1);
    assertThat(huge.err().strip()).isEqualTo("price: --size 100000x10: image size must be 1 to"
        + " 65536 px a side, but is 100000x10");
    Path notImage = Files.writeString(tmp.resolve("notes.png"), "not a picture");
    CliRun unreadable = CliRun.of("price", "--reader", "gpt-4o", notImage.toString());
    assertThat(unreadable.exitCode()).isEqualTo(1);
    assertThat(unreadable.err().strip().lines()).hasSize(1);
    assertThat(unreadable.err()).contains(notImage.toString()).contains("not an image");
    Path empty = Files.createFile(tmp.resolve("empty.png"));
    CliRun nothing = CliRun.of("price", "--reader", "gpt-4o", empty.toString());
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.err()).contains(empty.toString());
    CliRun missing = CliRun.of("price", "--reader", "gpt-4o", tmp.resolve("absent.png").toString());
    assertThat(missing.err()).contains("absent.png: no such file");
    CliRun none = CliRun.of("price", "--reader", "gpt-4o");
    assertThat(none.exitCode()).isEqualTo(2);
  }

  /** A stand-in for an OpenAI-compatible server (no real one can be reached here). */
  private HttpServer standIn(double factor, boolean usage, AtomicInteger requests) throws Exception {
    VisionReader truth = VisionReader.named("gpt-4.1-mini");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      requests.incrementAndGet();
      JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
      int prompt = 12;
      JsonNode content = body.get("messages").get(0).get("content");
      if (content.isArray()) {
        for (JsonNode part : content) {
          if (part.has("image_url")) {
            String url = part.get("image_url").get("url").asText();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder()
                .decode(url.substring(url.indexOf(',') + 1))));
            prompt += (int) Math.round(truth.price(image.getWidth(), image.getHeight(),
                Detail.HIGH).tokens() * factor);
          }
        }
      }
      String reply = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
          + "\"finish_reason\":\"stop\"}]" + (usage ? ",\"usage\":{\"prompt_tokens\":" + prompt
          + ",\"completion_tokens\":1,\"total_tokens\":" + (prompt + 1) + "}" : "") + "}";
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return server;
  }

  @Test
  void calibrating_against_a_stand_in_server_reports_the_profile_s_error_and_keeps_the_measured_price()
      throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = standIn(1.2, true, requests);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      Path kept = tmp.resolve("mini.properties");
      CliRun run = CliRun.of("price", "--reader", "gpt-4.1-mini", "--calibrate", url, "--model",
          "gpt-4.1-mini", "--keep", kept.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(requests.get()).isEqualTo(4);
      assertThat(run.out()).contains("512x512   profile   415  server   498  -16.7% (under-counts)")
          .contains("the server bills up to 1.2").contains("kept as " + kept);
      CliRun priced = CliRun.of("price", "--reader", kept.toString(), "--size", "512x512");
      assertThat(priced.exitCode()).as(priced.err()).isZero();
      assertThat(priced.out()).contains("gpt-4.1-mini@calibrated").contains("  512x512  499 tokens").as("never under what was billed");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void a_calibration_server_that_reports_no_usage_or_cannot_be_reached_changes_nothing_and_says_why()
      throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = standIn(1.0, false, requests);
    Path kept = tmp.resolve("kept.properties");
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      CliRun run = CliRun.of("price", "--reader", "gpt-4o", "--calibrate", url, "--model", "m",
          "--keep", kept.toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("reports no usage").contains("nothing was changed");
    } finally {
      server.stop(0);
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    CliRun closed = CliRun.of("price", "--reader", "gpt-4o", "--calibrate",
        "http://127.0.0.1:" + port + "/v1", "--model", "m", "--keep", kept.toString(),
        "--timeout", "5");
    assertThat(closed.exitCode()).isEqualTo(1);
    assertThat(closed.err()).contains("did not answer").contains("nothing was changed");
    assertThat(kept).doesNotExist();
    CliRun scheme = CliRun.of("price", "--reader", "gpt-4o", "--calibrate", "javascript:alert(1)",
        "--model", "m");
    assertThat(scheme.exitCode()).isEqualTo(2);
    CliRun secret = CliRun.of("price", "--reader", "gpt-4o", "--calibrate",
        "http://user:pw@127.0.0.1:1/v1", "--model", "m");
    assertThat(secret.exitCode()).isEqualTo(2);
    assertThat(secret.err()).doesNotContain("pw").contains("credentials");
  }
}
