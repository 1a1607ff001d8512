package dev.opticalmemory.memory.springai;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.ToolText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * Recall, read and remember as Spring AI tools, for a {@code ChatClient}'s
 * {@code defaultTools(...)}. The conversation comes from the tool context's {@link
 * ChatMemory#CONVERSATION_ID}, which {@link OpticalMemoryAdvisor} puts there. Recall leaves out the
 * turns the model already sees as text. Each answer is bounded (at most 20 turns), and an error is
 * a sentence the model can act on, never an exception mid-chat.
 */
public final class OpticalMemoryTools {
  /** The most turns one read gives back. */
  public static final int MAX_TURNS = 20;

  private final OpticalMemory memory;
  private final OpticalSpringChatMemory shown;
  private final int k;

  /**
   * Tools on the memory behind {@code chatMemory}, leaving out what it last sent as text.
   *
   * @param chatMemory the chat memory the advisor uses
   * @param k passages a recall returns, 1 to 20
   */
  public OpticalMemoryTools(OpticalSpringChatMemory chatMemory, int k) {
    this.shown = Objects.requireNonNull(chatMemory, "chatMemory");
    this.memory = chatMemory.memory();
    if (k < 1 || k > MAX_TURNS) {
      throw new IllegalArgumentException("k must be between 1 and 20, but is: " + k);
    }
    this.k = k;
  }

  /**
   * Reads back the exact words of earlier parts of the conversation.
   *
   * @param keywords what to look for
   * @param context the tool context, with the conversation id
   * @return the passages found, as text
   */
  @Tool(description = "Reads back the exact words of earlier parts of this conversation, including"
      + " those shown only as page images or no longer shown at all. Give a few distinctive"
      + " keywords.")
  public String recall(@ToolParam(description = "a few distinctive keywords of what to recall,"
      + " such as names, numbers or places") String keywords, ToolContext context) {
    String conversation = conversation(context);
    if (conversation == null) {
      return noConversation();
    }
    if (!memory.operations().contains(conversation)) {
      return "Nothing is remembered in this conversation yet.";
    }
    Set<Integer> leaveOut = new HashSet<>(shown.shownTurns(conversation));
    List<Recollection> found;
    try {
      found = memory.recall(conversation, RecallRequest.of(keywords).k(k).leaveOut(leaveOut));
    } catch (IllegalArgumentException e) {
      return "Cannot search for that: " + e.getMessage();
    }
    List<Recollection> matching = found.stream()
        .filter(r -> r.turns().stream().anyMatch(RecalledTurn::match)).toList();
    if (matching.isEmpty()) {
      return "Nothing in the memory matches: " + keywords;
    }
    return ToolText.recollections(matching, t -> false);
  }

  /**
   * Reads turns of a page back exactly.
   *
   * @param page the page number, as labelled
   * @param fromTurn the first turn
   * @param count how many turns, 1 to 20, or null for 10
   * @param context the tool context, with the conversation id
   * @return the turns, as text
   */
  @Tool(description = "Reads back, exactly, turns of an earlier page of this conversation. Page"
      + " images are labelled 'page N, turns A-B' (where a turn on a page starts with a number,"
      + " that is its turn number); give the page and the first turn to read.")
  public String read(@ToolParam(description = "the page number, as labelled") int page,
      @ToolParam(description = "the first turn to read, within the page's turns") int fromTurn,
      @ToolParam(description = "how many turns to read, 1 to 20 (default 10)", required = false)
      Integer count, ToolContext context) {
    String conversation = conversation(context);
    if (conversation == null) {
      return noConversation();
    }
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

  /**
   * Pins the turns that match, so that they stay sharp.
   *
   * @param what the distinctive words of what to keep
   * @param context the tool context, with the conversation id
   * @return which turns were pinned
   */
  @Tool(description = "Keeps part of this conversation sharp in memory for the long term: a fact"
      + " the user will need again (a code, a date, an allergy, a name). Give its distinctive"
      + " words.")
  public String remember(@ToolParam(description = "the distinctive words of what to keep, such as"
      + " the code, name or date") String what, ToolContext context) {
    String conversation = conversation(context);
    if (conversation == null) {
      return noConversation();
    }
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
    List<Integer> turns = new ArrayList<>();
    found.get(0).turns().stream().filter(RecalledTurn::match).forEach(t -> turns.add(t.turn()));
    int pinned = 0;
    for (int turn : turns) {
      if (memory.pin(conversation, turn)) {
        pinned++;
      }
    }
    return turns.isEmpty() ? "Nothing in the conversation matches: " + what
        : "Kept sharp: turn" + (turns.size() == 1 ? " " : "s ")
            + turns.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " ("
            + (pinned == 0 ? "already pinned" : pinned + " newly pinned") + ").";
  }

  private static String conversation(ToolContext context) {
    Object id = context == null ? null : context.getContext().get(ChatMemory.CONVERSATION_ID);
    return id == null ? null : id.toString();
  }

  private static String noConversation() {
    return "Cannot use the memory: no conversation id in the tool context (add"
        + " OpticalMemoryAdvisor to the ChatClient, or give toolContext(ChatMemory.CONVERSATION_ID,"
        + " id))";
  }
}
