package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.opticalmemory.memory.context.Calibration;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code price}: what a reader counts for images, by its rule, and that rule against a server. */
@Command(name = "price", mixinStandardHelpOptions = true,
    description = {"Prints what a reader (a model on a server) counts for each image, and the rule"
        + " that gave it.",
        "With --calibrate URL --model M, sends three images of known sizes to an OpenAI-compatible"
            + " server, reads the tokens it bills (usage.prompt_tokens less the same request's"
            + " without the image) and reports the profile's error; --keep FILE keeps the measured"
            + " price as a profile that --reader FILE takes. The key is read from $"
            + PriceCommand.KEY_VARIABLE + "."})
final class PriceCommand implements Callable<Integer> {
  static final String KEY_VARIABLE = "OPTICAL_MEMORY_LLM_KEY";

  /** The sizes sent to a server to calibrate: a memory's TINY and sent BASE pages, and a photo. */
  static final int[][] CALIBRATION_SIZES = {{512, 512}, {768, 768}, {1024, 1536}};

  @Spec CommandSpec spec;

  @Option(names = "--reader", required = true, paramLabel = "NAME",
      description = "A model and server, e.g. gpt-4o, gpt-5.4, claude, gemini-3,"
          + " qwen2.5-vl:ollama, deepseek-ocr:gundam (an unknown name lists them all), or a"
          + " calibrated profile's .properties file.")
  String reader;

  @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files to price.")
  List<Path> images = new ArrayList<>();

  @Option(names = "--size", split = ",", paramLabel = "WxH", description = "Sizes to price, e.g."
      + " 1024x1024 (repeat or separate with commas).")
  List<String> sizes = new ArrayList<>();

  @Option(names = "--detail", defaultValue = "high", paramLabel = "LEVEL",
      description = "low or high (OpenAI's tile models only; auto is priced as high). Default:"
          + " ${DEFAULT-VALUE}.")
  String detail;

  @Option(names = "--json", description = "One JSON object: {\"reader\", \"source\", \"images\":"
      + " [{\"image\" or \"size\", \"width\", \"height\", \"detail\", \"tokens\", \"rule\"}]}.")
  boolean json;

  @Option(names = "--calibrate", paramLabel = "URL", description = "An OpenAI-compatible base"
      + " URL (http or https), e.g. http://localhost:11434/v1.")
  String calibrate;

  @Option(names = "--model", paramLabel = "NAME", description = "The model to calibrate, as served.")
  String model;

  @Option(names = "--keep", paramLabel = "FILE", description = "With --calibrate: keep the"
      + " measured price in FILE (.properties), for --reader FILE.")
  Path keep;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Deadline of one calibration request. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    VisionReader r;
    try {
      r = VisionReader.named(reader);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--reader: " + e.getMessage(), e);
    }
    Detail level = switch (detail.toLowerCase(Locale.ROOT)) {
      case "low" -> Detail.LOW;
      case "high", "auto" -> Detail.HIGH;
      default -> throw CliException.usage("--detail must be low or high, but is: " + detail);
    };
    if (calibrate != null) {
      return calibrate(r);
    }
    if (keep != null || model != null) {
      throw CliException.usage("--keep and --model go with --calibrate URL");
    }
    if (images.isEmpty() && sizes.isEmpty()) {
      throw CliException.usage("give image files or --size WxH to price");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String size : sizes) {
      int[] wh = parseSize(size);
      rows.add(row("size", size, wh, level, r, "--size " + size));
    }
    for (Path image : images) {
      int[] wh = imageSize(image);
      rows.add(row("image", image.toString(), wh, level, r, image.toString()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("reader", r.name());
      all.put("source", r.source());
      all.put("images", rows);
      out.println(new ObjectMapper().writeValueAsString(all));
    } else {
      out.println(r.name() + " (" + r.source() + ")");
      for (Map<String, Object> row : rows) {
        out.printf("  %s%dx%d  %d tokens  (%s)%n", row.containsKey("image")
            ? row.get("image") + "  " : "", (Integer) row.get("width"), (Integer) row.get("height"),
            (Integer) row.get("tokens"), row.get("rule"));
      }
    }
    return 0;
  }

  private static Map<String, Object> row(String kind, String name, int[] wh, Detail level,
      VisionReader r, String what) {
    VisionReader.Price price;
    try {
      price = r.price(wh[0], wh[1], level);
    } catch (IllegalArgumentException e) {
      throw new CliException(what + ": " + e.getMessage(), e);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(kind, name);
    row.put("width", wh[0]);
    row.put("height", wh[1]);
    row.put("detail", level.name().toLowerCase(Locale.ROOT));
    row.put("tokens", price.tokens());
    row.put("rule", price.rule());
    return row;
  }

  /** Parses {@code WxH}; a malformed or non-positive size is a usage error naming it. */
  static int[] parseSize(String size) {
    String[] parts = size.strip().toLowerCase(Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 2) {
        int w = Integer.parseInt(parts[0].strip());
        int h = Integer.parseInt(parts[1].strip());
        if (w < 1 || h < 1) {
          throw CliException.usage("--size must have both sides at least 1 px, but is: " + size);
        }
        return new int[] {w, h};
      }
    } catch (NumberFormatException e) {
      throw CliException.usage("--size must be WIDTHxHEIGHT in pixels, e.g. 1024x768, but is: "
          + size, e);
    }
    throw CliException.usage("--size must be WIDTHxHEIGHT in pixels, e.g. 1024x768, but is: "
        + size);
  }

  /** An image file's size from its header (the pixels are not decoded). */
  static int[] imageSize(Path image) {
    if (!Files.isRegularFile(image)) {
      throw new CliException(image + ": no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new CliException(image + ": not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w < 1 || h < 1) {
          throw new CliException(image + ": an image of 0 pixels (" + w + "x" + h + ")");
        }
        return new int[] {w, h};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliException c) {
        throw c;
      }
      throw new CliException(image + ": cannot be read as an image: " + e.getMessage(), e);
    }
  }

  private int calibrate(VisionReader profile) {
    if (model == null || model.isBlank()) {
      throw CliException.usage("--calibrate needs --model NAME, the model as the server names it");
    }
    if (!images.isEmpty() || !sizes.isEmpty()) {
      throw CliException.usage("--calibrate sends its own images; give no IMAGE or --size");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 600) {
      throw CliException.usage("--timeout must be 1 to 600 seconds, but is: " + timeoutSeconds);
    }
    checkUrl("--calibrate", calibrate);
    if (keep != null && !keep.getFileName().toString().endsWith(".properties")) {
      throw CliException.usage("--keep must name a .properties file, but is: " + keep);
    }
    String key = System.getenv().getOrDefault(KEY_VARIABLE, "none");
    ChatModel chat = OpenAiChatModel.builder().baseUrl(calibrate).apiKey(key).modelName(model)
        .timeout(Duration.ofSeconds(timeoutSeconds)).maxRetries(0).maxCompletionTokens(16).build();
    String prompt = "Reply with the single word: ok.";
    int textOnly = promptTokens(chat, UserMessage.from(prompt), key, "the text alone");
    PrintWriter out = spec.commandLine().getOut();
    double factor = 0;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int[] size : CALIBRATION_SIZES) {
      ImageContent image = ImageContent.from(png(size[0], size[1]), "image/png",
          ImageContent.DetailLevel.HIGH);
      int measured = promptTokens(chat, UserMessage.from(TextContent.from(prompt), image), key,
          size[0] + "x" + size[1]) - textOnly;
      if (measured < 1) {
        throw new CliException("--calibrate: " + calibrate + " billed " + measured + " tokens for a"
            + " " + size[0] + "x" + size[1] + " image (no image tokens seen: does " + model
            + " take images?); nothing was changed");
      }
      int priced = profile.price(size[0], size[1], Detail.HIGH).tokens();
      factor = Math.max(factor, measured / (double) priced);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("size", size[0] + "x" + size[1]);
      row.put("profile", priced);
      row.put("measured", measured);
      row.put("error", (priced - measured) / (double) measured);
      rows.add(row);
    }
    for (Map<String, Object> row : rows) {
      double error = (Double) row.get("error");
      out.printf(Locale.ROOT, "  %-9s profile %5d  server %5d  %+.1f%% %s%n", row.get("size"),
          (Integer) row.get("profile"), (Integer) row.get("measured"), 100 * error,
          error < 0 ? "(under-counts)" : error > 0 ? "(over-counts)" : "(exact)");
    }
    out.printf(Locale.ROOT, "%s against %s at %s: the server bills up to %.4f x the profile%n",
        profile.name(), model, calibrate, factor);
    if (keep != null) {
      factor = Math.max(0.1, Math.min(10, factor));
      new Calibration(profile.name().replace("@calibrated", ""), factor, model, calibrate,
          LocalDate.now().toString()).save(keep);
      out.println("kept as " + keep + " (use --reader " + keep + ")");
    }
    return 0;
  }

  /** Only http and https, and no credentials in the address (the key goes in its variable). */
  static void checkUrl(String option, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + " must be an http or https URL, but is not one ("
          + e.getMessage() + ")", e);
    }
    if (uri.getScheme() == null || !List.of("http", "https").contains(
        uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
      throw CliException.usage(option + " must be an http or https URL with a host, but its"
          + " scheme is " + uri.getScheme());
    }
    if (uri.getRawUserInfo() != null) {
      throw CliException.usage(option + " must not carry credentials in the URL; set $"
          + KEY_VARIABLE + " instead");
    }
  }

  private int promptTokens(ChatModel chat, UserMessage message, String key, String what) {
    ChatResponse response;
    try {
      response = chat.chat(message);
    } catch (RuntimeException e) {
      throw new CliException("--calibrate: " + calibrate + " did not answer for " + what + ": "
          + redact(String.valueOf(e.getMessage()), key) + "; nothing was changed", null);
    }
    if (response.tokenUsage() == null || response.tokenUsage().inputTokenCount() == null) {
      throw new CliException("--calibrate: " + calibrate + " reports no usage (no"
          + " usage.prompt_tokens) for " + what + "; nothing was changed");
    }
    return response.tokenUsage().inputTokenCount();
  }

  static String redact(String text, String key) {
    return key == null || key.length() < 4 ? text : text.replace(key, "[key]");
  }

  /** A grey page of text of the given size, as base64 PNG: what a reader is sent. */
  static String png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
      for (int y = 24, line = 0; y < height - 8; y += 20, line++) {
        g.drawString("Line " + line + ": the ferry leaves pier 4 at 7:15; locker 4417.", 12, y);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
