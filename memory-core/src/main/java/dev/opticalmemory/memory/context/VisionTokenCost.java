package dev.opticalmemory.memory.context;

/**
 * How many tokens a reader (a multimodal LLM) charges for one image, by its size and detail level.
 * Each factory follows its provider's published rule or reference code; the sources and the dates
 * they were read are in {@code docs/readers.md}, and the tests check each against the providers'
 * worked examples and the sizes at its boundaries.
 */
@FunctionalInterface
public interface VisionTokenCost {

  /** The detail an image is sent at; only OpenAI distinguishes them, the others ignore it. */
  enum Detail {
    /** OpenAI's low detail: a tile model sees a 512x512 version, for its base price alone. */
    LOW,
    /** Full detail (OpenAI's high, and what auto may choose; what every other reader does). */
    HIGH
  }

  /**
   * Tokens for one image.
   *
   * @param width the image's width in pixels
   * @param height its height in pixels
   * @param detail the detail it is sent at
   * @return the tokens
   * @throws IllegalArgumentException if a side is below 1 or above 65,536
   */
  int tokens(int width, int height, Detail detail);

  /**
   * How {@link #tokens} got its figure, in one line (for {@code optical-memory price}).
   *
   * @param width the image's width in pixels
   * @param height its height in pixels
   * @param detail the detail it is sent at
   * @return the rule and its intermediate figures
   */
  default String rule(int width, int height, Detail detail) {
    return tokens(width, height, detail) + " tokens";
  }

  /**
   * DeepSeek-OCR on a server that takes the mode per image: the smallest mode whose side holds the
   * image's long side (Tiny 512, Small 640, Base 1024, Large 1280; larger images are fitted into
   * Large).
   *
   * @param sequenceIds count the ids the decoder actually reads, with one newline id per row of
   *     vision tokens and a separator (73, 111, 273, 421), rather than the paper's vision tokens
   *     (64, 100, 256, 400)
   * @return the cost function
   */
  static VisionTokenCost deepSeekOcr(boolean sequenceIds) {
    return new ImageRules.DeepSeekPerImage(sequenceIds);
  }

  /**
   * DeepSeek-OCR on a server whose mode is fixed, counted as the ids in the decoder's sequence:
   * {@code tiny} 73, {@code small} 111, {@code base} 273 and {@code large} 421 for any image, or
   * {@code gundam} (vLLM's processor, which hard-codes it): 273 for the 1024 px global view, plus
   * (10 x columns + 1) x 10 x rows for the 640 px tiles of an image over 640 px a side (2 to 6
   * tiles by aspect ratio). Source: vLLM's {@code deepseek_ocr.py} processor, read 2026-12-05.
   *
   * @param mode tiny, small, base, large or gundam
   * @return the cost function
   * @throws IllegalArgumentException naming the modes if {@code mode} is not one
   */
  static VisionTokenCost deepSeekOcrServer(String mode) {
    if (!java.util.List.of("tiny", "small", "base", "large", "gundam").contains(mode)) {
      throw new IllegalArgumentException("mode must be one of tiny, small, base, large, gundam,"
          + " but is: " + mode);
    }
    return new ImageRules.DeepSeekServer(mode);
  }

  /**
   * OpenAI GPT-4o family (also GPT-4.1, GPT-4.5): {@link #openAiTiles(int, int)} with 85 and 170.
   *
   * @return the cost function
   */
  static VisionTokenCost openAi() {
    return openAiTiles(85, 170);
  }

  /**
   * OpenAI's tile models. High (and auto) detail: fit within 2048 x 2048, then scale so the short
   * side is at most 768, then {@code base + tile} per 512 x 512 tile. Low detail: {@code base}.
   * Source: OpenAI's images and vision guide, "Calculating costs", read 2026-12-05.
   *
   * @param base the model's base tokens (85 for GPT-4o, 2,833 for GPT-4o mini, 70 for GPT-5)
   * @param tile the model's tokens per tile (170, 5,667, 140)
   * @return the cost function
   */
  static VisionTokenCost openAiTiles(int base, int tile) {
    if (base < 1 || tile < 1) {
      throw new IllegalArgumentException("openAiTiles needs base and tile of at least 1, but they"
          + " are " + base + " and " + tile);
    }
    return new ImageRules.OpenAiTiles(base, tile);
  }

  /**
   * OpenAI's patch models: 32 x 32 px patches; an image over the model's largest side or patch
   * budget is first scaled down to fit (sides truncated); tokens are the patches times the model's
   * multiplier, rounded up. Detail does not lower the price of these models. Source: OpenAI's images
   * and vision guide, read 2026-12-05.
   *
   * @param multiplierPercent the model's multiplier in hundredths (162 for 1.62)
   * @param patchBudget the most patches an image may cover (1,536, or 2,500 for GPT-5.4)
   * @param maxSide the largest side before the budget applies ({@link Integer#MAX_VALUE} for none)
   * @return the cost function
   */
  static VisionTokenCost openAiPatches(int multiplierPercent, int patchBudget, int maxSide) {
    if (multiplierPercent < 1 || patchBudget < 1 || maxSide < 32) {
      throw new IllegalArgumentException("openAiPatches needs a multiplier and a budget of at least"
          + " 1 and a largest side of at least 32, but they are " + multiplierPercent + ", "
          + patchBudget + " and " + maxSide);
    }
    return new ImageRules.OpenAiPatches(multiplierPercent, patchBudget, maxSide);
  }

  /**
   * Anthropic Claude before Claude 4.7: {@link #claude(int, int)} with a 1568 px long edge and
   * 1,568 tokens.
   *
   * @return the cost function
   */
  static VisionTokenCost anthropic() {
    return claude(1568, 1568);
  }

  /**
   * Anthropic Claude: ceil(w / 28) x ceil(h / 28) tokens, after the image is scaled down (aspect
   * kept, sides truncated) to the largest size within the model's long edge and token limit.
   * Source: Anthropic's vision guide, read 2026-12-05.
   *
   * @param maxEdge the longest side the model takes (1568; 2576 from Claude 4.7)
   * @param maxTokens the most tokens an image may cost (1,568; 4,784 from Claude 4.7)
   * @return the cost function
   */
  static VisionTokenCost claude(int maxEdge, int maxTokens) {
    if (maxEdge < 28 || maxTokens < 1) {
      throw new IllegalArgumentException("claude needs a long edge of at least 28 and a token limit"
          + " of at least 1, but they are " + maxEdge + " and " + maxTokens);
    }
    return new ImageRules.ClaudePatches(maxEdge, maxTokens);
  }

  /**
   * Google Gemini 2.0 and 2.5 (default media resolution), as Vertex AI documents it: 258 tokens if
   * both sides are at most 384 px, else 258 per tile, the tile's side being the image's short side
   * / 1.5, clamped to 256..768 px. Source: Vertex AI's image understanding guide, read 2026-12-05.
   *
   * @return the cost function
   */
  static VisionTokenCost gemini() {
    return new ImageRules.GeminiTiles();
  }

  /**
   * A flat price per image, whatever its size and detail (Gemini's explicit media resolutions).
   *
   * @param tokens the price of each image, at least 1
   * @param why what sets it, for {@link #rule}
   * @return the cost function
   */
  static VisionTokenCost flat(int tokens, String why) {
    if (tokens < 1) {
      throw new IllegalArgumentException("flat needs at least 1 token, but is " + tokens);
    }
    return new ImageRules.Flat(tokens, why);
  }

  /**
   * Qwen2-VL and Qwen2.5-VL through qwen-vl-utils' defaults (at least 3,136 and at most 12,845,056
   * pixels): the image is resized to multiples of 28 px (Python's rounding, half to even), then one
   * token per 28 x 28 pixels (14 px patches merged 2 x 2), plus the two vision start and end markers.
   *
   * @return the cost function, with the processor's default bounds
   */
  static VisionTokenCost qwenVl() {
    return qwenVl(56 * 56, 28L * 28 * 16384);
  }

  /**
   * Qwen-VL with other pixel bounds (the processor's {@code min_pixels} and {@code max_pixels});
   * Ollama's runner caps images at 2,097,152 (2 &lt;&lt; 20) pixels.
   *
   * @param minPixels the processor's {@code min_pixels}
   * @param maxPixels the processor's {@code max_pixels}
   * @return the cost function
   */
  static VisionTokenCost qwenVl(long minPixels, long maxPixels) {
    if (minPixels < 28 * 28 || maxPixels < minPixels) {
      throw new IllegalArgumentException("qwenVl needs 784 <= minPixels <= maxPixels, but they are "
          + minPixels + " and " + maxPixels);
    }
    return new ImageRules.QwenResize(minPixels, maxPixels, "qwen-vl");
  }
}
