package dev.opticalmemory.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Segment;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's resources: each page image, each conversation's figures, and a catalogue of the
 * conversations with their pages, since a template alone does not say which pages exist.
 */
final class MemoryResources {
  static final String SCHEME = "optical-memory://";
  static final String CATALOGUE = SCHEME + "conversations";
  /** The most conversations the catalogue lists; the rest are named by their count. */
  static final int MAX_LISTED = 1_000;

  private static final Pattern PAGE = Pattern.compile(
      Pattern.quote(SCHEME) + "([^/]+)/pages/([0-9]{1,9})");
  private static final Pattern STATS = Pattern.compile(Pattern.quote(SCHEME) + "([^/]+)/stats");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpticalMemory memory;
  private final ConversationScope conversations;

  MemoryResources(OpticalMemory memory, ConversationScope conversations) {
    this.memory = memory;
    this.conversations = conversations;
  }

  static String pageUri(String conversation, int page) {
    return SCHEME + encode(conversation) + "/pages/" + page;
  }

  static String statsUri(String conversation) {
    return SCHEME + encode(conversation) + "/stats";
  }

  private static String encode(String conversation) {
    return URLEncoder.encode(conversation, StandardCharsets.UTF_8).replace("+", "%20");
  }

  List<SyncResourceSpecification> resources() {
    McpSchema.Resource catalogue = McpSchema.Resource.builder().uri(CATALOGUE)
        .name("conversations").title("ConversationScope and their pages")
        .description("Each conversation with the address, tier and turns of each of its page"
            + " images (JSON).")
        .mimeType("application/json").build();
    return List.of(new SyncResourceSpecification(catalogue, (x, request) ->
        new ReadResourceResult(List.of(new TextResourceContents(CATALOGUE, "application/json",
            catalogue())))));
  }

  List<SyncResourceTemplateSpecification> templates() {
    McpSchema.ResourceTemplate page = McpSchema.ResourceTemplate.builder()
        .uriTemplate(SCHEME + "{conversation}/pages/{page}").name("page")
        .title("A page image")
        .description("A page of a conversation as stored: a PNG at its tier's size (1280, 1024,"
            + " 640 or 512 px); the tier is in the contents' _meta.")
        .mimeType("image/png").build();
    McpSchema.ResourceTemplate stats = McpSchema.ResourceTemplate.builder()
        .uriTemplate(SCHEME + "{conversation}/stats").name("stats")
        .title("A conversation's figures")
        .description("Turns, pages per tier, text tokens, bytes stored and pins (JSON).")
        .mimeType("application/json").build();
    return List.of(new SyncResourceTemplateSpecification(page, (x, request) -> page(request.uri())),
        new SyncResourceTemplateSpecification(stats, (x, request) -> stats(request.uri())));
  }

  private ReadResourceResult page(String uri) {
    Matcher m = PAGE.matcher(uri);
    if (!m.matches()) {
      throw notFound(uri, "a page's address is " + SCHEME + "CONVERSATION/pages/N");
    }
    String conversation = conversation(uri, m.group(1));
    int index = Integer.parseInt(m.group(2));
    Segment s = memory.segments(conversation).stream().filter(x -> x.index() == index)
        .findFirst().orElseThrow(() -> notFound(uri, "conversation " + conversation
            + " has no page " + index));
    byte[] png = memory.png(conversation, s.id()).orElseThrow(() -> notFound(uri, "page " + index
        + " is at tier " + s.tier() + " and has no image"));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("tier", s.tier().name());
    meta.put("firstTurn", s.firstTurn());
    meta.put("lastTurn", s.lastTurn());
    return new ReadResourceResult(List.of(new BlobResourceContents(uri, "image/png",
        Base64.getEncoder().encodeToString(png), meta)));
  }

  private ReadResourceResult stats(String uri) {
    Matcher m = STATS.matcher(uri);
    if (!m.matches()) {
      throw notFound(uri, "a conversation's figures are at " + SCHEME + "CONVERSATION/stats");
    }
    String conversation = conversation(uri, m.group(1));
    return new ReadResourceResult(List.of(new TextResourceContents(uri, "application/json",
        MemoryTools.statsJson(memory, conversation))));
  }

  private String conversation(String uri, String encoded) {
    String named;
    try {
      named = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw notFound(uri, "the conversation id is not valid percent-encoding");
    }
    String conversation = conversations.resolve(named, why -> notFound(uri, why));
    if (!memory.operations().contains(conversation)) {
      throw notFound(uri, "no conversation " + conversation + " is stored");
    }
    return conversation;
  }

  private String catalogue() {
    List<String> ids = conversations.fixed() != null ? List.of(conversations.fixed())
        : memory.conversations();
    List<Map<String, Object>> listed = new ArrayList<>();
    for (String id : ids.subList(0, Math.min(ids.size(), MAX_LISTED))) {
      if (!memory.operations().contains(id)) {
        continue;
      }
      List<Map<String, Object>> pages = new ArrayList<>();
      for (Segment s : memory.segments(id)) {
        if (s.tier().isImage()) {
          Map<String, Object> page = new LinkedHashMap<>();
          page.put("uri", pageUri(id, s.index()));
          page.put("tier", s.tier().name());
          page.put("firstTurn", s.firstTurn());
          page.put("lastTurn", s.lastTurn());
          pages.add(page);
        }
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("conversation", id);
      c.put("stats", statsUri(id));
      c.put("pages", pages);
      listed.add(c);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversations", listed);
    out.put("notListed", Math.max(0, ids.size() - MAX_LISTED));
    try {
      return JSON.writeValueAsString(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the catalogue could not be written", e);
    }
  }

  private static McpError notFound(String uri, String why) {
    return McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND)
        .message("resource " + uri + " not found: " + why).data(Map.of("uri", uri)).build();
  }
}
