package dev.opticalmemory.memory.langchain4j;

import dev.opticalmemory.memory.RecallRequest;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Recollection;
import java.util.List;
import java.util.Objects;

/**
 * A tool an agent calls to say "keep this sharp": it pins the turns that best match the words it
 * is given ({@link OpticalMemory#pin}), so that their page never blurs below BASE nor is forgotten
 * and the context assembler gives it up last. Register it beside the {@link RecallTool}:
 * {@code AiServices.builder(...).tools(new RecallTool(memory), new RememberTool(memory))}.
 */
public final class RememberTool {
  private final OpticalMemory memory;

  /**
   * A tool over this memory.
   *
   * @param memory the memory the assistant's chats are kept in
   */
  public RememberTool(OpticalMemory memory) {
    this.memory = Objects.requireNonNull(memory, "memory");
  }

  /**
   * The tool the model calls: pins the turns of the caller's conversation that best match.
   *
   * @param memoryId the chat memory id ({@code @MemoryId}), which is the conversation
   * @param what words of what to keep
   * @return which turns were pinned, or a sentence saying nothing matched
   */
  @Tool("Keeps part of this conversation sharp in memory for the long term: a fact the user will"
      + " need again (a code, a date, an allergy, a name). Give its distinctive words.")
  public String remember(@ToolMemoryId Object memoryId,
      @P("the distinctive words of what to keep, such as the code, name or date") String what) {
    String conversation = String.valueOf(memoryId);
    if (!memory.operations().contains(conversation)) {
      return "Nothing is in this conversation yet to remember.";
    }
    List<Recollection> found;
    try {
      found = memory.recall(conversation, RecallRequest.of(what).k(1));
    } catch (IllegalArgumentException e) {
      return "Cannot search for that: " + e.getMessage();
    }
    if (found.isEmpty()) {
      return "Nothing in the conversation matches: " + what;
    }
    Recollection best = found.get(0);
    List<Integer> turns = new java.util.ArrayList<>();
    best.turns().stream().filter(RecalledTurn::match).forEach(t -> turns.add(t.turn()));
    if (turns.isEmpty()) {
      best.turns().forEach(t -> turns.add(t.turn()));
    }
    int pinned = 0;
    for (int turn : turns) {
      if (memory.pin(conversation, turn)) {
        pinned++;
      }
    }
    return "Kept sharp: turn" + (turns.size() == 1 ? " " : "s ")
        + turns.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
        + " (" + (pinned == 0 ? "already pinned" : pinned + " newly pinned") + ").";
  }
}
