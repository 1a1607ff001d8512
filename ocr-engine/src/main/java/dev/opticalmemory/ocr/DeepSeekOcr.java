package dev.opticalmemory.ocr;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DeepSeek-OCR served by its users' usual servers, through the OpenAI chat-completions API that all
 * of them speak: vLLM ({@code vllm serve deepseek-ai/DeepSeek-OCR}, base URL
 * {@code http://host:8000/v1}), SGLang ({@code http://host:30000/v1}) and Ollama (model
 * {@code deepseek-ocr}, base URL {@code http://host:11434/v1}).
 *
 * <p>Each page is sent as one user message: the page as a base64 PNG, then the prompt
 * {@code Free OCR.} The server's chat template puts the image token before the text, so the model
 * sees DeepSeek-OCR's plain-text prompt {@code <image>\nFree OCR.}. Temperature is 0.
 *
 * <p><b>Repetition guard.</b> DeepSeek-OCR is known to fall into loops, repeating a phrase until the
 * output limit. The engine caps the output ({@link Builder#maxOutputTokens(int)}) and cuts any run
 * where the same sequence of words (or CJK characters) repeats back to back, covering at least
 * {@link Builder#repetitionSpan(int)} units; the {@link Recognition#warnings()} say when either fired.
 *
 * <p>The engine is thread-safe; how many pages a server reads at once is the server's business.
 *
 * <pre>{@code
 * try (OcrEngine ocr = DeepSeekOcr.builder().baseUrl("http://localhost:11434/v1")
 *     .model("deepseek-ocr").build()) {
 *   String text = ocr.read(page).text();
 * }
 * }</pre>
 */
public final class DeepSeekOcr {
  private DeepSeekOcr() {}

  /**
   * A builder; {@link Builder#baseUrl} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of the DeepSeek-OCR client; {@link #baseUrl(String)} is required. */
  public static final class Builder {
    String baseUrl;
    String model = "deepseek-ai/DeepSeek-OCR";
    String apiKey = "none";
    String prompt = "Free OCR.";
    Duration timeout = Duration.ofSeconds(120);
    int maxOutputTokens = 4096;
    int repetitionSpan = 40;
    int maxRetries = 1;
    final Map<String, Object> extraParameters = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The server's OpenAI-compatible base URL, ending in {@code /v1}; required.
     *
     * @param baseUrl the server's OpenAI-compatible URL, ending in {@code /v1}
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      if (baseUrl == null || baseUrl.isBlank()) {
        throw new IllegalArgumentException("baseUrl must not be blank, but is: " + baseUrl);
      }
      try {
        URI uri = new URI(baseUrl);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "baseUrl must be an http or https URL such as http://localhost:8000/v1, but is: "
                  + baseUrl);
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * The served model's name: {@code deepseek-ai/DeepSeek-OCR} (the default, as vLLM and SGLang
     * name it) or {@code deepseek-ocr} for Ollama.
     *
     * @param model the model's name on the server
     * @return this builder
     */
    public Builder model(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank, but is: " + model);
      }
      this.model = model;
      return this;
    }

    /**
     * The API key, if the server wants one; default {@code none}.
     *
     * @param apiKey the key
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * The prompt after the image; default {@code Free OCR.} (plain text, no layout).
     *
     * @param prompt the prompt
     * @return this builder
     */
    public Builder prompt(String prompt) {
      if (prompt == null || prompt.isBlank()) {
        throw new IllegalArgumentException("prompt must not be blank, but is: " + prompt);
      }
      this.prompt = prompt;
      return this;
    }

    /**
     * How long one page may take, default 120 s: a deadline for the whole request, from sending
     * the page to the last byte of the answer, retries included. A server that stalls or trickles
     * its answer is an {@link OcrException} (retriable) when it passes.
     *
     * @param timeout the most one page may take, retries included
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but is: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The cap on generated tokens, 16 to 32768; default 4096, about three times what a dense page
     * holds, so that a loop ends early instead of running to the server's limit.
     *
     * @param tokens the most tokens of output per page
     * @return this builder
     */
    public Builder maxOutputTokens(int tokens) {
      if (tokens < 16 || tokens > 32768) {
        throw new IllegalArgumentException("maxOutputTokens must be between 16 and 32768, but is: "
            + tokens);
      }
      this.maxOutputTokens = tokens;
      return this;
    }

    /**
     * How many words (or CJK characters) a back-to-back repetition must cover before the guard
     * cuts it, 8 to 1000; default 40. The cut keeps the first occurrence.
     *
     * @param units the span, in characters
     * @return this builder
     */
    public Builder repetitionSpan(int units) {
      if (units < 8 || units > 1000) {
        throw new IllegalArgumentException("repetitionSpan must be between 8 and 1000, but is: "
            + units);
      }
      this.repetitionSpan = units;
      return this;
    }

    /**
     * Retries of a failed request (timeouts, 5xx, 429), 0 to 10; default 1.
     *
     * @param retries the most retries
     * @return this builder
     */
    public Builder maxRetries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10, but is: "
            + retries);
      }
      this.maxRetries = retries;
      return this;
    }

    /**
     * A request parameter the OpenAI API does not have, sent as is; for example vLLM's
     * {@code vllm_xargs} for its n-gram logits processor.
     *
     * @param name the parameter's name
     * @param value its value
     * @return this builder
     */
    public Builder extraParameter(String name, Object value) {
      if (name == null || name.isBlank() || value == null) {
        throw new IllegalArgumentException("extraParameter needs a name and a value, but got: "
            + name + " = " + value);
      }
      this.extraParameters.put(name, value);
      return this;
    }

    /**
     * Returns the client; no request is made until the first read.
     *
     * @return the engine
     * @throws IllegalArgumentException if no base URL was given
     * @throws IllegalStateException if {@code langchain4j-open-ai}, an optional dependency, is
     *     not on the class path
     */
    public OcrEngine build() {
      if (baseUrl == null) {
        throw new IllegalArgumentException(
            "baseUrl is required: the OpenAI-compatible URL of a DeepSeek-OCR server, such as "
                + "http://localhost:8000/v1 (vLLM) or http://localhost:11434/v1 (Ollama)");
      }
      try {
        Class.forName("dev.langchain4j.model.openai.OpenAiChatModel", false,
            DeepSeekOcr.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("the DeepSeek-OCR client needs the optional dependency"
            + " dev.langchain4j:langchain4j-open-ai (its version is in optical-memory-bom)", e);
      }
      return new DeepSeekOcrEngine(this);
    }
  }
}
