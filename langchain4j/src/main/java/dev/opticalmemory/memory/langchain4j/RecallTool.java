package dev.opticalmemory.memory.langchain4j;

import dev.opticalmemory.memory.RecallRequest;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.ToolText;
import java.util.List;
import java.util.Objects;

/**
 * A tool an agent calls to read the exact words of old turns back: the memory's recall, which
 * decodes the matching lines of aged pages with its OCR engine. Register it with
 * {@code AiServices.builder(...).tools(new RecallTool(memory))}; the conversation is the chat
 * memory's id ({@code @MemoryId}, or "default" without one).
 */
public final class RecallTool {
  private final OpticalMemory memory;
  private final int k;
  private final OpticalChatMemoryProvider shown;

  /**
   * A tool that returns up to 3 passages and leaves nothing out.
   *
   * @param memory the memory the assistant's chats are kept in
   */
  public RecallTool(OpticalMemory memory) {
    this(memory, 3);
  }

  /**
   * A tool that leaves nothing out.
   *
   * @param memory the memory the assistant's chats are kept in
   * @param k how many passages at most, 1 to 20
   */
  public RecallTool(OpticalMemory memory, int k) {
    this(memory, k, null);
  }

  /**
   * A tool that leaves out what the agent already sees: the turns the provider's chat memory last
   * showed as text, the question being answered included, so that recall returns old turns
   * rather than the question itself.
   *
   * @param memory the memory the assistant's chats are kept in
   * @param k how many passages at most, 1 to 20
   * @param shown the provider of the assistant's chat memories, or null to leave nothing out
   */
  public RecallTool(OpticalMemory memory, int k, OpticalChatMemoryProvider shown) {
    this.memory = Objects.requireNonNull(memory, "memory");
    if (k < 1 || k > 20) {
      throw new IllegalArgumentException("k must be between 1 and 20, but is: " + k);
    }
    this.k = k;
    this.shown = shown;
  }

  /**
   * The tool the model calls: the turns of the caller's conversation that match, best first by
   * page, each with its neighbours, its number and when it was said, under the page's tier.
   *
   * @param memoryId the chat memory id ({@code @MemoryId}), which is the conversation
   * @param keywords what the model asks for
   * @return the passages as text for the model, or a sentence saying nothing matched
   */
  @Tool("Reads back the exact words of earlier parts of this conversation, including those shown"
      + " only as page images or no longer shown at all. Give a few distinctive keywords.")
  public String recall(@ToolMemoryId Object memoryId,
      @P("a few distinctive keywords of what to recall, such as names, numbers or places")
      String keywords) {
    String conversation = String.valueOf(memoryId);
    if (!memory.operations().contains(conversation)) {
      return "Nothing is remembered in this conversation yet.";
    }
    java.util.Set<Integer> leaveOut = new java.util.HashSet<>(currentExchange(conversation));
    if (shown != null) {
      leaveOut.addAll(shown.shownTurns(memoryId));
    }
    List<Recollection> found = new java.util.ArrayList<>();
    try {
      // Asks for more than k: passages whose only matches are earlier recalls are dropped below.
      for (Recollection r : memory.recall(conversation, RecallRequest.of(keywords).k(Math.min(40, 2 * k)).leaveOut(leaveOut))) {
        if (found.size() < k && r.turns().stream().anyMatch(t -> t.match() && !ownCall(t))) {
          found.add(r);
        }
      }
    } catch (IllegalArgumentException e) {
      return "Cannot search for that: " + e.getMessage();
    }
    if (found.isEmpty()) {
      return "Nothing in the memory matches: " + keywords;
    }
    return ToolText.recollections(found, RecallTool::ownCall);
  }

  /** A turn that is a call of this tool or its result: the agent's own search, not a memory. */
  private static boolean ownCall(RecalledTurn t) {
    String text = t.text().strip();
    return text.startsWith("Assistant: [calls recall ") || text.startsWith("Tool recall:");
  }

  /**
   * The turns of the exchange being answered: from the newest user turn to the end (the question
   * and the tool calls after it), which the model already sees; at most 64 turns back.
   */
  private java.util.Set<Integer> currentExchange(String conversation) {
    java.util.Set<Integer> turns = new java.util.HashSet<>();
    List<dev.opticalmemory.memory.Segment> segments = memory.segments(conversation);
    for (int si = segments.size() - 1; si >= 0 && turns.size() < 64; si--) {
      dev.opticalmemory.memory.Segment s = segments.get(si);
      List<dev.opticalmemory.memory.MemoryTurn> stored = memory.operations().turns(conversation, s.id());
      if (stored.isEmpty()) {
        break;
      }
      for (int i = stored.size() - 1; i >= 0 && turns.size() < 64; i--) {
        turns.add(s.firstTurn() + i);
        if (stored.get(i).role() == dev.opticalmemory.memory.Role.USER) {
          return turns;
        }
      }
    }
    return turns;
  }
}
