package dev.opticalmemory.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * A stand-in for an OpenAI-compatible vision LLM on 127.0.0.1: the boundary we cannot run here.
 * It decodes every image it is sent and counts each request's content itself (o200k for text,
 * OpenAI's tile formula for images), apart from the code under test. It calls the {@code recall}
 * tool once when offered and asked a question, then answers with what the tool returned.
 */
final class StandInOpenAi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry()
      .getEncoding(EncodingType.O200K_BASE);

  /** What one request carried. */
  record Seen(int tokens, int images, List<String> texts, boolean toolsOffered) {}

  final List<Seen> requests = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server;

  StandInOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stand-in-openai");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      int tokens = 0;
      int images = 0;
      List<String> texts = new ArrayList<>();
      String toolResult = null;
      for (JsonNode m : request.path("messages")) {
        JsonNode content = m.path("content");
        if ("tool".equals(m.path("role").asText())) {
          toolResult = content.isTextual() ? content.asText() : content.toString();
        }
        if (content.isTextual()) {
          tokens += O200K.countTokens(content.asText());
          texts.add(content.asText());
        } else if (content.isArray()) {
          for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
              tokens += O200K.countTokens(part.path("text").asText());
              texts.add(part.path("text").asText());
            } else if ("image_url".equals(part.path("type").asText())) {
              images++;
              tokens += imageTokens(part.path("image_url").path("url").asText());
            }
          }
        }
      }
      boolean tools = request.path("tools").size() > 0;
      requests.add(new Seen(tokens, images, List.copyOf(texts), tools));
      String last = texts.isEmpty() ? "" : texts.get(texts.size() - 1);
      ObjectNode message = JSON.createObjectNode().put("role", "assistant");
      String finish = "stop";
      if (toolResult != null) {
        message.put("content", toolResult.contains("4417") ? "Your locker code is 4417."
            : "I could not find it.");
      } else if (tools && last.contains("locker code")) {
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.put("id", "call_1").put("type", "function");
        call.putObject("function").put("name", "recall")
            .put("arguments", "{\"keywords\":\"locker code\"}");
        message.putNull("content");
        finish = "tool_calls";
      } else {
        message.put("content", "Noted.");
      }
      ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-1")
          .put("object", "chat.completion").put("created", 1).put("model", "gpt-4o");
      ObjectNode choice = response.putArray("choices").addObject();
      choice.put("index", 0).put("finish_reason", finish).set("message", message);
      response.putObject("usage").put("prompt_tokens", tokens).put("completion_tokens", 5)
          .put("total_tokens", tokens + 5);
      byte[] body = JSON.writeValueAsBytes(response);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (RuntimeException e) {
      violations.add(e.toString());
      throw e;
    }
  }

  /** OpenAI's high-detail price of an image sent as a data URL; a violation if it is not one. */
  private int imageTokens(String url) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:image/") || comma < 0) {
      violations.add("an image not sent as a data URL: "
          + url.substring(0, Math.min(40, url.length())));
      return 0;
    }
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(
          Base64.getDecoder().decode(url.substring(comma + 1).getBytes(StandardCharsets.US_ASCII))));
      if (image == null) {
        violations.add("an image that does not decode");
        return 0;
      }
      double w = image.getWidth();
      double h = image.getHeight();
      double fit = Math.min(1, 2048 / Math.max(w, h));
      w *= fit;
      h *= fit;
      double shortSide = Math.min(1, 768 / Math.min(w, h));
      w *= shortSide;
      h *= shortSide;
      int tiles = (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
      return 85 + 170 * tiles;
    } catch (IOException | IllegalArgumentException e) {
      violations.add("an image that does not decode: " + e);
      return 0;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
