package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.context.VisionTokenCost.Detail;

/**
 * The pricing rules behind {@link VisionTokenCost}'s factories, one small class per rule. Each
 * reproduces the provider's arithmetic exactly (integer or rational arithmetic where the provider's
 * code truncates or rounds, so that no float error moves a boundary), and says in {@link
 * VisionTokenCost#rule} how it got its figure. Sources and the dates they were read are in
 * {@code docs/readers.md}.
 */
final class ImageRules {
  private ImageRules() {}

  static void checkSize(int width, int height) {
    if (width < 1 || height < 1 || width > 65_536 || height > 65_536) {
      throw new IllegalArgumentException("image size must be 1 to 65536 px a side, but is "
          + width + "x" + height);
    }
  }

  /** OpenAI's tile models: fit in 2048, short side to 768, base + tile x 512 px tiles. */
  record OpenAiTiles(int base, int tile) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      if (detail == Detail.LOW) {
        return base;
      }
      long[] s = scaled(width, height);
      return base + tile * (int) (ceilDiv(s[0], 512) * ceilDiv(s[1], 512));
    }

    /** Both sides after fitting in 2048 x 2048 and bringing the short side down to 768. */
    private static long[] scaled(int width, int height) {
      double w = width;
      double h = height;
      double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
      w *= fit;
      h *= fit;
      double shorter = Math.min(1.0, 768.0 / Math.min(w, h));
      return new long[] {Math.max(1, (long) Math.floor(w * shorter)),
          Math.max(1, (long) Math.floor(h * shorter))};
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      if (detail == Detail.LOW) {
        return "low detail: flat " + base;
      }
      long[] s = scaled(width, height);
      long tiles = ceilDiv(s[0], 512) * ceilDiv(s[1], 512);
      return "tiles: " + width + "x" + height + " fitted in 2048, short side at most 768 -> "
          + s[0] + "x" + s[1] + ", " + tiles + " tiles of 512 px: " + base + " + " + tile + " x "
          + tiles;
    }
  }

  /**
   * OpenAI's patch models: 32 px patches; over the patch budget (or the largest side) the image is
   * scaled down to fit, its sides truncated; tokens are patches times the model's multiplier,
   * rounded up. Detail is ignored: these models bill low detail as high.
   */
  record OpenAiPatches(int multiplierPercent, int budget, int maxSide) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      long patches = patches(resized(width, height));
      return (int) ceilDiv(patches * multiplierPercent, 100);
    }

    private static long patches(long[] size) {
      return ceilDiv(size[0], 32) * ceilDiv(size[1], 32);
    }

    long[] resized(int width, int height) {
      double w = width;
      double h = height;
      if (Math.max(w, h) > maxSide) {
        double fit = maxSide / Math.max(w, h);
        w = Math.floor(w * fit);
        h = Math.floor(h * fit);
      }
      if (ceilDiv((long) w, 32) * ceilDiv((long) h, 32) <= budget) {
        return new long[] {(long) w, (long) h};
      }
      double shrink = Math.sqrt(32.0 * 32.0 * budget / (w * h));
      double patchesW = w * shrink / 32;
      double patchesH = h * shrink / 32;
      shrink *= Math.min(Math.floor(patchesW) / patchesW, Math.floor(patchesH) / patchesH);
      long[] size = {Math.max(1, (long) (w * shrink)), Math.max(1, (long) (h * shrink))};
      // A float that lands a hair over a patch boundary is brought back within the budget.
      while (patches(size) > budget) {
        size[0] = Math.max(1, size[0] - 1);
        size[1] = Math.max(1, (long) Math.floor(size[0] * h / w));
      }
      return size;
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      long[] s = resized(width, height);
      long patches = patches(s);
      return "patches: " + width + "x" + height + (s[0] == width && s[1] == height ? ""
          : " scaled to " + s[0] + "x" + s[1]) + ", " + patches + " patches of 32 px (budget "
          + budget + ") x " + multiplierPercent / 100.0 + ", rounded up";
    }
  }

  /**
   * Claude: 28 px patches, ceil(w / 28) x ceil(h / 28), after scaling down (aspect kept, sides
   * truncated) to the largest size whose long edge and patch count are within the model's limits.
   */
  record ClaudePatches(int maxEdge, int maxTokens) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      long[] s = resized(width, height);
      return (int) (ceilDiv(s[0], 28) * ceilDiv(s[1], 28));
    }

    long[] resized(int width, int height) {
      // The scale is a fraction num/den, so the truncated sides are exact.
      long longSide = Math.max(width, height);
      long num = Math.min(maxEdge, longSide);
      long den = longSide;
      if (fits(width, height, num, den)) {
        return sides(width, height, num, den);
      }
      long bestNum = 0;
      long bestDen = 1;
      // The largest fitting scale is one at which a side just fills a whole number of patches.
      for (int side : new int[] {width, height}) {
        for (long k = ceilDiv(side * num / den, 28); k >= 1; k--) {
          long n = 28 * k;
          if (n * den > num * side) {
            continue;
          }
          if (fits(width, height, n, side)) {
            if (n * bestDen > bestNum * side) {
              bestNum = n;
              bestDen = side;
            }
            break;
          }
        }
      }
      if (bestNum == 0) {
        return new long[] {1, 1};
      }
      return sides(width, height, bestNum, bestDen);
    }

    private boolean fits(int width, int height, long num, long den) {
      long[] s = sides(width, height, num, den);
      return Math.max(s[0], s[1]) <= maxEdge && ceilDiv(s[0], 28) * ceilDiv(s[1], 28) <= maxTokens;
    }

    private static long[] sides(int width, int height, long num, long den) {
      return new long[] {Math.max(1, width * num / den), Math.max(1, height * num / den)};
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      long[] s = resized(width, height);
      return "patches: " + width + "x" + height + (s[0] == width && s[1] == height ? ""
          : " scaled to " + s[0] + "x" + s[1] + " (long edge " + maxEdge + ", at most " + maxTokens
          + " tokens)") + ", ceil(w/28) x ceil(h/28) = " + ceilDiv(s[0], 28) + " x "
          + ceilDiv(s[1], 28);
    }
  }

  /**
   * Gemini 2.x as Vertex AI documents it: 258 tokens if both sides are at most 384 px, else 258 per
   * tile, the tile's side being the short side / 1.5 clamped to 256..768.
   */
  record GeminiTiles() implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      return 258 * (int) tiles(width, height);
    }

    private static long tiles(int width, int height) {
      if (width <= 384 && height <= 384) {
        return 1;
      }
      // The tile side is min * 2 / 3 as a fraction, clamped; tiles = ceil(side / tile).
      long num = 2L * Math.min(width, height);
      long den = 3;
      if (num < 256 * den) {
        num = 256;
        den = 1;
      } else if (num > 768 * den) {
        num = 768;
        den = 1;
      }
      return ceilDiv(width * den, num) * ceilDiv(height * den, num);
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      long tiles = tiles(width, height);
      if (width <= 384 && height <= 384) {
        return "both sides at most 384 px: 258";
      }
      double tile = Math.max(256, Math.min(768, Math.min(width, height) / 1.5));
      return String.format(java.util.Locale.ROOT, "tiles of %.1f px (short side / 1.5, within "
          + "256..768): %d x 258", tile, tiles);
    }
  }

  /** A flat price per image whatever its size (Gemini's media resolutions). */
  record Flat(int tokensPerImage, String why) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      return tokensPerImage;
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      return why + ": " + tokensPerImage + " per image";
    }
  }

  /**
   * Qwen2/2.5-VL's smart resize: sides to multiples of 28 (Python's round, half to even), within
   * min and max pixels; one token per 28 x 28 cell plus the two vision markers.
   */
  record QwenResize(long minPixels, long maxPixels, String server) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      long[] s = resized(width, height);
      return (int) ((s[0] / 28) * (s[1] / 28)) + 2;
    }

    long[] resized(int width, int height) {
      checkSize(width, height);
      if (Math.max(width, height) > 200L * Math.min(width, height)) {
        throw new IllegalArgumentException("Qwen-VL refuses an aspect ratio over 200, but the image"
            + " is " + width + "x" + height);
      }
      int factor = 28;
      long h = Math.max(factor, (long) Math.rint(height / (double) factor) * factor);
      long w = Math.max(factor, (long) Math.rint(width / (double) factor) * factor);
      if (h * w > maxPixels) {
        double beta = Math.sqrt((double) height * width / maxPixels);
        h = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
        w = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
      } else if (h * w < minPixels) {
        double beta = Math.sqrt((double) minPixels / ((double) height * width));
        h = (long) Math.ceil(height * beta / factor) * factor;
        w = (long) Math.ceil(width * beta / factor) * factor;
      }
      return new long[] {w, h};
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      long[] s = resized(width, height);
      return server + " smart resize " + width + "x" + height + " -> " + s[0] + "x" + s[1]
          + " (pixels " + minPixels + ".." + maxPixels + "): " + (s[0] / 28) + " x " + (s[1] / 28)
          + " cells + 2 markers";
    }
  }

  /** DeepSeek-OCR on a server that takes the mode per image: the smallest mode that holds it. */
  record DeepSeekPerImage(boolean sequenceIds) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      return fixedModeTokens(mode(width, height), sequenceIds);
    }

    private static int mode(int width, int height) {
      int side = Math.max(width, height);
      return side <= 512 ? 512 : side <= 640 ? 640 : side <= 1024 ? 1024 : 1280;
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      int mode = mode(width, height);
      int perRow = mode / 64;
      return "mode chosen per image: " + mode + " px, " + perRow + " x " + perRow
          + (sequenceIds ? " tokens + a newline per row + a separator" : " vision tokens");
    }
  }

  /** Tokens of one of DeepSeek-OCR's single-view modes (512, 640, 1024, 1280). */
  static int fixedModeTokens(int mode, boolean sequenceIds) {
    int perRow = mode / 64;
    return sequenceIds ? perRow * perRow + perRow + 1 : perRow * perRow;
  }

  /**
   * DeepSeek-OCR on a server whose mode is fixed: every image is read at that mode whatever its
   * size; in Gundam mode (vLLM's hard-coded default) a 1024 px global view plus, for an image over
   * 640 px a side, 640 px tiles chosen by aspect ratio (2 to 6 of them).
   */
  record DeepSeekServer(String mode) implements VisionTokenCost {
    static final int MIN_CROPS = 2;
    static final int MAX_CROPS = 6;

    @Override
    public int tokens(int width, int height, Detail detail) {
      checkSize(width, height);
      switch (mode) {
        case "tiny":
          return fixedModeTokens(512, true);
        case "small":
          return fixedModeTokens(640, true);
        case "base":
          return fixedModeTokens(1024, true);
        case "large":
          return fixedModeTokens(1280, true);
        default:
          int[] tiles = gundamTiles(width, height);
          int global = fixedModeTokens(1024, true);
          return tiles[0] * tiles[1] == 1 ? global : global + (10 * tiles[0] + 1) * (10 * tiles[1]);
      }
    }

    /** Width and height in 640 px tiles: 1 x 1 (no tiles) up to 640 px a side. */
    static int[] gundamTiles(int width, int height) {
      if (width <= 640 && height <= 640) {
        return new int[] {1, 1};
      }
      java.util.List<int[]> ratios = new java.util.ArrayList<>();
      for (int i = 1; i <= MAX_CROPS; i++) {
        for (int j = 1; j <= MAX_CROPS; j++) {
          if (i * j >= MIN_CROPS && i * j <= MAX_CROPS) {
            ratios.add(new int[] {i, j});
          }
        }
      }
      ratios.sort(java.util.Comparator.comparingInt(r -> r[0] * r[1]));
      double aspect = (double) width / height;
      double bestDiff = Double.POSITIVE_INFINITY;
      int[] best = {1, 1};
      double area = (double) width * height;
      for (int[] r : ratios) {
        double diff = Math.abs(aspect - (double) r[0] / r[1]);
        if (diff < bestDiff) {
          bestDiff = diff;
          best = r;
        } else if (diff == bestDiff && area > 0.5 * 640 * 640 * r[0] * r[1]) {
          best = r;
        }
      }
      return best;
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      if (!mode.equals("gundam")) {
        return "server mode " + mode + ": every image read as one view, "
            + tokens(width, height, detail);
      }
      int[] t = gundamTiles(width, height);
      return t[0] * t[1] == 1 ? "gundam, at most 640 px a side: the 1024 px global view only, 273"
          : "gundam: 273 for the 1024 px global view + " + t[0] + " x " + t[1] + " tiles of 640 px"
              + " (" + (10 * t[0] + 1) + " x " + (10 * t[1]) + ")";
    }
  }

  /** A profile's price scaled by a factor measured on a server, rounded up. */
  record Calibrated(VisionTokenCost base, double factor, String model) implements VisionTokenCost {
    @Override
    public int tokens(int width, int height, Detail detail) {
      return (int) Math.ceil(base.tokens(width, height, detail) * factor - 1e-9);
    }

    @Override
    public String rule(int width, int height, Detail detail) {
      return base.rule(width, height, detail) + String.format(java.util.Locale.ROOT,
          "; x %.4f as measured on %s, rounded up", factor, model);
    }
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
