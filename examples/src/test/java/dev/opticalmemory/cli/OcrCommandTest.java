package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(row.fieldNames()).toIterable().containsExactly("file", "text", "millis", "decoder",
        "precision", "wordAccuracy");
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
  void with_a_stand_in_server_the_deepseek_engine_prints_what_the_server_read_and_warns_of_a_cut_loop()
      throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
          + "\"content\":\"hello from the server. " + "the loop goes on and on. ".repeat(30)
          + "\"}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
      assertThat(run.out().strip()).isEqualTo("hello from the server. the loop goes on and on.");
      assertThat(run.err()).contains("warning: " + tmp.resolve("n-p001.png") + ": repetition"
          + " guard: cut 29 back-to-back repeats of \"the loop goes on and on.\"");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void a_page_drawn_by_render_is_read_by_its_font_word_for_word_unless_engine_only_is_given()
      throws Exception {
    Path text = tmp.resolve("note.txt");
    Files.writeString(text, "The radar unit arrives on the 14th, at 07:45.\n"
        + "Locker 14 holds the blue rucksack (and Milo's lamp).\n");
    for (String mode : List.of("large", "tiny")) {
      Path out = tmp.resolve(mode);
      CliRun render = CliRun.of("render", "--mode", mode, "--out", out.toString(), text.toString());
      assertThat(render.exitCode()).as(render.err()).isZero();
      Path png = out.resolve("note-p001.png");

      JsonNode row = new ObjectMapper().readTree(CliRun.of("ocr", "--json", "--truth",
          text.toString(), png.toString()).out().strip());
      assertThat(row.get("decoder").asText()).isEqualTo("page reader");
      assertThat(row.get("text").asText()).isEqualTo(Files.readString(text).strip());
      assertThat(row.get("wordAccuracy").asDouble()).isEqualTo(1.0);

      JsonNode engine = new ObjectMapper().readTree(CliRun.of("ocr", "--json", "--engine-only",
          png.toString()).out().strip());
      assertThat(engine.get("decoder").asText()).isEqualTo("paddle");
      assertThat(engine.get("text").asText()).contains("rucksack");
    }
  }

  @Test
  void a_line_changed_after_the_page_was_drawn_is_left_to_pp_ocr_and_the_others_read_by_font()
      throws Exception {
    Path png = rendered("base", "The radar unit arrives on the 14th.\n"
        + "Locker 14 holds the blue rucksack.\nCall Priya before noon.\n");
    byte[] bytes = Files.readAllBytes(png);
    PageLabel label = PageLabel.fromPng(bytes).orElseThrow();
    // Line 2 painted over and written again in another font and size, the label kept.
    BufferedImage page = PageImages.decode(bytes);
    Graphics2D g = page.createGraphics();
    g.setColor(Color.WHITE);
    java.awt.Rectangle band = label.layout().lineBoxes(page.getWidth(), page.getHeight()).get(1);
    g.fillRect(band.x, band.y, band.width, band.height);
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SERIF, Font.PLAIN, band.height - 2));
    g.drawString("Ferry tickets are in the drawer", band.x + 16, band.y + band.height - 5);
    g.dispose();
    Files.write(png, label.toPng(page));

    JsonNode row = row(CliRun.of("ocr", "--json", png.toString()));
    assertThat(row.get("decoder").asText()).isEqualTo("page reader, then paddle for 1 of 3 lines");
    String[] lines = row.get("text").asText().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo("The radar unit arrives on the 14th.");
    assertThat(lines[1]).containsIgnoringCase("tickets").containsIgnoringCase("drawer");
    assertThat(lines[2]).isEqualTo("Call Priya before noon.");
  }

  @Test
  void a_damaged_label_is_a_warning_naming_the_value_and_pp_ocr_reads_the_page() throws Exception {
    Path png = rendered("base", "Locker 14 holds the blue rucksack.\n");
    BufferedImage page = PageImages.decode(Files.readAllBytes(png));
    Files.write(png, pngWithText(page, PageLabel.PNG_KEYWORD,
        "v=1 page=1024x1024 margin=16 font=huge spacing=1.2 tab=4 chain=1024:GRAY8_PNG lines="));

    CliRun run = CliRun.of("ocr", "--json", png.toString());
    JsonNode row = row(run);
    assertThat(run.err()).contains("warning: " + png + ": page label field font cannot be read:"
        + " 'huge'").contains("reading it with the OCR engine");
    assertThat(row.get("decoder").asText()).isEqualTo("paddle");
    assertThat(row.get("text").asText()).contains("rucksack");
  }

  @Test
  void a_labelled_page_scaled_after_it_was_drawn_is_a_warning_and_pp_ocr_reads_it_whole()
      throws Exception {
    Path png = rendered("large", "Locker 14 holds the blue rucksack.\n");
    PageLabel label = PageLabel.fromPng(Files.readAllBytes(png)).orElseThrow();
    BufferedImage scaled = PageImages.downscale(PageImages.decode(Files.readAllBytes(png)), 900, 900);
    Files.write(png, label.toPng(scaled));

    CliRun run = CliRun.of("ocr", "--json", png.toString());
    JsonNode row = row(run);
    assertThat(run.err()).contains("warning: " + png + ": the page is 900x900, not the size its"
        + " label gives (a long side of 1280 px)");
    assertThat(row.get("decoder").asText()).isEqualTo("paddle");
    assertThat(row.get("text").asText()).contains("rucksack");
  }

  @Test
  void with_another_engine_named_that_engine_reads_a_labelled_page() throws Exception {
    Path png = rendered("base", "Locker 14 holds the blue rucksack.\n");
    JsonNode row = row(CliRun.of("ocr", "--json", "--engine", "tesseract", png.toString()));
    assertThat(row.get("decoder").asText()).isEqualTo("tesseract");
  }

  @Test
  void a_label_whose_bands_do_not_match_the_ink_is_a_warning_and_the_engine_reads_the_page()
      throws Exception {
    Path two = rendered("base", "Locker 14 holds the blue rucksack.\nThe ferry leaves at nine.\n");
    byte[] twoPng = Files.readAllBytes(two);
    dev.opticalmemory.renderer.PageLabel twoLines = dev.opticalmemory.renderer.PageLabel
        .fromPng(twoPng).orElseThrow();
    Path five = rendered("base", "Locker 14 holds the blue rucksack.\nThe ferry leaves at nine.\n"
        + "The crane was checked twice.\nThe radar unit arrives on the 14th.\nBring the red sail.\n");
    Path copied = tmp.resolve("copied.png");
    Files.write(copied, twoLines.addTo(Files.readAllBytes(five)));
    CliRun run = CliRun.of("ocr", "--json", copied.toString());
    JsonNode row = row(run);
    assertThat(run.err()).contains("its label's line bands do not match the page's ink")
        .contains("rows outside every band");
    assertThat(row.get("decoder").asText()).isEqualTo("paddle");
    assertThat(row.get("text").asText()).contains("Bring the red sail");

    StringBuilder bands = new StringBuilder();
    for (int i = 0; i < 4096; i++) {
      bands.append(i == 0 ? "" : ",").append("0.0+1000.0");
    }
    String label = twoLines.encode().replaceAll("lines=\\S*", "lines=" + bands);
    Path full = tmp.resolve("full.png");
    Files.write(full, dev.opticalmemory.renderer.PageLabel.parse(label)
        .addTo(Files.readAllBytes(five)));
    CliRun fullRun = CliRun.of("ocr", "--json", full.toString());
    assertThat(fullRun.err()).contains("do not match the page's ink").contains("px tall");
    assertThat(row(fullRun).get("text").asText()).contains("The crane was checked twice");
  }

  /** Draws {@code text} with `render --mode MODE` and gives the first page's file. */
  private Path rendered(String mode, String text) throws Exception {
    Path file = tmp.resolve("note.txt");
    Files.writeString(file, text);
    CliRun render = CliRun.of("render", "--mode", mode, "--out", tmp.toString(), file.toString());
    assertThat(render.exitCode()).as(render.err()).isZero();
    return tmp.resolve("note-p001.png");
  }

  /** The one JSON row of a successful `ocr --json` run. */
  private static JsonNode row(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out().strip());
  }

  /** A PNG of {@code image} with one text chunk, written with ImageIO's PNG metadata. */
  private static byte[] pngWithText(BufferedImage image, String keyword, String value)
      throws java.io.IOException {
    javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    javax.imageio.metadata.IIOMetadata metadata = writer.getDefaultImageMetadata(
        javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
    javax.imageio.metadata.IIOMetadataNode entry = new javax.imageio.metadata.IIOMetadataNode("tEXtEntry");
    entry.setAttribute("keyword", keyword);
    entry.setAttribute("value", value);
    javax.imageio.metadata.IIOMetadataNode chunk = new javax.imageio.metadata.IIOMetadataNode("tEXt");
    chunk.appendChild(entry);
    javax.imageio.metadata.IIOMetadataNode root =
        new javax.imageio.metadata.IIOMetadataNode("javax_imageio_png_1.0");
    root.appendChild(chunk);
    metadata.mergeTree("javax_imageio_png_1.0", root);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream stream =
        javax.imageio.ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new javax.imageio.IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
