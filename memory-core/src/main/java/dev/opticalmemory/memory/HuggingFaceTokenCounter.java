package dev.opticalmemory.memory;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts tokens with a model's own Hugging Face {@code tokenizer.json} (DeepSeek's, for the
 * DeepSeek-OCR reader), through DJL's binding of the Rust tokenizers. Truncation is off (DJL's
 * default cuts at 512) and special tokens are not added: the count is of the text alone.
 *
 * <p>Holds a native tokenizer: close it when done. Thread-safe.
 */
public final class HuggingFaceTokenCounter implements TokenCounter, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final Path file;
  private volatile boolean closed;

  private HuggingFaceTokenCounter(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @param tokenizerJson the {@code tokenizer.json} file
   * @return the counter, to be closed
   * @throws IllegalArgumentException naming the file if it is missing or not a tokenizer the
   *     library reads; the cause is kept
   * @throws IllegalStateException if {@code ai.djl.huggingface:tokenizers}, an optional
   *     dependency, is not on the class path
   */
  public static HuggingFaceTokenCounter load(Path tokenizerJson) {
    if (tokenizerJson == null || !Files.isRegularFile(tokenizerJson)) {
      throw new IllegalArgumentException("tokenizerJson must be a tokenizer.json file, but is: "
          + tokenizerJson);
    }
    try {
      Class.forName("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer", false,
          HuggingFaceTokenCounter.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("counting with a tokenizer.json needs the optional"
          + " dependency ai.djl.huggingface:tokenizers (its version is in optical-memory-bom)", e);
    }
    try {
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson).optTruncation(false).optAddSpecialTokens(false)
          .optPadding(false).build();
      return new HuggingFaceTokenCounter(tokenizer, tokenizerJson);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("tokenizerJson " + tokenizerJson
          + " is not a tokenizer the Hugging Face tokenizers library reads: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized int count(String text) {
    if (closed) {
      throw new IllegalStateException("the tokenizer of " + file + " is closed");
    }
    if (text.isEmpty()) {
      return 0;
    }
    return tokenizer.encode(text, false, false).getIds().length;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "HuggingFaceTokenCounter[" + file + "]";
  }
}
