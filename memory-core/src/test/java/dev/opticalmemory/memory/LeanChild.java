package dev.opticalmemory.memory;

import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.ocr.DeepSeekOcr;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link LeanClasspathTest}, run without memory-core's optional
 * dependencies: uses the Java API end to end, then each optional feature, and prints one line per
 * step ({@code OK ...} or {@code REFUSED <exception>: <message>}).
 */
public final class LeanChild {
  private LeanChild() {}

  public static void main(String[] args) {
    Path db = Path.of(args[0]);
    try (OpticalMemory memory = OpticalMemory.builder().path(db).decodeInBackground(false)
        .fonts(FontSet.latinOnly())
        .agingPolicy(AgingPolicy.byTokens(200, 400, 600, 800, Long.MAX_VALUE)).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 0)) {
        memory.append("lean", turn);
      }
      memory.operations().awaitIdle(Duration.ofMinutes(2));
      System.out.println("OK segments " + memory.segments("lean").size());
      AssembledContext context = ContextAssembler.builder().memory(memory)
          .reader(VisionReader.openAi()).build().assemble("lean", 2_000);
      System.out.println("OK context " + context.items().size() + " items, "
          + context.imageTokens() + " image tokens");
      List<Recollection> found = memory.recall("lean", RecallRequest.of("ferry").k(1));
      System.out.println("OK recall " + found.size());
    }
    step("hybrid", () -> OpticalMemory.builder().path(db.resolveSibling("hybrid"))
        .retrieval(Retrieval.HYBRID).build().close());
    step("bge", () -> Embedder.bgeSmallEnV15());
    step("e5", () -> Embedder.e5SmallV2());
    step("tokenizer", () -> TokenCounter.huggingFace(Path.of(args[1])).close());
    step("deepseek", () -> DeepSeekOcr.builder().baseUrl("http://127.0.0.1:9/v1").build());
    step("postgres", () -> OpticalMemory.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:9/memory")
        .build().close());
  }

  private static void step(String name, Runnable step) {
    try {
      step.run();
      System.out.println("OK " + name);
    } catch (RuntimeException e) {
      System.out.println("REFUSED " + name + " " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
  }
}
