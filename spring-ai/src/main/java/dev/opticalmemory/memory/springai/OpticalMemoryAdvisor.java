package dev.opticalmemory.memory.springai;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.AdvisorChain;
import org.springframework.ai.chat.client.advisor.api.BaseAdvisor;
import org.springframework.ai.chat.client.advisor.api.BaseChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.scheduler.Scheduler;

/**
 * Gives a {@code ChatClient} the optical memory in one line:
 *
 * <pre>{@code
 * ChatClient.builder(model)
 *     .defaultAdvisors(OpticalMemoryAdvisor.builder(memory).budget(8000).build())
 * }</pre>
 *
 * <p>Before each call it puts the conversation's memory in front of the prompt, within the budget
 * left after the prompt's own messages (priced for the reader), with the pages that match the
 * user's message kept sharper, and keeps the user's message; after the call it keeps the reply. The
 * conversation id comes from the advisor context ({@link ChatMemory#CONVERSATION_ID}), as Spring
 * AI's own memory advisors take it, or else from {@link Builder#conversationId}. It also puts the id
 * in the tool context, where {@link OpticalMemoryTools} finds it.
 */
public final class OpticalMemoryAdvisor implements BaseChatMemoryAdvisor {
  private final OpticalSpringChatMemory chatMemory;
  private final String defaultConversation;
  private final int order;
  private final Scheduler scheduler;

  private OpticalMemoryAdvisor(Builder b) {
    this.chatMemory = b.chatMemory != null ? b.chatMemory : b.settings.build();
    this.defaultConversation = b.conversationId;
    this.order = b.order;
    this.scheduler = b.scheduler;
  }

  /**
   * Settings for an advisor on {@code memory}.
   *
   * @param memory the memory, which stays the caller's to close
   * @return a builder with budget 8,000 and DeepSeek-OCR's reader
   */
  public static Builder builder(OpticalMemory memory) {
    return new Builder(OpticalSpringChatMemory.builder(memory), null);
  }

  /**
   * Settings for an advisor on a chat memory already configured.
   *
   * @param chatMemory the chat memory, whose budget and reader the advisor uses
   * @return a builder
   */
  public static Builder builder(OpticalSpringChatMemory chatMemory) {
    Objects.requireNonNull(chatMemory, "chatMemory");
    return new Builder(null, chatMemory);
  }

  /**
   * The chat memory behind this advisor.
   *
   * @return the chat memory
   */
  public OpticalSpringChatMemory chatMemory() {
    return chatMemory;
  }

  @Override
  public int getOrder() {
    return order;
  }

  @Override
  public Scheduler getScheduler() {
    return scheduler;
  }

  @Override
  public String getConversationId(Map<String, Object> context) {
    Object id = context.get(ChatMemory.CONVERSATION_ID);
    if (id == null && defaultConversation == null) {
      throw new IllegalArgumentException("no conversation id: give it with"
          + " .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, id)) or"
          + " OpticalMemoryAdvisor.builder(memory).conversationId(id)");
    }
    return id == null ? defaultConversation : id.toString();
  }

  @Override
  public ChatClientRequest before(ChatClientRequest request, AdvisorChain chain) {
    String conversation = getConversationId(request.context());
    Prompt prompt = request.prompt();
    List<Message> instructions = prompt.getInstructions();
    boolean promptHasSystem = instructions.stream().anyMatch(m -> m instanceof SystemMessage);
    VisionReader reader = chatMemory.reader();
    int promptCost = 0;
    for (Message m : instructions) {
      promptCost += price(reader, m);
    }
    String question = prompt.getUserMessage().getText();
    int left = chatMemory.budget() - promptCost;
    List<Message> memory = left < 1 ? List.of()
        : chatMemory.get(conversation, left, question == null ? "" : question);
    List<Message> messages = new ArrayList<>();
    Message system = null;
    for (Message m : memory) {
      if (m instanceof SystemMessage) {
        if (!promptHasSystem) {
          system = m;
        }
      } else {
        messages.add(m);
      }
    }
    for (Message m : instructions) {
      if (m instanceof SystemMessage && system == null) {
        system = m;
      } else {
        messages.add(m);
      }
    }
    if (system != null) {
      messages.add(0, system);
    }
    Prompt.Builder advised = prompt.mutate().messages(messages);
    ChatOptions options = prompt.getOptions();
    if (options instanceof ToolCallingChatOptions tools && (tools.getToolContext() == null
        || !tools.getToolContext().containsKey(ChatMemory.CONVERSATION_ID))) {
      advised.chatOptions(tools.mutate().toolContext(ChatMemory.CONVERSATION_ID, conversation)
          .build());
    }
    ChatClientRequest out = request.mutate().prompt(advised.build()).build();
    chatMemory.add(conversation, out.prompt().getLastUserOrToolResponseMessage());
    return out;
  }

  @Override
  public ChatClientResponse after(ChatClientResponse response, AdvisorChain chain) {
    if (response.chatResponse() != null) {
      List<Message> replies = new ArrayList<>();
      response.chatResponse().getResults().forEach(g -> replies.add(g.getOutput()));
      chatMemory.add(getConversationId(response.context()), replies);
    }
    return response;
  }

  /** A prompt message's price for the reader: its text, and each image by its size. */
  static int price(VisionReader reader, Message m) {
    int tokens = reader.textCounter().count(Objects.toString(m.getText(), ""));
    if (m instanceof UserMessage user) {
      for (Media media : user.getMedia()) {
        int[] size = media.getData() instanceof byte[] bytes ? SpringTurns.imageSize(bytes) : null;
        tokens += size == null ? reader.largestImageTokens()
            : reader.price(size[0], size[1], Detail.HIGH).tokens();
      }
    }
    return tokens;
  }

  /** Settings; validated as they are given. */
  public static final class Builder {
    /** The chat memory's settings, when the advisor makes its own; null when it was given one. */
    private final OpticalSpringChatMemory.Builder settings;
    private final OpticalSpringChatMemory chatMemory;
    private String conversationId;
    private int order = Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER;
    private Scheduler scheduler = BaseAdvisor.DEFAULT_SCHEDULER;

    private Builder(OpticalSpringChatMemory.Builder settings, OpticalSpringChatMemory chatMemory) {
      this.settings = settings;
      this.chatMemory = chatMemory;
    }

    /**
     * The most tokens a request may spend on the prompt and the memory together (default 8,000).
     *
     * @param tokens 1 to 10,000,000
     * @return this builder
     * @throws IllegalStateException if the builder was given a chat memory (it has its budget)
     */
    public Builder budget(int tokens) {
      mine("budget").budget(tokens);
      return this;
    }

    /**
     * The reader whose prices the budget is counted in (default DeepSeek-OCR's).
     *
     * @param reader a reader
     * @return this builder
     */
    public Builder reader(VisionReader reader) {
      mine("reader").reader(reader);
      return this;
    }

    /**
     * The conversation used when the advisor context names none.
     *
     * @param conversationId not blank
     * @return this builder
     */
    public Builder conversationId(String conversationId) {
      if (conversationId == null || conversationId.isBlank()) {
        throw new IllegalArgumentException("conversationId must not be blank, but is: "
            + conversationId);
      }
      this.conversationId = conversationId;
      return this;
    }

    /**
     * The advisor's place in the chain.
     *
     * @param order as Spring's {@code Ordered}
     * @return this builder
     */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * Where streaming calls run the memory's blocking work.
     *
     * @param scheduler a scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    private OpticalSpringChatMemory.Builder mine(String setting) {
      if (settings == null) {
        throw new IllegalStateException(setting + " is the chat memory's: set it on"
            + " OpticalSpringChatMemory.builder");
      }
      return settings;
    }

    /**
     * The advisor.
     *
     * @return an advisor
     */
    public OpticalMemoryAdvisor build() {
      return new OpticalMemoryAdvisor(this);
    }
  }
}
