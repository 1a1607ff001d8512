package dev.opticalmemory.memory;

import com.knuddels.jtokkit.api.EncodingType;
import java.nio.file.Path;

/**
 * Counts text tokens. The memory uses one to age segments and to report what text costs; context
 * budgets use the reader's own. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

  /** Tokens {@code text} costs; 0 for an empty string. */
  int count(String text);

  /**
   * OpenAI's o200k_base (GPT-4o, GPT-4.1, o-series), with JTokkit: the memory's default. One
   * counter per process: the encoding is built once (about a second) and shared.
   */
  static TokenCounter o200k() {
    return jtokkit(EncodingType.O200K_BASE);
  }

  /** OpenAI's cl100k_base (GPT-4, GPT-3.5), with JTokkit. */
  static TokenCounter cl100k() {
    return jtokkit(EncodingType.CL100K_BASE);
  }

  /**
   * A model's own tokenizer from its Hugging Face {@code tokenizer.json}, such as DeepSeek's (see
   * the README). It holds native memory: close it when done.
   */
  static HuggingFaceTokenCounter huggingFace(Path tokenizerJson) {
    return HuggingFaceTokenCounter.load(tokenizerJson);
  }

  private static TokenCounter jtokkit(EncodingType type) {
    return SharedEncodings.counter(type);
  }
}
