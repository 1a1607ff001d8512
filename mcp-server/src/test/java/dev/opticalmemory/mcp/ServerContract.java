package dev.opticalmemory.mcp;

import static dev.opticalmemory.mcp.Fixtures.call;
import static dev.opticalmemory.mcp.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server promises a client, whatever the transport: each transport's test starts a
 * server on a memory holding 300 harbour turns in conversation "c" and five in "other".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract {
  McpSyncClient client;

  /** Starts the server on the memory at {@code db} and returns a connected, initialised client. */
  abstract McpSyncClient start(Path db) throws Exception;

  abstract void stop() throws Exception;

  @BeforeAll
  void populateAndStart(@TempDir Path tmp) throws Exception {
    Path db = tmp.resolve("memory");
    try (OpticalMemory memory = Fixtures.memory(db)) {
      Fixtures.harbour(300).forEach(t -> memory.append("c", t));
      for (int i = 0; i < 5; i++) {
        memory.append("other", MemoryTurn.user("Ines", "The violin lesson moved to room " + (80
            + i) + "."));
      }
    }
    client = start(db);
  }

  @AfterAll
  void close() throws Exception {
    if (client != null) {
      client.closeGracefully();
    }
    stop();
  }

  private CallToolResult tool(String name, Object... keysAndValues) {
    Map<String, Object> args = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      args.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return client.callTool(call(name, args));
  }

  @Test
  void lists_every_tool_with_a_schema_that_names_the_conversation() {
    List<McpSchema.Tool> tools = client.listTools().tools();
    assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("remember",
        "recall", "read", "context", "pin", "unpin", "stats", "forget");
    assertThat(tools).allSatisfy(t -> {
      assertThat(t.description()).hasSizeGreaterThan(30);
      assertThat(String.valueOf(t.inputSchema().get("properties"))).contains("conversation=");
    });
  }

  @Test
  void recall_finds_a_fact_planted_three_hundred_turns_ago() {
    CallToolResult r = tool("recall", "conversation", "c", "query", "locker code", "k", 3);
    assertThat(r.isError()).isFalse();
    assertThat(text(r)).contains("4417").contains("turn 3");
  }

  @Test
  void remember_stores_a_turn_that_recall_then_finds() {
    CallToolResult stored = tool("remember", "conversation", "fresh", "text",
        "The boat's name is Kittiwake.", "speaker", "Ola");
    assertThat(text(stored)).isEqualTo("Stored as turn 0 of conversation fresh.");
    assertThat(text(tool("recall", "conversation", "fresh", "query", "boat name")))
        .contains("Kittiwake");
  }

  @Test
  void remember_with_keywords_pins_the_turns_that_match() {
    tool("remember", "conversation", "pins", "text", "My blood type is AB negative.");
    tool("remember", "conversation", "pins", "text", "Lunch was soup.");
    CallToolResult r = tool("remember", "conversation", "pins", "keywords", "blood type");
    assertThat(text(r)).startsWith("Kept sharp: turn 0");
    assertThat(text(tool("stats", "conversation", "pins"))).contains("\"pins\":[0]");
  }

  @Test
  void read_gives_a_page_back_as_written() {
    CallToolResult r = tool("read", "conversation", "c", "page", 0, "fromTurn", 3, "count", 1);
    assertThat(r.isError()).isFalse();
    assertThat(text(r)).contains("turn 3").contains("My locker code is 4417");
  }

  @Test
  void context_sends_page_images_decodable_at_the_size_the_reader_is_sent() throws Exception {
    CallToolResult r = tool("context", "conversation", "c", "budget", 2_000, "reader", "gpt-4o");
    assertThat(r.isError()).isFalse();
    List<McpSchema.Content> content = r.content();
    assertThat(content).anySatisfy(c -> assertThat(c).isInstanceOf(ImageContent.class));
    Pattern label = Pattern.compile("\\[page (\\d+), turns \\d+-\\d+, sent as \\w+ at (\\d+) px,"
        + " (\\d+) tokens for gpt-4o\\]");
    int images = 0;
    for (int i = 0; i < content.size(); i++) {
      if (content.get(i) instanceof ImageContent image) {
        images++;
        Matcher m = label.matcher(((TextContent) content.get(i - 1)).text());
        assertThat(m.matches()).as(((TextContent) content.get(i - 1)).text()).isTrue();
        assertThat(image.mimeType()).isEqualTo("image/png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(
            Base64.getDecoder().decode(image.data())));
        assertThat(Math.max(png.getWidth(), png.getHeight()))
            .isEqualTo(Integer.parseInt(m.group(2)));
      }
    }
    assertThat(((TextContent) content.get(0)).text()).contains("for gpt-4o at a budget of 2000"
        + " tokens").contains(images > 0 ? "image)" : "");
  }

  @Test
  void pin_and_unpin_say_what_changed() {
    assertThat(text(tool("pin", "conversation", "c", "turn", 10))).isEqualTo("Turn 10 pinned.");
    assertThat(text(tool("pin", "conversation", "c", "turn", 10)))
        .isEqualTo("Turn 10 was already pinned.");
    assertThat(text(tool("unpin", "conversation", "c", "turn", 10))).isEqualTo("Turn 10 unpinned.");
  }

  @Test
  void stats_counts_the_turns_and_the_pages_at_each_tier() {
    String json = text(tool("stats", "conversation", "c"));
    assertThat(json).contains("\"turns\":300").contains("\"pagesByTier\":{\"TEXT\":");
  }

  @Test
  void forget_needs_the_conversation_id_as_confirmation() {
    tool("remember", "conversation", "doomed", "text", "Forget me.");
    CallToolResult refused = tool("forget", "conversation", "doomed", "confirm", "yes");
    assertThat(refused.isError()).isTrue();
    assertThat(text(refused)).isEqualTo("forget: confirm must equal the conversation id doomed,"
        + " but is: yes");
    assertThat(text(tool("forget", "conversation", "doomed", "confirm", "doomed")))
        .isEqualTo("Conversation doomed forgotten.");
    assertThat(text(tool("recall", "conversation", "doomed", "query", "forget")))
        .startsWith("Nothing is remembered");
  }

  @Test
  void keeps_conversations_apart() {
    assertThat(text(tool("recall", "conversation", "other", "query", "locker code")))
        .doesNotContain("4417");
    assertThat(text(tool("recall", "conversation", "c", "query", "violin lesson")))
        .doesNotContain("room 8");
  }

  @Test
  void serves_page_images_and_figures_as_resources() throws Exception {
    String catalogue = ((TextResourceContents) client.readResource(
        new ReadResourceRequest("optical-memory://conversations")).contents().get(0)).text();
    Matcher m = Pattern.compile("\"uri\":\"(optical-memory://c/pages/(\\d+))\",\"tier\":\"(\\w+)\"")
        .matcher(catalogue);
    assertThat(m.find()).as(catalogue).isTrue();
    BlobResourceContents page = (BlobResourceContents) client.readResource(
        new ReadResourceRequest(m.group(1))).contents().get(0);
    assertThat(page.mimeType()).isEqualTo("image/png");
    assertThat(page.meta()).containsEntry("tier", m.group(3));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(page.blob())));
    assertThat(png.getWidth()).isGreaterThanOrEqualTo(512);
    String stats = ((TextResourceContents) client.readResource(
        new ReadResourceRequest("optical-memory://other/stats")).contents().get(0)).text();
    assertThat(stats).contains("\"turns\":5");
    assertThat(client.listResourceTemplates().resourceTemplates())
        .extracting(McpSchema.ResourceTemplate::uriTemplate)
        .contains("optical-memory://{conversation}/pages/{page}",
            "optical-memory://{conversation}/stats");
  }

  @Test
  void a_missing_page_is_a_resource_error_naming_it() {
    assertThatThrownBy(() -> client.readResource(
        new ReadResourceRequest("optical-memory://c/pages/99999")))
        .isInstanceOf(McpError.class).hasMessageContaining("conversation c has no page 99999");
    assertThat(client.ping()).isNotNull();
  }

  @Test
  void a_bad_argument_is_an_error_result_naming_it_and_the_server_keeps_serving() {
    assertThat(text(tool("recall", "conversation", "c", "query", "x", "k", 50)))
        .isEqualTo("recall: k must be between 1 and 20, but is: 50");
    assertThat(text(tool("recall", "conversation", "c", "query", "x", "k", "five")))
        .contains("k").contains("five");
    assertThat(text(tool("recall", "conversation", "c"))).contains("query");
    assertThat(text(tool("recall", "conversation", "c", "query", "x", "colour", "red")))
        .contains("colour");
    assertThat(text(tool("context", "conversation", "c", "budget", 2_000, "reader", "hal")))
        .contains("reader").contains("hal");
    assertThat(tool("recall", "conversation", "c", "query", "locker").isError()).isFalse();
  }

  @Test
  void an_unknown_tool_is_an_error_and_the_server_keeps_serving() {
    assertThatThrownBy(() -> client.callTool(call("summon", Map.of())))
        .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool")
        .satisfies(e -> assertThat(String.valueOf(((McpError) e).getJsonRpcError().data()))
            .contains("summon"));
    assertThat(tool("stats", "conversation", "c").isError()).isFalse();
  }
}
