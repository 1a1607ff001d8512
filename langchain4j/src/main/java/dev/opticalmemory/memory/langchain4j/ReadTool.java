package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.ToolText;
import java.util.Objects;

/**
 * A tool an agent calls to read back exactly what it half-sees on a page image: the turns of a
 * page from a turn on, by the numbers {@link OpticalChatMemory} writes before each page. Register
 * it beside the {@link RecallTool}: {@code AiServices.builder(...).tools(new ReadTool(memory),
 * new RecallTool(memory))}; the conversation is the chat memory's id.
 */
public final class ReadTool {
  /** The most turns one call reads. */
  public static final int MAX_TURNS = 20;

  private final OpticalMemory memory;

  /**
   * A tool over the memory the assistant's chats are kept in.
   *
   * @param memory the memory
   */
  public ReadTool(OpticalMemory memory) {
    this.memory = Objects.requireNonNull(memory, "memory");
  }

  /**
   * The tool the model calls: up to {@value #MAX_TURNS} turns of one page, as written where the
   * memory keeps them, else as the page decodes (said so, with its word accuracy); a page or turn
   * out of range is one sentence naming the range.
   *
   * @param memoryId the chat memory id ({@code @MemoryId}), which is the conversation
   * @param page the page's number, as labelled before its image
   * @param fromTurn the first turn to read
   * @param count how many turns, 1 to {@value #MAX_TURNS}; null for 10
   * @return the turns as text for the model, or a sentence saying why nothing was read
   */
  @Tool("Reads back, exactly, turns of an earlier page of this conversation. Pages shown as images"
      + " are labelled 'page N, turns A-B' (where a turn on a page starts with a number, that is"
      + " its turn number); give the page and the first turn to read.")
  public String read(@ToolMemoryId Object memoryId,
      @P("the page number, as labelled before the page image") int page,
      @P("the first turn to read, within the page's turns") int fromTurn,
      @P(value = "how many turns to read, 1 to 20 (default 10)", required = false) Integer count) {
    String conversation = String.valueOf(memoryId);
    if (!memory.operations().contains(conversation)) {
      return "Nothing is remembered in this conversation yet.";
    }
    int n = count == null ? 10 : count;
    if (n < 1 || n > MAX_TURNS) {
      return "Cannot read that: count must be between 1 and " + MAX_TURNS + ", but is: " + n;
    }
    try {
      return ToolText.read(memory, conversation, page, fromTurn, n);
    } catch (IllegalArgumentException e) {
      return "Cannot read that: " + e.getMessage();
    }
  }
}
