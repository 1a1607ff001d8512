package dev.opticalmemory.renderer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * DeepSeek-OCR's native resolution modes, which are also the image tiers of the optical memory.
 *
 * <p>Each mode is a square input of {@link #pixels()} per side. The encoder turns 16x16 patches into
 * tokens and compresses them 16x (4x per side), so a mode carries {@code (pixels / 64)^2}
 * {@linkplain #visionTokens() vision tokens}. In the decoder's sequence each row of tokens is
 * followed by a newline id and the image by one separator, which gives {@link #sequenceIds()}.
 */
public enum VisionMode {
  /** 512x512, 64 vision tokens: the most compressed, "almost forgotten" tier. */
  TINY(512),
  /** 640x640, 100 vision tokens. */
  SMALL(640),
  /** 1024x1024, 256 vision tokens. */
  BASE(1024),
  /** 1280x1280, 400 vision tokens: the sharpest tier. */
  LARGE(1280);

  private final int pixels;

  VisionMode(int pixels) {
    this.pixels = pixels;
  }

  /**
   * Side of the square input, in pixels.
   *
   * @return pixels
   */
  public int pixels() {
    return pixels;
  }

  /**
   * Tokens per side after the 16x16 patching and the 16x token compressor: {@code pixels / 64}.
   *
   * @return tokens per side
   */
  public int tokensPerSide() {
    return pixels / 64;
  }

  /**
   * Vision tokens the encoder produces for one image in this mode (64, 100, 256, 400).
   *
   * @return vision tokens
   */
  public int visionTokens() {
    return tokensPerSide() * tokensPerSide();
  }

  /**
   * Ids the image occupies in the decoder's sequence: one newline id after each row of tokens and one
   * view separator (73, 111, 273, 421).
   *
   * @return ids in the sequence
   */
  public int sequenceIds() {
    return visionTokens() + tokensPerSide() + 1;
  }

  /**
   * Tokens that carry content when a {@code width x height} page is padded to this mode's square
   * input: {@code ceil(N * (1 - (max - min) / max))}, as in DeepSeek-OCR's paper.
   *
   * @param width the page's width in pixels
   * @param height its height in pixels
   * @return tokens
   */
  public int validTokens(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "width and height must be positive, but are: " + width + "x" + height);
    }
    double max = Math.max(width, height);
    double min = Math.min(width, height);
    return (int) Math.ceil(visionTokens() * (1 - (max - min) / max));
  }

  /**
   * The next lower tier, or {@code null} below TINY.
   *
   * @return the lower mode, or null
   */
  public VisionMode lower() {
    return ordinal() == 0 ? null : values()[ordinal() - 1];
  }

  /**
   * Parses a mode name, ignoring case: {@code tiny}, {@code small}, {@code base}, {@code large}.
   *
   * @param name a mode's name
   * @return the mode
   */
  public static VisionMode parse(String name) {
    if (name != null) {
      for (VisionMode mode : values()) {
        if (mode.name().equalsIgnoreCase(name.trim())) {
          return mode;
        }
      }
    }
    throw new IllegalArgumentException(
        "Unknown vision mode '" + name + "', expected one of " + names());
  }

  private static String names() {
    return Arrays.stream(values())
        .map(m -> m.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
