package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.HuggingFaceTokenCounter;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.ContextBudgetException;
import dev.opticalmemory.memory.context.ContextChoice;
import dev.opticalmemory.memory.context.ContextItem;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.Spending;
import dev.opticalmemory.memory.context.VisionReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code context}: what a reader would be shown of a conversation within a budget, and its cost. */
@Command(name = "context", mixinStandardHelpOptions = true,
    description = "Fits a conversation into a reader's token budget (recent turns as text, older "
        + "pages as images) and explains each item and its cost.")
final class ContextCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoredConversation conversation;

  @Option(names = "--budget", required = true, paramLabel = "N", description = "Token budget, at least 1.")
  int budget;

  @Option(names = "--reader", required = true, paramLabel = "NAME",
      description = "The model and server that reads the context, e.g. deepseek-ocr,"
          + " deepseek-ocr:gundam, gpt-4o, gpt-5.4, claude, gemini-3, qwen2.5-vl (an unknown name"
          + " lists them all), or a calibrated profile's .properties file.")
  String reader;

  @Option(names = "--floor", defaultValue = "4", paramLabel = "N",
      description = "Newest turns always kept as text. Default: ${DEFAULT-VALUE}.")
  int floor;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "Count text with this Hugging "
      + "Face tokenizer.json (e.g. DeepSeek's) instead of o200k; fullTextTokens stays the memory's count.")
  Path tokenizer;

  /** What {@code --json} prints, as the help and the README show it (CliPromisesTest checks). */
  static final String JSON_SHAPE = "{\"reader\", \"budget\", \"totalTokens\", \"textTokens\","
      + " \"imageTokens\", \"fullTextTokens\", \"compression\", \"degraded\", \"omitted\","
      + " \"turns\", \"coveredTurns\", \"requestBytes\", \"items\": [{\"kind\", \"segment\","
      + " \"tier\", \"tokens\", \"bytes\","
      + " then \"turn\" for text or \"storedTier\", \"side\", \"detail\" for images}],"
      + " \"choices\": [{\"segment\", \"storedTier\", \"sentTier\", \"reason\"}]}";

  @Option(names = "--spending", defaultValue = "importance", paramLabel = "RULE",
      description = "How pages get cheaper to fit: importance (the least value lost per token"
          + " saved, pinned pages last) or recency (oldest first). Default: ${DEFAULT-VALUE}.")
  String spending;

  @Option(names = "--max-request-bytes", paramLabel = "BYTES", description = "The most bytes the"
      + " request may weigh, text in UTF-8 and pages as base64 PNG; pages step down a tier or"
      + " leave, the least value lost per byte first. Default: the reader's published limit"
      + " (none for self-hosted servers).")
  Long maxRequestBytes;

  @Option(names = "--json", description = "Prints " + JSON_SHAPE + ".")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VisionReader r;
    ContextAssembler.Builder builder;
    try {
      r = VisionReader.named(reader);
      builder = ContextAssembler.builder().recentTurnsFloor(floor);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--reader/--floor: " + e.getMessage(), e);
    }
    try {
      builder.spending(Spending.valueOf(spending.toUpperCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--spending must be importance or recency, but is: " + spending, e);
    }
    if (budget < 1) {
      throw CliException.usage("--budget must be at least 1, but is: " + budget);
    }
    if (maxRequestBytes != null) {
      try {
        builder.maxRequestBytes(maxRequestBytes);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--max-request-bytes: " + e.getMessage(), e);
      }
    }
    HuggingFaceTokenCounter counter = null;
    if (tokenizer != null) {
      try {
        counter = TokenCounter.huggingFace(tokenizer);
      } catch (IllegalArgumentException e) {
        throw new CliException("--tokenizer: " + e.getMessage(), e);
      }
      r = r.withTextCounter(counter);
    }
    builder.reader(r);
    try (HuggingFaceTokenCounter closeMe = counter;
        OpticalMemory memory = conversation.open()) {
      ContextAssembler assembler = builder.memory(memory).build();
      AssembledContext context = assembler.assemble(conversation.id, budget);
      // What each item weighs in a request: a turn's text in UTF-8, a page as base64 PNG.
      List<Long> bytes = new ArrayList<>();
      for (ContextItem item : context.items()) {
        bytes.add(item instanceof PageItem page
            ? 4L * ((assembler.png(conversation.id, page).length + 2) / 3)
            : (long) ((TextItem) item).text()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      }
      long requestBytes = bytes.stream().mapToLong(Long::longValue).sum();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(json(context, bytes, requestBytes)));
      } else {
        out.printf("%s, budget %d: %d tokens (%d text, %d image) for a conversation of %d text tokens"
            + " (%.1fx), showing %d of %d turns; %d pages sent lower, %d item%s left out;"
            + " %,d bytes to send (pages as base64 PNG)%n", r.name(),
            budget, context.totalTokens(), context.textTokens(), context.imageTokens(),
            context.fullTextTokens(), context.compression(), context.coveredTurns(), context.turns(),
            context.degraded(), context.omitted(), context.omitted() == 1 ? "" : "s", requestBytes);
        for (int n = 0; n < context.items().size(); n++) {
          ContextItem item = context.items().get(n);
          out.printf("  %-5s segment %-4d %-6s %5d tokens %8d bytes%s%n", kind(item),
              item.segmentIndex(), item.tier(), item.tokens(), bytes.get(n),
              item instanceof PageItem page
                  ? String.format("  (%d px, %s detail, stored %s)", page.side(),
                      page.detail().name().toLowerCase(), page.storedTier())
                  : "  turn " + ((TextItem) item).turnNumber());
        }
        for (ContextChoice choice : context.choices()) {
          out.printf("  why:  segment %-4d %s -> %s: %s%n", choice.segmentIndex(),
              choice.storedTier(), choice.leftOut() ? "left out" : choice.sentTier(),
              choice.reason());
        }
      }
    } catch (ContextBudgetException | IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    return 0;
  }

  static Map<String, Object> json(AssembledContext context, List<Long> bytes,
      long requestBytes) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("reader", context.reader());
    row.put("budget", context.budget());
    row.put("totalTokens", context.totalTokens());
    row.put("textTokens", context.textTokens());
    row.put("imageTokens", context.imageTokens());
    row.put("fullTextTokens", context.fullTextTokens());
    row.put("compression", Math.round(context.compression() * 100) / 100.0);
    row.put("degraded", context.degraded());
    row.put("omitted", context.omitted());
    row.put("turns", context.turns());
    row.put("coveredTurns", context.coveredTurns());
    row.put("requestBytes", requestBytes);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int n = 0; n < context.items().size(); n++) {
      ContextItem item = context.items().get(n);
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("kind", kind(item));
      i.put("segment", item.segmentIndex());
      i.put("tier", item.tier().name());
      i.put("tokens", item.tokens());
      i.put("bytes", bytes.get(n));
      if (item instanceof TextItem text) {
        i.put("turn", text.turnNumber());
      }
      if (item instanceof PageItem page) {
        i.put("storedTier", page.storedTier().name());
        i.put("side", page.side());
        i.put("detail", page.detail().name().toLowerCase());
      }
      items.add(i);
    }
    row.put("items", items);
    List<Map<String, Object>> choices = new ArrayList<>();
    for (ContextChoice choice : context.choices()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("segment", choice.segmentIndex());
      c.put("storedTier", choice.storedTier().name());
      c.put("sentTier", choice.leftOut() ? null : choice.sentTier().name());
      c.put("reason", choice.reason());
      choices.add(c);
    }
    row.put("choices", choices);
    return row;
  }

  /** An item's kind as the output names it. */
  private static String kind(ContextItem item) {
    return item instanceof PageItem ? "image" : "text";
  }
}
