package dev.opticalmemory.mcp;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.renderer.FontSet;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The memories and calls the tests share. */
final class Fixtures {
  /** Ages quickly, so that 300 turns rest at every tier. */
  static final AgingPolicy AGING = AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000);

  private Fixtures() {}

  /** A memory on an H2 file whose background work runs on each append. */
  static OpticalMemory memory(Path db) {
    return OpticalMemory.builder().path(db).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .decodeInBackground(false)
        .agingPolicy(AGING).build();
  }

  /** The harbour conversation's turns (a locker code planted at turn 3). */
  static List<MemoryTurn> harbour(int turns) {
    return Conversations.harbour(turns, 7);
  }

  static CallToolRequest call(String tool, Map<String, Object> args) {
    return new CallToolRequest(tool, args);
  }

  /** A result's text parts, joined. */
  static String text(CallToolResult result) {
    return result.content().stream().filter(c -> c instanceof TextContent)
        .map(c -> ((TextContent) c).text()).collect(Collectors.joining("\n"));
  }
}
