package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcrCommandTest {
  @TempDir Path tmp;

  @Test
  void a_rendered_page_is_read_back_with_its_precision_against_the_truth() throws Exception {
    Path text = tmp.resolve("note.txt");
    Files.writeString(text, "The radar unit arrives on the 14th.\nLocker 14 holds the blue rucksack.\n");
    CliRun render = CliRun.of("render", "--out", tmp.toString(), text.toString());
    assertThat(render.exitCode()).as(render.err()).isZero();
    Path png = tmp.resolve("note-p001.png");

    CliRun run = CliRun.of("ocr", "--json", "--truth", text.toString(), png.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode row = new ObjectMapper().readTree(run.out().strip());
    assertThat(row.fieldNames()).toIterable().containsExactly("file", "text", "millis", "precision",
        "wordAccuracy");
    assertThat(row.get("file").asText()).isEqualTo(png.toString());
    assertThat(row.get("text").asText()).contains("radar", "rucksack");
    assertThat(row.get("precision").asDouble()).isGreaterThan(0.95);

    CliRun plain = CliRun.of("ocr", png.toString(), png.toString());
    assertThat(plain.out()).contains("==> " + png + " <==").contains("rucksack");
  }

  @Test
  void a_file_that_is_not_an_image_is_one_line_and_exit_code_one() throws Exception {
    Path notImage = tmp.resolve("page.png");
    Files.writeString(notImage, "plain text, not a PNG");
    CliRun run = CliRun.of("ocr", notImage.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("ocr: " + notImage
        + ": bytes are not a readable image (21 bytes, no ImageIO reader knows them)");
  }

  @Test
  void truth_files_must_match_the_images_one_to_one() throws Exception {
    Path a = tmp.resolve("a.png");
    Path truth = tmp.resolve("t.txt");
    Files.writeString(truth, "x");
    CliRun run = CliRun.of("ocr", "--truth", truth.toString(), a.toString(), a.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--truth was given 1 time(s) for 2 image(s)");
  }

  @Test
  void an_unknown_engine_lists_the_choices() throws Exception {
    Path text = tmp.resolve("n.txt");
    Files.writeString(text, "hello");
    CliRun.of("render", "--out", tmp.toString(), text.toString());
    CliRun run = CliRun.of("ocr", "--engine", "magic", tmp.resolve("n-p001.png").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("ocr: --engine: unknown engine 'magic', expected one of"
        + " [paddle, tesseract, deepseek] (see 'optical-memory ocr --help')");
  }

  @Test
  void the_tesseract_engine_reads_the_same_page() throws Exception {
    Path text = tmp.resolve("note.txt");
    Files.writeString(text, "The radar unit arrives on the 14th.\nLocker 14 holds the blue rucksack.\n");
    CliRun.of("render", "--out", tmp.toString(), text.toString());
    CliRun run = CliRun.of("ocr", "--engine", "tesseract", "--json", "--truth", text.toString(),
        tmp.resolve("note-p001.png").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(new ObjectMapper().readTree(run.out().strip()).get("precision").asDouble())
        .isGreaterThan(0.95);
  }

  @Test
  void the_deepseek_engine_without_a_server_says_what_to_set() throws Exception {
    Path text = tmp.resolve("n.txt");
    Files.writeString(text, "hello");
    CliRun.of("render", "--out", tmp.toString(), text.toString());
    CliRun run = CliRun.of("ocr", "--engine", "deepseek", "--deepseek-url", "not a url",
        tmp.resolve("n-p001.png").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("ocr: --engine deepseek: baseUrl")
        .contains("not a url");
  }

  @Test
  void with_a_stand_in_server_the_deepseek_engine_prints_what_the_server_read() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
          + "\"content\":\"hello from the server\"}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Path text = tmp.resolve("n.txt");
      Files.writeString(text, "hello");
      CliRun.of("render", "--out", tmp.toString(), text.toString());
      CliRun run = CliRun.of("ocr", "--engine", "deepseek", "--deepseek-url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "--deepseek-model", "deepseek-ocr",
          tmp.resolve("n-p001.png").toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().strip()).isEqualTo("hello from the server");
    } finally {
      server.stop(0);
    }
  }
}
