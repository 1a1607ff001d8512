package dev.opticalmemory.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * An immutable 8-bit grayscale raster (0 black, 255 white) with the few operations the OCR pipeline
 * needs: conversion from any {@link BufferedImage}, crop, rotation by quarter turns, and resampling
 * (linear interpolation when enlarging, area averaging when shrinking, so thin strokes survive).
 */
final class GrayImage {
  final int width;
  final int height;
  final byte[] pixels;

  GrayImage(int width, int height, byte[] pixels) {
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /** Converts any image to gray; transparent pixels are composited over white. */
  static GrayImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage gray = image;
    if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = gray.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    return new GrayImage(w, h, (byte[]) gray.getRaster().getDataElements(0, 0, w, h, null));
  }

  int get(int x, int y) {
    return pixels[y * width + x] & 0xFF;
  }

  GrayImage crop(Rectangle box) {
    Rectangle r = box.intersection(new Rectangle(0, 0, width, height));
    if (r.isEmpty()) {
      return new GrayImage(1, 1, new byte[] {(byte) 255});
    }
    byte[] out = new byte[r.width * r.height];
    for (int y = 0; y < r.height; y++) {
      System.arraycopy(pixels, (r.y + y) * width + r.x, out, y * r.width, r.width);
    }
    return new GrayImage(r.width, r.height, out);
  }

  /**
   * The inked part of a line's box cut into pieces at gaps between words: runs of ink separated by
   * at least {@code minGap} blank columns, joined left to right while a piece stays within
   * {@code maxWidth} columns (a run wider than that is one piece). Each piece keeps the box's top
   * and bottom and gets a margin of a quarter of its height on each side. Empty when the box holds
   * no ink.
   */
  java.util.List<Rectangle> inkPieces(Rectangle box, int minGap, int maxWidth) {
    Rectangle r = box.intersection(new Rectangle(0, 0, width, height));
    java.util.List<Rectangle> pieces = new java.util.ArrayList<>();
    if (r.isEmpty()) {
      return pieces;
    }
    java.util.List<int[]> runs = new java.util.ArrayList<>();
    int runStart = -1;
    int lastInk = -1;
    for (int x = r.x; x < r.x + r.width; x++) {
      boolean ink = false;
      for (int y = r.y; y < r.y + r.height; y++) {
        if ((pixels[y * width + x] & 0xFF) <= 160) {
          ink = true;
          break;
        }
      }
      if (ink) {
        if (runStart < 0) {
          runStart = x;
        } else if (x - lastInk - 1 >= minGap) {
          runs.add(new int[] {runStart, lastInk});
          runStart = x;
        }
        lastInk = x;
      }
    }
    if (runStart < 0) {
      return pieces;
    }
    runs.add(new int[] {runStart, lastInk});
    int margin = Math.max(1, r.height / 4);
    int from = runs.get(0)[0];
    int to = runs.get(0)[1];
    for (int i = 1; i <= runs.size(); i++) {
      if (i < runs.size() && runs.get(i)[1] - from + 1 <= maxWidth) {
        to = runs.get(i)[1];
        continue;
      }
      int x0 = Math.max(r.x, from - margin);
      int x1 = Math.min(r.x + r.width, to + 1 + margin);
      pieces.add(new Rectangle(x0, r.y, x1 - x0, r.height));
      if (i < runs.size()) {
        from = runs.get(i)[0];
        to = runs.get(i)[1];
      }
    }
    return pieces;
  }

  /** Quarter turns clockwise: 1 = 90°, 2 = 180°, 3 = 270°. */
  GrayImage rotate(int quarterTurns) {
    int turns = Math.floorMod(quarterTurns, 4);
    if (turns == 0) {
      return this;
    }
    int w = turns == 2 ? width : height;
    int h = turns == 2 ? height : width;
    byte[] out = new byte[pixels.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int nx;
        int ny;
        if (turns == 1) {
          nx = height - 1 - y;
          ny = x;
        } else if (turns == 2) {
          nx = width - 1 - x;
          ny = height - 1 - y;
        } else {
          nx = y;
          ny = width - 1 - x;
        }
        out[ny * w + nx] = pixels[y * width + x];
      }
    }
    return new GrayImage(w, h, out);
  }

  /** Resamples to {@code w x h}. */
  GrayImage resize(int w, int h) {
    if (w == width && h == height) {
      return this;
    }
    Filter fx = Filter.of(width, w);
    Filter fy = Filter.of(height, h);
    float[] rows = new float[height * w];
    for (int y = 0; y < height; y++) {
      int offset = y * width;
      for (int x = 0; x < w; x++) {
        float sum = 0;
        int first = fx.first[x];
        float[] weights = fx.weights[x];
        for (int k = 0; k < weights.length; k++) {
          sum += (pixels[offset + first + k] & 0xFF) * weights[k];
        }
        rows[y * w + x] = sum;
      }
    }
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      int first = fy.first[y];
      float[] weights = fy.weights[y];
      for (int x = 0; x < w; x++) {
        float sum = 0;
        for (int k = 0; k < weights.length; k++) {
          sum += rows[(first + k) * w + x] * weights[k];
        }
        int v = Math.round(sum);
        out[y * w + x] = (byte) (v < 0 ? 0 : Math.min(255, v));
      }
    }
    return new GrayImage(w, h, out);
  }

  /** Per output index: the first source index used and the weights (which sum to 1). */
  private static final class Filter {
    final int[] first;
    final float[][] weights;

    private Filter(int[] first, float[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    static Filter of(int src, int dst) {
      int[] first = new int[dst];
      float[][] weights = new float[dst][];
      double scale = (double) src / dst;
      for (int i = 0; i < dst; i++) {
        if (scale > 1) {
          double start = i * scale;
          double end = Math.min(src, (i + 1) * scale);
          int lo = (int) Math.floor(start);
          int hi = Math.min(src, (int) Math.ceil(end - 1e-9));
          float[] w = new float[Math.max(1, hi - lo)];
          for (int k = 0; k < w.length; k++) {
            double a = Math.max(start, lo + k);
            double b = Math.min(end, lo + k + 1);
            w[k] = (float) (Math.max(0, b - a) / (end - start));
          }
          first[i] = lo;
          weights[i] = w;
        } else {
          double center = (i + 0.5) * scale - 0.5;
          int lo = (int) Math.floor(center);
          double t = center - lo;
          int a = Math.max(0, Math.min(src - 1, lo));
          int b = Math.max(0, Math.min(src - 1, lo + 1));
          if (a == b) {
            first[i] = a;
            weights[i] = new float[] {1f};
          } else {
            first[i] = a;
            weights[i] = new float[] {(float) (1 - t), (float) t};
          }
        }
      }
      return new Filter(first, weights);
    }
  }
}
