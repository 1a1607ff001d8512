package dev.opticalmemory.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A stand-in for a vision LLM behind an OpenAI-compatible chat API, on 127.0.0.1: the boundary we
 * cannot run here. It answers from the messages it receives: the gold answer when the answer's
 * words are in the text it was sent (it cannot read images), a call of the recall tool when one is
 * offered and not yet used, else "No information available". It checks every image (a PNG, in a
 * data URL, of a size the reader expects) and counts the tokens of each request itself (o200k for
 * text, OpenAI's tile formula for images), independently of the code under test, and reports them
 * as the API's usage.
 */
public final class StandInVisionServer implements AutoCloseable {
  /** How the stand-in behaves. */
  public enum Mode { ANSWER, FAIL_FIRST_ATTEMPT, ALWAYS_500, ECHO_KEY_401, STALL, TOOL_LOOP }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry()
      .getEncoding(EncodingType.O200K_BASE);

  /** The questions of {@link #writeConversation} and their gold answers (empty: adversarial). */
  public static final Map<String, String> GOLD = Map.of(
      "What is Mira's locker code?", "4417",
      "Where does the spare key hang?", "red boathouse",
      "When does Grandma Ilse turn ninety?", "October",
      "What is the name of Tomas's parrot?", "");

  /**
   * Writes a LoCoMo-format conversation of three sittings of 40 turns ({@code session_1} to
   * {@code session_3}), with the facts of {@link #GOLD} in the first turns of sitting 1 and its
   * four questions (categories 1, 4, 2, 5).
   */
  public static Path writeConversation(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode c = root.putObject("conversation");
    Random random = new Random(11);
    String[] words = ("the ferry left harbour at dawn with passengers and cargo while gulls"
        + " followed the boat past the breakwater and the lighthouse keeper wrote the tide table")
        .split(" ");
    String[] facts = {"My locker code is 4417.", "The spare key hangs in the red boathouse.",
        "Grandma Ilse turns ninety in October."};
    for (int s = 1; s <= 3; s++) {
      c.put("session_" + s + "_date_time", "10:0" + s + " am on " + (s + 3) + " May, 2023");
      ArrayNode turns = c.putArray("session_" + s);
      for (int t = 1; t <= 40; t++) {
        StringBuilder text = new StringBuilder();
        for (int w = 25 + random.nextInt(20); w > 0; w--) {
          text.append(words[random.nextInt(words.length)]).append(w % 12 == 1 ? ". " : " ");
        }
        String line = Character.toUpperCase(text.charAt(0)) + text.substring(1).strip();
        turns.addObject().put("speaker", t % 2 == 0 ? "Tomas" : "Mira").put("dia_id",
            "D" + s + ":" + t).put("text", s == 1 && t <= 3 ? line + " " + facts[t - 1] : line);
      }
    }
    ArrayNode qa = root.putArray("qa");
    qa.addObject().put("question", "What is Mira's locker code?").put("answer", "4417")
        .put("category", 1).putArray("evidence").add("D1:1");
    qa.addObject().put("question", "Where does the spare key hang?").put("answer", "red boathouse")
        .put("category", 4).putArray("evidence").add("D1:2");
    qa.addObject().put("question", "When does Grandma Ilse turn ninety?").put("answer", "October")
        .put("category", 2).putArray("evidence").add("D1:3");
    qa.addObject().put("question", "What is the name of Tomas's parrot?")
        .put("adversarial_answer", "Kiwi").put("category", 5).putArray("evidence").add("D2:5");
    Files.writeString(file, JSON.writeValueAsString(root));
    return file;
  }

  private final HttpServer server;
  private final Map<String, String> gold;
  private final Set<Integer> sides;
  private volatile Mode mode = Mode.ANSWER;
  /** Requests it refused: images that are not PNG, or not of an expected size. */
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  public final List<String> questionsAsked = Collections.synchronizedList(new ArrayList<>());
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger images = new AtomicInteger();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  /**
   * @param gold question to gold answer
   * @param sides the image sides the reader is sent (square pages)
   */
  public StandInVisionServer(Map<String, String> gold, Set<Integer> sides) throws IOException {
    this.gold = Map.copyOf(gold);
    this.sides = Set.copyOf(sides);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stand-in-vision-llm");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String question = null;
      StringBuilder seen = new StringBuilder();
      boolean toolResults = false;
      long tokens = 0;
      for (JsonNode m : request.path("messages")) {
        JsonNode content = m.path("content");
        if (content.isTextual()) {
          tokens += O200K.countTokens(content.asText());
          seen.append(content.asText()).append('\n');
        } else if (content.isArray()) {
          for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
              String text = part.path("text").asText();
              tokens += O200K.countTokens(text);
              if (text.startsWith("Question: ")) {
                question = text.substring("Question: ".length());
              } else {
                seen.append(text).append('\n');
              }
            } else if ("image_url".equals(part.path("type").asText())) {
              Integer cost = image(part.path("image_url"));
              if (cost == null) {
                send(exchange, 400, "{\"error\": {\"message\": \"bad image: "
                    + violations.get(violations.size() - 1) + "\"}}");
                return;
              }
              tokens += cost;
            } else {
              violations.add("unknown content part " + part.path("type"));
            }
          }
        }
        for (JsonNode call : m.path("tool_calls")) {
          tokens += O200K.countTokens(call.path("function").path("arguments").asText());
        }
        if ("tool".equals(m.path("role").asText())) {
          toolResults = true;
        }
      }
      String judged = seen.toString();
      if (judged.startsWith("You grade an answer")) {
        String goldAnswer = between(judged, "Gold answer: ", "\n");
        String given = between(judged, "Answer given: ", "\n");
        reply(exchange, request, given.toLowerCase(Locale.ROOT).contains(
            goldAnswer.toLowerCase(Locale.ROOT)) ? "CORRECT" : "WRONG", null, tokens);
        return;
      }
      if (question != null) {
        questionsAsked.add(question);
      }
      boolean toolsOffered = request.path("tools").size() > 0;
      switch (mode) {
        case ALWAYS_500:
          send(exchange, 500, "{\"error\": {\"message\": \"the stand-in fails on purpose\"}}");
          return;
        case ECHO_KEY_401:
          send(exchange, 401, "{\"error\": {\"message\": \"bad credentials: "
              + exchange.getRequestHeaders().getFirst("Authorization") + "\"}}");
          return;
        case FAIL_FIRST_ATTEMPT:
          if (attempts.merge(String.valueOf(question), 1, Integer::sum) == 1) {
            send(exchange, 503, "{\"error\": {\"message\": \"busy, try again\"}}");
            return;
          }
          break;
        case STALL:
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return;
        case TOOL_LOOP:
          // A model stuck in a loop: it calls the tool again even when none is offered.
          reply(exchange, request, null, "{\"keywords\": \"again\"}", tokens);
          return;
        default:
      }
      String answer = gold.getOrDefault(String.valueOf(question), "");
      if (!answer.isEmpty() && judged.toLowerCase(Locale.ROOT).contains(answer.toLowerCase(
          Locale.ROOT))) {
        reply(exchange, request, answer, null, tokens);
      } else if (toolsOffered && !toolResults && offers(request, "read")
          && LABEL.matcher(judged).find()) {
        // Scripted numbers: the first page's label, from its first turn, 20 turns.
        java.util.regex.Matcher label = LABEL.matcher(judged);
        label.find();
        readCalls.add(label.group(1) + "/" + label.group(2));
        reply(exchange, request, null, "read", JSON.writeValueAsString(Map.of("page",
            Integer.parseInt(label.group(1)), "fromTurn", Integer.parseInt(label.group(2)),
            "count", 20)), tokens);
      } else if (toolsOffered && !toolResults) {
        reply(exchange, request, null, JSON.writeValueAsString(Map.of("keywords",
            String.valueOf(question))), tokens);
      } else {
        reply(exchange, request, "No information available.", null, tokens);
      }
    } catch (RuntimeException e) {
      violations.add("the stand-in failed: " + e);
      throw e;
    }
  }

  /** Checks an image part; its OpenAI token cost, or null (with a violation) if it is bad. */
  private Integer image(JsonNode imageUrl) {
    String url = imageUrl.path("url").asText();
    String prefix = "data:image/png;base64,";
    if (!url.startsWith(prefix)) {
      violations.add("not a PNG data URL: " + url.substring(0, Math.min(40, url.length())));
      return null;
    }
    byte[] png = Base64.getDecoder().decode(url.substring(prefix.length()));
    if (png.length < 8 || png[0] != (byte) 0x89 || png[1] != 'P' || png[2] != 'N'
        || png[3] != 'G') {
      violations.add("the bytes are not a PNG file");
      return null;
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      image = null;
    }
    if (image == null) {
      violations.add("the PNG cannot be decoded");
      return null;
    }
    if (image.getWidth() != image.getHeight() || !sides.contains(image.getWidth())) {
      violations.add("an image of " + image.getWidth() + "x" + image.getHeight() + ", expected a"
          + " square of " + sides);
      return null;
    }
    images.incrementAndGet();
    if ("low".equals(imageUrl.path("detail").asText())) {
      return 85;
    }
    // OpenAI's high detail: fit in 2048 x 2048, shortest side down to 768, 170 per 512 px tile.
    double w = image.getWidth();
    double h = image.getHeight();
    double fit = Math.min(1, 2048 / Math.max(w, h));
    w *= fit;
    h *= fit;
    double shortest = Math.min(1, 768 / Math.min(w, h));
    w = Math.floor(w * shortest);
    h = Math.floor(h * shortest);
    return 85 + 170 * (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
  }

  private static String between(String text, String start, String end) {
    int i = text.indexOf(start);
    if (i < 0) {
      return "";
    }
    int j = text.indexOf(end, i + start.length());
    return text.substring(i + start.length(), j < 0 ? text.length() : j);
  }

  /** A page's label, as the memory writes it before the page image. */
  static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("page (\\d+), turns (\\d+)-(\\d+):");

  /** The read calls made, as "page/fromTurn". */
  public final List<String> readCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static boolean offers(JsonNode request, String tool) {
    for (JsonNode t : request.path("tools")) {
      if (tool.equals(t.path("function").path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  private void reply(HttpExchange exchange, JsonNode request, String text, String toolArguments,
      long promptTokens) throws IOException {
    reply(exchange, request, text, "recall", toolArguments, promptTokens);
  }

  private void reply(HttpExchange exchange, JsonNode request, String text, String tool,
      String toolArguments, long promptTokens) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "stand-in-" + requests.get());
    body.put("object", "chat.completion");
    body.put("created", 0);
    body.put("model", request.path("model").asText());
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    int completion = 0;
    if (toolArguments != null) {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      ObjectNode call = calls.addObject();
      call.put("id", "call_" + requests.get());
      call.put("type", "function");
      call.putObject("function").put("name", tool).put("arguments", toolArguments);
      choice.put("finish_reason", "tool_calls");
      completion = O200K.countTokens(toolArguments);
    } else {
      message.put("content", text);
      choice.put("finish_reason", "stop");
      completion = O200K.countTokens(text);
    }
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", promptTokens + completion);
    send(exchange, 200, JSON.writeValueAsString(body));
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
