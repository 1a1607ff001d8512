package dev.opticalmemory.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.opticalmemory.memory.langchain4j.ReadTool;
import dev.opticalmemory.memory.langchain4j.RecallTool;
import java.io.IOException;

/** The tools {@code eval qa} offers the model, and how a call to one is answered. */
final class QaTools {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QaTools() {}

  static final ToolSpecification RECALL_SPEC = ToolSpecification.builder().name("recall")
      .description("Reads back the exact words of earlier parts of this conversation, including"
          + " those shown only as page images or no longer shown at all. Give a few distinctive"
          + " keywords.")
      .parameters(JsonObjectSchema.builder().addStringProperty("keywords", "a few distinctive"
          + " keywords of what to recall, such as names, numbers or places")
          .required("keywords").build())
      .build();

  static final ToolSpecification READ_SPEC = ToolSpecification.builder().name("read")
      .description("Reads back, exactly, turns of an earlier page of this conversation. Pages"
          + " shown as images are labelled 'page N, turns A-B'; give the page and the first turn"
          + " to read.")
      .parameters(JsonObjectSchema.builder()
          .addIntegerProperty("page", "the page number, as labelled before the page image")
          .addIntegerProperty("fromTurn", "the first turn to read, within the page's turns")
          .addIntegerProperty("count", "how many turns to read, 1 to 20 (default 10)")
          .required("page", "fromTurn").build())
      .build();

  static String run(RecallTool recall, ReadTool read, String conversation,
      ToolExecutionRequest call) {
    boolean known = "recall".equals(call.name()) || read != null && "read".equals(call.name());
    if (!known) {
      return "There is no tool named " + call.name() + "; the tools are "
          + (read == null ? "recall." : "read and recall.");
    }
    JsonNode args;
    try {
      args = JSON.readTree(call.arguments() == null ? "{}" : call.arguments());
    } catch (IOException e) {
      return "The arguments are not JSON: " + call.arguments();
    }
    if ("read".equals(call.name())) {
      if (!args.path("page").canConvertToInt() || !args.path("fromTurn").canConvertToInt()) {
        return "Give the page and the first turn to read, as numbers: " + call.arguments();
      }
      Integer count = args.path("count").canConvertToInt() ? args.path("count").asInt() : null;
      return read.read(conversation, args.path("page").asInt(), args.path("fromTurn").asInt(),
          count);
    }
    String keywords = args.path("keywords").asText("");
    if (keywords.isBlank()) {
      return "Give keywords to recall.";
    }
    return recall.recall(conversation, keywords);
  }
}
