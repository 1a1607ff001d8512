package dev.opticalmemory.memory;

import com.knuddels.jtokkit.api.EncodingType;
import java.nio.file.Path;

/**
 * Counts text tokens. The memory uses one to age segments and to report what text costs; context
 * budgets use the reader's own. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

  /**
   * Tokens {@code text} costs; 0 for an empty string.
   *
   * @param text the text
   * @return its tokens
   */
  int count(String text);

  /**
   * OpenAI's o200k_base (GPT-4o, GPT-4.1, o-series), with JTokkit: the memory's default. One
   * counter per process: the encoding is built once (about a second) and shared.
   *
   * @return a counter with OpenAI's o200k encoding, shared by the process
   */
  static TokenCounter o200k() {
    return jtokkit(EncodingType.O200K_BASE);
  }

  /**
   * OpenAI's cl100k_base (GPT-4, GPT-3.5), with JTokkit.
   *
   * @return a counter with OpenAI's cl100k encoding, shared by the process
   */
  static TokenCounter cl100k() {
    return jtokkit(EncodingType.CL100K_BASE);
  }

  /**
   * A model's own tokenizer from its Hugging Face {@code tokenizer.json}, such as DeepSeek's (see
   * the README). It holds native memory: close it when done.
   *
   * @param tokenizerJson the tokenizer.json file
   * @return the counter, to be closed
   */
  static HuggingFaceTokenCounter huggingFace(Path tokenizerJson) {
    return HuggingFaceTokenCounter.load(tokenizerJson);
  }

  private static TokenCounter jtokkit(EncodingType type) {
    return SharedEncodings.counter(type);
  }
}
