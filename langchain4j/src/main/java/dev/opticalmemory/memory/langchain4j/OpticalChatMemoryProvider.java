package dev.opticalmemory.memory.langchain4j;

import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.context.VisionReader;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OpticalChatMemory} per {@code @MemoryId}, all in one {@link OpticalMemory}, for
 * {@code AiServices.builder(...).chatMemoryProvider(...)}:
 *
 * <pre>{@code
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(model)
 *     .chatMemoryProvider(OpticalChatMemoryProvider.of(memory, 8_000, VisionReader.openAi()))
 *     .tools(new RecallTool(memory))
 *     .build();
 * }</pre>
 *
 * <p>Chat memories are made on first use and kept for the provider's life; their conversations,
 * system messages included, live in the memory and survive restarts.
 */
public final class OpticalChatMemoryProvider implements ChatMemoryProvider {
  private final OpticalMemory memory;
  private final java.util.function.UnaryOperator<OpticalChatMemory.Builder> settings;
  private final Map<Object, OpticalChatMemory> memories = new ConcurrentHashMap<>();

  private OpticalChatMemoryProvider(OpticalMemory memory,
      java.util.function.UnaryOperator<OpticalChatMemory.Builder> settings) {
    this.memory = Objects.requireNonNull(memory, "memory");
    this.settings = Objects.requireNonNull(settings, "settings");
    // Validate once, here, rather than on the first chat.
    build("check");
  }

  private OpticalChatMemory build(Object id) {
    OpticalChatMemory.Builder builder = settings.apply(OpticalChatMemory.builder());
    if (builder == null) {
      throw new IllegalArgumentException("settings must return the builder it was given, but"
          + " returned null");
    }
    return builder.id(id).memory(memory).build();
  }

  /**
   * Chat memories with whatever settings {@code settings} gives their builder (the id and the
   * memory are set here), for example
   * {@code of(memory, b -> b.budget(8_000).reader(VisionReader.openAi()).maxRequestBytes(1_000_000))}.
   *
   * @param memory the memory the chats are kept in
   * @param settings sets the budget (required) and any other setting on the builder it is given,
   *     and returns it
   * @return the provider
   * @throws IllegalArgumentException if the settings leave out the budget or give an invalid one
   */
  public static OpticalChatMemoryProvider of(OpticalMemory memory,
      java.util.function.UnaryOperator<OpticalChatMemory.Builder> settings) {
    return new OpticalChatMemoryProvider(memory, settings);
  }

  /**
   * Chat memories with {@code budget} tokens for {@code reader}, keeping the newest 4 turns.
   *
   * @param memory the memory the chats are kept in
   * @param budget the most tokens a request's messages may cost the reader
   * @param reader the model that reads them
   * @return the provider
   */
  public static OpticalChatMemoryProvider of(OpticalMemory memory, int budget, VisionReader reader) {
    return of(memory, budget, reader, 4);
  }

  /**
   * The same, keeping the newest {@code recentTurnsFloor} turns as text.
   *
   * @param memory the memory the chats are kept in
   * @param budget the most tokens a request's messages may cost the reader
   * @param reader the model that reads them
   * @param recentTurnsFloor the newest turns always kept as text
   * @return the provider
   */
  public static OpticalChatMemoryProvider of(OpticalMemory memory, int budget, VisionReader reader,
      int recentTurnsFloor) {
    Objects.requireNonNull(reader, "reader");
    return new OpticalChatMemoryProvider(memory,
        b -> b.budget(budget).reader(reader).recentTurnsFloor(recentTurnsFloor));
  }

  /**
   * The turns, by number, that the chat memory of {@code memoryId} last showed the model as text
   * (the message being answered included); empty before its first context. {@link RecallTool}
   * leaves them out, since the agent already sees them.
   *
   * @param memoryId the chat memory id
   * @return the turn numbers
   */
  public java.util.Set<Integer> shownTurns(Object memoryId) {
    OpticalChatMemory chat = memories.get(memoryId);
    var context = chat == null ? null : chat.lastContext();
    if (context == null) {
      return java.util.Set.of();
    }
    java.util.Set<Integer> shown = new java.util.HashSet<>();
    context.texts().forEach(item -> shown.add(item.turnNumber()));
    return java.util.Set.copyOf(shown);
  }

  @Override
  public ChatMemory get(Object memoryId) {
    Objects.requireNonNull(memoryId, "memoryId");
    return memories.computeIfAbsent(memoryId, this::build);
  }
}
