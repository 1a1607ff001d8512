package dev.opticalmemory.renderer;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Operations on page images: the forgetting step (area-averaging downscale), conversion to
 * grayscale, and PNG encoding and decoding.
 */
public final class PageImages {
  /** Largest image {@link #decode(byte[])} accepts, in pixels (64 megapixels). */
  public static final long MAX_DECODED_PIXELS = 64L * 1024 * 1024;

  private PageImages() {}

  /**
   * The bands of some lines of a page, cut from an image of the page at any size and stacked: each
   * run of consecutive lines (by {@link LineLayout#index()}) becomes one band, padded by a tenth of
   * a line above and below, and the bands are separated (and framed) by white gaps a line high. This
   * is what recall reads instead of the whole page.
   *
   * @param page the page image, grayscale or not
   * @param layoutHeight the height of the page in the layout's pixels, in which the lines' tops and
   *     heights are given
   * @param lines the lines to cut, at least one
   * @return a grayscale image as wide as the page
   */
  public static BufferedImage lineStrip(BufferedImage page, float layoutHeight,
      java.util.List<LineLayout> lines) {
    Objects.requireNonNull(page, "page must not be null");
    if (lines == null || lines.isEmpty()) {
      throw new IllegalArgumentException("lines must name at least one line, but is: " + lines);
    }
    if (!(layoutHeight > 0)) {
      throw new IllegalArgumentException("layoutHeight must be positive, but is: " + layoutHeight);
    }
    BufferedImage gray = toGray(page);
    double scale = gray.getHeight() / layoutHeight;
    java.util.List<LineLayout> sorted = new java.util.ArrayList<>(lines);
    sorted.sort(java.util.Comparator.comparingInt(LineLayout::index));
    java.util.List<int[]> bands = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 1; i <= sorted.size(); i++) {
      if (i == sorted.size() || sorted.get(i).index() != sorted.get(i - 1).index() + 1) {
        LineLayout a = sorted.get(start);
        LineLayout b = sorted.get(i - 1);
        double pad = a.height() * 0.1;
        int top = (int) Math.max(0, Math.floor((a.top() - pad) * scale));
        int bottom = (int) Math.min(gray.getHeight(),
            Math.ceil((b.top() + b.height() + pad) * scale));
        bands.add(new int[] {top, Math.max(top + 1, bottom)});
        start = i;
      }
    }
    int gap = Math.max(4, (int) Math.round(sorted.get(0).height() * scale));
    int height = gap;
    for (int[] band : bands) {
      height += band[1] - band[0] + gap;
    }
    BufferedImage strip = new BufferedImage(gray.getWidth(), height,
        BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = strip.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, strip.getWidth(), height);
      int y = gap;
      for (int[] band : bands) {
        g.drawImage(gray.getSubimage(0, band[0], gray.getWidth(), band[1] - band[0]), 0, y, null);
        y += band[1] - band[0] + gap;
      }
    } finally {
      g.dispose();
    }
    return strip;
  }

  /**
   * Downscales so that the longer side becomes {@code mode.pixels()}, keeping the aspect ratio. An
   * image already that small or smaller is returned as a grayscale copy of itself.
   *
   * @param image the image
   * @param mode the mode whose side to fit
   * @return a grayscale image
   */
  public static BufferedImage downscale(BufferedImage image, VisionMode mode) {
    Objects.requireNonNull(image, "image must not be null");
    Objects.requireNonNull(mode, "mode must not be null");
    int longSide = Math.max(image.getWidth(), image.getHeight());
    if (longSide <= mode.pixels()) {
      return toGray(image);
    }
    double scale = (double) mode.pixels() / longSide;
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    return downscale(image, width, height);
  }

  /**
   * Downscales to exactly {@code width x height} by area averaging: each output pixel is the mean of
   * the source area it covers, partial pixels weighted by coverage. Unlike bilinear sampling this
   * keeps thin strokes, which fade to gray instead of vanishing.
   *
   * @param image the image
   * @param width the target width
   * @param height the target height
   * @return a grayscale image of that size
   * @throws IllegalArgumentException if the target is empty or larger than the source on either side
   */
  public static BufferedImage downscale(BufferedImage image, int width, int height) {
    Objects.requireNonNull(image, "image must not be null");
    if (width < 1 || height < 1 || width > image.getWidth() || height > image.getHeight()) {
      throw new IllegalArgumentException(
          "target size must be between 1x1 and the source size " + image.getWidth() + "x"
              + image.getHeight() + ", but is: " + width + "x" + height);
    }
    BufferedImage gray = toGray(image);
    int srcW = gray.getWidth();
    int srcH = gray.getHeight();
    // Packed copy: also correct for sub-images that share a larger buffer.
    byte[] src = (byte[]) gray.getRaster().getDataElements(0, 0, srcW, srcH, null);
    int srcStride = srcW;

    Weights horizontal = Weights.of(srcW, width);
    Weights vertical = Weights.of(srcH, height);
    float[] rows = new float[srcH * width];
    for (int y = 0; y < srcH; y++) {
      int rowOffset = y * srcStride;
      for (int x = 0; x < width; x++) {
        float sum = 0;
        int first = horizontal.first[x];
        float[] w = horizontal.weights[x];
        for (int k = 0; k < w.length; k++) {
          sum += (src[rowOffset + first + k] & 0xFF) * w[k];
        }
        rows[y * width + x] = sum;
      }
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    int dstStride = width;
    for (int y = 0; y < height; y++) {
      int first = vertical.first[y];
      float[] w = vertical.weights[y];
      for (int x = 0; x < width; x++) {
        float sum = 0;
        for (int k = 0; k < w.length; k++) {
          sum += rows[(first + k) * width + x] * w[k];
        }
        int v = Math.round(sum);
        dst[y * dstStride + x] = (byte) (v < 0 ? 0 : Math.min(255, v));
      }
    }
    return out;
  }

  /**
   * An 8-bit grayscale copy of any image (RGB, alpha over white, 16-bit, indexed, CMYK read by
   * ImageIO); a TYPE_BYTE_GRAY image is returned as it is.
   *
   * @param image any image
   * @return the grayscale image
   */
  public static BufferedImage toGray(BufferedImage image) {
    Objects.requireNonNull(image, "image must not be null");
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return image;
    }
    BufferedImage gray =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return gray;
  }

  /**
   * Encodes an image as an 8-bit grayscale PNG without alpha (converting it first if needed).
   *
   * @param image the image
   * @return the PNG file's bytes
   */
  public static byte[] encodePng(BufferedImage image) {
    BufferedImage gray = toGray(image);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      if (!ImageIO.write(gray, "png", out)) {
        throw new IllegalStateException("no PNG writer is registered with ImageIO");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a " + gray.getWidth() + "x" + gray.getHeight()
          + " page as PNG", e);
    }
    return out.toByteArray();
  }

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /**
   * Whether these bytes start with the PNG signature.
   *
   * @param bytes a file's bytes, or its first ones
   * @return true for a PNG
   */
  public static boolean isPng(byte[] bytes) {
    if (bytes.length < PNG_SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (bytes[i] != PNG_SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A PNG's width and height from its first 24 bytes (the signature, then the IHDR chunk), without
   * decoding it.
   *
   * @param head at least the file's first 24 bytes
   * @return {@code {width, height}}, or null if the bytes are not the start of a PNG
   */
  public static int[] pngSize(byte[] head) {
    if (head.length < 24 || !isPng(head)
        || head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') {
      return null;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
    int width = b.getInt(16);
    int height = b.getInt(20);
    return width > 0 && height > 0 ? new int[] {width, height} : null;
  }

  /** The gray level at or below which a pixel is black in {@link PageEncoding#BILEVEL_G4}. */
  public static final int BILEVEL_THRESHOLD = 170;

  /**
   * Encodes a page for storage: converted to gray, then quantised as the encoding says. Decode the
   * result with {@link #decode(byte[])}.
   *
   * @param image the page
   * @param encoding how to store it
   * @return the stored form
   */
  public static byte[] encode(BufferedImage image, PageEncoding encoding) {
    Objects.requireNonNull(encoding, "encoding must not be null");
    if (encoding == PageEncoding.GRAY8_PNG) {
      return encodePng(image);
    }
    BufferedImage gray = toGray(image);
    int w = gray.getWidth();
    int h = gray.getHeight();
    BufferedImage out;
    if (encoding == PageEncoding.BILEVEL_CONTEXT) {
      byte[] ink = new byte[w * h];
      byte[] row = new byte[w];
      for (int y = 0; y < h; y++) {
        gray.getRaster().getDataElements(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          ink[y * w + x] = (byte) (1 - level(row[x] & 0xFF, encoding));
        }
      }
      return BilevelCodec.encode(ink, w, h);
    }
    if (encoding == PageEncoding.BILEVEL_G4) {
      out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
    } else {
      int bits = encoding == PageEncoding.GRAY16_PNG ? 4 : 2;
      byte[] levels = new byte[1 << bits];
      for (int i = 0; i < levels.length; i++) {
        levels[i] = (byte) (i * 255 / (levels.length - 1));
      }
      out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY,
          new java.awt.image.IndexColorModel(bits, levels.length, levels, levels, levels));
    }
    byte[] row = new byte[w];
    int[] samples = new int[w];
    java.awt.image.WritableRaster raster = out.getRaster();
    for (int y = 0; y < h; y++) {
      gray.getRaster().getDataElements(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int v = row[x] & 0xFF;
        samples[x] = level(v, encoding);
      }
      raster.setSamples(0, y, w, 1, 0, samples);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
    try {
      if (encoding == PageEncoding.GRAY4_PNG || encoding == PageEncoding.GRAY16_PNG) {
        ImageIO.write(out, "png", bytes);
      } else {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(bytes)) {
          writer.setOutput(stream);
          javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
          param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionType("CCITT T.6");
          writer.write(null, new javax.imageio.IIOImage(out, null, null), param);
        } finally {
          writer.dispose();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a " + w + "x" + h + " page as " + encoding, e);
    }
    return bytes.toByteArray();
  }

  /**
   * The stored sample of a pixel of gray level {@code v}: 1 for white and 0 for black in the
   * bilevel encodings, the index of the nearest of 16 or 4 levels, or {@code v} itself.
   */
  private static int level(int v, PageEncoding encoding) {
    switch (encoding) {
      case BILEVEL_G4, BILEVEL_CONTEXT:
        return v > BILEVEL_THRESHOLD ? 1 : 0;
      case GRAY16_PNG:
        return (v * 15 + 127) / 255;
      case GRAY4_PNG:
        return (v * 3 + 127) / 255;
      default:
        return v;
    }
  }

  /**
   * The gray level a pixel of level {@code v} has once stored with {@code encoding} and decoded,
   * as {@link #encode} and {@link #decode} make it.
   */
  static int quantise(int v, PageEncoding encoding) {
    int top = switch (encoding) {
      case BILEVEL_G4, BILEVEL_CONTEXT -> 1;
      case GRAY16_PNG -> 15;
      case GRAY4_PNG -> 3;
      default -> 255;
    };
    return level(v, encoding) * 255 / top;
  }

  /**
   * Decodes a stored page or an image file's bytes: every {@link PageEncoding}, and whatever ImageIO
   * reads (PNG, TIFF, JPEG, BMP, GIF).
   *
   * @param bytes the stored page or the file's bytes
   * @return the image
   * @throws IllegalArgumentException if the bytes are not an image this can read, are damaged, or
   *     the image is larger than {@link #MAX_DECODED_PIXELS}; the cause is kept
   */
  public static BufferedImage decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes must not be null");
    if (BilevelCodec.isCoded(bytes)) {
      return BilevelCodec.decode(bytes, MAX_DECODED_PIXELS);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bytes are not a readable image (" + bytes.length + " bytes)", e);
    }
    if (image == null) {
      throw new IllegalArgumentException(
          "bytes are not a readable image (" + bytes.length + " bytes, no ImageIO reader knows them)");
    }
    if ((long) image.getWidth() * image.getHeight() > MAX_DECODED_PIXELS) {
      throw new IllegalArgumentException("image is " + image.getWidth() + "x" + image.getHeight()
          + ", more than the limit of " + MAX_DECODED_PIXELS + " pixels");
    }
    return image;
  }

  /** For each output index, the first source index it covers and the coverage weights. */
  private static final class Weights {
    final int[] first;
    final float[][] weights;

    private Weights(int[] first, float[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    static Weights of(int srcSize, int dstSize) {
      double scale = (double) srcSize / dstSize;
      int[] first = new int[dstSize];
      float[][] weights = new float[dstSize][];
      for (int i = 0; i < dstSize; i++) {
        double start = i * scale;
        double end = Math.min(srcSize, (i + 1) * scale);
        int lo = (int) Math.floor(start);
        int hi = Math.min(srcSize, (int) Math.ceil(end - 1e-9));
        float[] w = new float[Math.max(1, hi - lo)];
        for (int k = 0; k < w.length; k++) {
          double cellStart = Math.max(start, lo + k);
          double cellEnd = Math.min(end, lo + k + 1);
          w[k] = (float) (Math.max(0, cellEnd - cellStart) / (end - start));
        }
        first[i] = lo;
        weights[i] = w;
      }
      return new Weights(first, weights);
    }
  }
}
