package dev.opticalmemory.renderer;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A page drawn to an 8-bit grayscale image, with the layout it was drawn from.
 *
 * <p>The image is the caller's to keep; {@link PageImages#encodePng(BufferedImage)} writes it as a
 * compact grayscale PNG.
 */
public record RenderedPage(PageLayout layout, BufferedImage image) {

  public RenderedPage {
    Objects.requireNonNull(layout, "layout must not be null");
    Objects.requireNonNull(image, "image must not be null");
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  /** Image pixels per logical layout pixel. */
  public double scale() {
    return (double) image.getWidth() / layout.width();
  }

  /** This page as a grayscale PNG. */
  public byte[] toPng() {
    return PageImages.encodePng(image);
  }
}
