package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optical-memory mcp} driven by an agent written in JavaScript with the official TypeScript
 * MCP SDK (src/test/node), over stdio and over HTTP. Without Node.js the Node tests are skipped,
 * saying why; under {@code CI=true} that is a failure.
 */
class McpCommandTest {
  private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();
  private static final String TOKEN = "a-test-token-of-32-characters-xx";

  @TempDir Path tmp;

  @Test
  void an_agent_using_the_typescript_sdk_over_stdio_remembers_gets_page_images_and_recalls()
      throws Exception {
    List<String> command = new ArrayList<>(List.of(node(), "client.mjs", "stdio"));
    command.addAll(CliRun.command("mcp", "--db", tmp.resolve("m").toString()));
    JsonNode seen = runNode(command, Map.of());
    assertAgentSaw(seen);
  }

  @Test
  void an_agent_using_the_typescript_sdk_over_http_needs_the_token_and_then_gets_the_same()
      throws Exception {
    String node = node();
    List<String> server = CliRun.command("mcp", "--db", tmp.resolve("m").toString(), "--http", "0");
    ProcessBuilder builder = new ProcessBuilder(server);
    builder.environment().put(McpCommand.TOKEN_ENV, TOKEN);
    Process p = builder.redirectError(tmp.resolve("server.err").toFile()).start();
    try {
      String uri = firstLine(p).replaceFirst("^MCP ", "");
      assertThat(uri).startsWith("http://127.0.0.1:").endsWith("/mcp");

      Process refused = new ProcessBuilder(node, "client.mjs", "http", uri)
          .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
      String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(refused.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(refused.exitValue()).as(refusal).isNotZero();
      assertThat(refusal).contains("401");

      JsonNode seen = runNode(List.of(node, "client.mjs", "http", uri),
          Map.of(McpCommand.TOKEN_ENV, TOKEN));
      assertAgentSaw(seen);

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(tmp.resolve("server.err"));
      assertThat(p.exitValue()).as(err).isZero();
      assertThat(err).contains("bearer token required").contains("mcp: stopped")
          .doesNotContain(TOKEN);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void an_in_memory_database_is_refused_naming_the_option() {
    CliRun run = CliRun.of("mcp", "--db", "jdbc:h2:mem:x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--db jdbc:h2:mem:x is an in-memory database");
  }

  @Test
  void http_on_an_address_other_than_loopback_without_a_token_is_refused_naming_the_variable() {
    Assumptions.assumeTrue(System.getenv(McpCommand.TOKEN_ENV) == null,
        McpCommand.TOKEN_ENV + " is set in this environment");
    CliRun run = CliRun.of("mcp", "--db", tmp.resolve("m").toString(), "--http", "0", "--bind",
        "0.0.0.0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(McpCommand.TOKEN_ENV).contains("0.0.0.0");
  }

  @Test
  void an_unknown_reader_is_refused_naming_the_option_and_the_value() {
    CliRun run = CliRun.of("mcp", "--db", tmp.resolve("m").toString(), "--reader", "gpt-2");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--reader").contains("gpt-2");
  }

  private static void assertAgentSaw(JsonNode seen) {
    List<String> tools = new ArrayList<>();
    seen.get("tools").forEach(t -> tools.add(t.asText()));
    assertThat(tools).containsExactly("context", "forget", "pin", "read", "recall", "remember",
        "stats", "unpin");
    assertThat(seen.get("remembered").asInt()).isEqualTo(300);
    assertThat(seen.get("stats").get("turns").asInt()).isEqualTo(300);
    assertThat(seen.get("refusal").asText()).contains("query");
    assertThat(seen.get("contextImages").asInt()).as(seen.get("contextText").asText()).isPositive();
    assertThat(seen.get("contextPng").asBoolean()).isTrue();
    assertThat(seen.get("contextText").asText()).contains("tokens for gpt-4o]");
    assertThat(seen.get("recall").asText()).contains("locker code at the marina is 4417");
    List<String> templates = new ArrayList<>();
    seen.get("templates").forEach(t -> templates.add(t.asText()));
    assertThat(templates).contains("optical-memory://{conversation}/pages/{page}");
  }

  private JsonNode runNode(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_DIR.toFile());
    builder.environment().putAll(env);
    Process p = builder.redirectError(tmp.resolve("node.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String err = Files.readString(tmp.resolve("node.err"));
    assertThat(p.exitValue()).as(err).isZero();
    return new ObjectMapper().readTree(out);
  }

  static String firstLine(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the server's first line").isNotNull();
    return line;
  }

  /**
   * The node executable with the SDK installed beside the script ({@code npm ci} here when it is
   * not); skips without Node.js, or fails under CI=true.
   */
  private static synchronized String node() throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!runs(List.of("node", "--version"), Path.of("."))) {
      String why = "Node.js is not installed (Debian's nodejs and npm packages; .ci/run installs"
          + " them)";
      if (ci) {
        fail(why + "; under CI=true that is a failure, not a skip");
      }
      Assumptions.abort(why);
    }
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))
        && !runs(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_DIR)) {
      String why = "npm ci in " + NODE_DIR + " failed (the TypeScript MCP SDK is not installed)";
      if (ci) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return "node";
  }

  private static boolean runs(List<String> command, Path dir) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
