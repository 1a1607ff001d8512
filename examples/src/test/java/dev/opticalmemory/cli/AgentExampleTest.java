package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.opticalmemory.examples.AgentExample;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentExampleTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void without_a_server_the_agent_says_what_to_set_and_exits_cleanly() throws Exception {
    StringWriter out = new StringWriter();
    int status = AgentExample.run(new BufferedReader(new StringReader("hello\n")),
        new PrintWriter(out), Map.of());
    assertThat(status).isZero();
    assertThat(out.toString()).startsWith("The agent needs a chat model. Set OPTICAL_MEMORY_LLM_URL"
        + " and OPTICAL_MEMORY_LLM_MODEL");
  }

  @Test
  void a_bad_budget_or_reader_is_refused_with_the_variable_and_its_value() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentExample.run(
        new BufferedReader(new StringReader("")), new PrintWriter(new StringWriter()), Map.of(
            "OPTICAL_MEMORY_LLM_URL", "http://127.0.0.1:9/v1", "OPTICAL_MEMORY_LLM_MODEL", "m",
            "OPTICAL_MEMORY_BUDGET", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OPTICAL_MEMORY_BUDGET must be a number of tokens, but is: lots");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentExample.run(
        new BufferedReader(new StringReader("")), new PrintWriter(new StringWriter()), Map.of(
            "OPTICAL_MEMORY_LLM_URL", "http://127.0.0.1:9/v1", "OPTICAL_MEMORY_LLM_MODEL", "m",
            "OPTICAL_MEMORY_READER", "llava")))
        .hasMessageContaining("but is: llava");
  }

  @Test
  void the_agent_chats_through_a_stand_in_openai_server_and_remembers_in_its_database()
      throws Exception {
    List<JsonNode> requests = new CopyOnWriteArrayList<>();
    HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    standIn.createContext("/v1/chat/completions", exchange -> {
      requests.add(JSON.readTree(exchange.getRequestBody()));
      ObjectNode root = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion")
          .put("created", 1).put("model", "stand-in");
      ObjectNode choice = root.putArray("choices").addObject().put("index", 0)
          .put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", "Noted, 4417.");
      byte[] body = JSON.writeValueAsBytes(root);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(body);
      }
    });
    standIn.start();
    try {
      StringWriter out = new StringWriter();
      int status = AgentExample.run(new BufferedReader(new StringReader(
          "My locker code is 4417.\nThanks!\n\n")), new PrintWriter(out), Map.of(
          "OPTICAL_MEMORY_LLM_URL", "http://127.0.0.1:" + standIn.getAddress().getPort() + "/v1",
          "OPTICAL_MEMORY_LLM_MODEL", "stand-in", "OPTICAL_MEMORY_DB",
          tmp.resolve("agent").toString()));
      assertThat(status).isZero();
      assertThat(out.toString()).contains("Noted, 4417.");
      assertThat(requests).hasSize(2);
      JsonNode second = requests.get(1).get("messages");
      assertThat(second.get(0).get("role").asText()).isEqualTo("system");
      assertThat(second.toString()).contains("My locker code is 4417.").contains("Thanks!");
      assertThat(requests.get(1).get("tools").get(0).get("function").get("name").asText())
          .isEqualTo("recall");
      assertThat(tmp.resolve("agent.mv.db")).exists();
    } finally {
      standIn.stop(0);
    }
  }
}
