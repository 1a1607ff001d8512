package dev.opticalmemory.memory.context;

/**
 * How many tokens a reader (a multimodal LLM) charges for one image, by its size and detail level.
 * Each factory follows its provider's published formula (see {@code ../shared/docs} and the README);
 * the tests check them against the providers' worked examples.
 */
@FunctionalInterface
public interface VisionTokenCost {

  /** The detail an image is sent at; only OpenAI distinguishes them, the others ignore it. */
  enum Detail {
    /** OpenAI's low detail: the model sees a 512x512 version, for a flat 85 tokens. */
    LOW,
    /** Full detail (OpenAI's high; what every other reader does). */
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
   * DeepSeek-OCR by resolution mode: the smallest mode whose side holds the image's long side
   * (Tiny 512, Small 640, Base 1024, Large 1280; larger images are fitted into Large).
   *
   * @param sequenceIds count the ids the decoder actually reads, with one newline id per row of
   *     vision tokens and a separator (73, 111, 273, 421), rather than the paper's vision tokens
   *     (64, 100, 256, 400)
   * @return the cost function
   */
  static VisionTokenCost deepSeekOcr(boolean sequenceIds) {
    return (width, height, detail) -> {
      checkSize(width, height);
      int side = Math.max(width, height);
      int mode = side <= 512 ? 512 : side <= 640 ? 640 : side <= 1024 ? 1024 : 1280;
      int perRow = mode / 16 / 4;
      return sequenceIds ? perRow * perRow + perRow + 1 : perRow * perRow;
    };
  }

  /**
   * OpenAI GPT-4o family. High detail: fit within 2048x2048, then scale so the short side is at most
   * 768, then 85 + 170 per 512x512 tile. Low detail: 85.
   *
   * @return the cost function
   */
  static VisionTokenCost openAi() {
    return (width, height, detail) -> {
      checkSize(width, height);
      if (detail == Detail.LOW) {
        return 85;
      }
      double w = width;
      double h = height;
      double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
      w *= fit;
      h *= fit;
      double shorter = Math.min(1.0, 768.0 / Math.min(w, h));
      w = Math.floor(w * shorter);
      h = Math.floor(h * shorter);
      int tiles = (int) (Math.ceil(w / 512) * Math.ceil(h / 512));
      return 85 + 170 * tiles;
    };
  }

  /**
   * Anthropic Claude: width x height / 750, rounded up, after the image is scaled down (keeping its
   * shape) so that its long side is at most 1568 px and it costs at most about 1,600 tokens.
   *
   * @return the cost function
   */
  static VisionTokenCost anthropic() {
    return (width, height, detail) -> {
      checkSize(width, height);
      double scale = Math.min(1.0, 1568.0 / Math.max(width, height));
      scale = Math.min(scale, Math.sqrt(1600.0 * 750 / ((double) width * height)));
      long w = Math.max(1, (long) Math.floor(width * scale));
      long h = Math.max(1, (long) Math.floor(height * scale));
      return (int) Math.ceil(w * h / 750.0);
    };
  }

  /**
   * Google Gemini 2.x: 258 tokens if both sides are at most 384 px, else 258 for each 768x768 tile.
   *
   * @return the cost function
   */
  static VisionTokenCost gemini() {
    return (width, height, detail) -> {
      checkSize(width, height);
      if (width <= 384 && height <= 384) {
        return 258;
      }
      return 258 * ((width + 767) / 768) * ((height + 767) / 768);
    };
  }

  /**
   * Qwen2-VL and Qwen2.5-VL with the processor's defaults (at least 3,136 and at most 12,845,056
   * pixels): the image is resized to multiples of 28 px, then one token per 28x28 pixels (14 px
   * patches merged 2x2), plus the two vision start and end markers.
   *
   * @return the cost function, with the processor's default bounds
   */
  static VisionTokenCost qwenVl() {
    return qwenVl(56 * 56, 28L * 28 * 16384);
  }

  /**
   * Qwen-VL with other pixel bounds (the processor's {@code min_pixels} and {@code max_pixels}).
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
    return (width, height, detail) -> {
      checkSize(width, height);
      int factor = 28;
      long h = Math.max(factor, Math.round(height / (double) factor) * factor);
      long w = Math.max(factor, Math.round(width / (double) factor) * factor);
      if (h * w > maxPixels) {
        double beta = Math.sqrt((double) height * width / maxPixels);
        h = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
        w = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
      } else if (h * w < minPixels) {
        double beta = Math.sqrt((double) minPixels / ((double) height * width));
        h = (long) Math.ceil(height * beta / factor) * factor;
        w = (long) Math.ceil(width * beta / factor) * factor;
      }
      return (int) ((h / factor) * (w / factor)) + 2;
    };
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1 || width > 65_536 || height > 65_536) {
      throw new IllegalArgumentException("image size must be 1 to 65536 px a side, but is "
          + width + "x" + height);
    }
  }
}
