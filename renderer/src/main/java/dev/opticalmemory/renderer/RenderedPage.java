package dev.opticalmemory.renderer;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A page drawn to an 8-bit grayscale image, with the layout it was drawn from.
 *
 * <p>The image is the caller's to keep; {@link PageImages#encodePng(BufferedImage)} writes it as a
 * compact grayscale PNG.
 *
 * @param layout the page's layout
 * @param image the drawn page
 */
public record RenderedPage(PageLayout layout, BufferedImage image) {

  /**
   * Checks that neither component is null.
   *
   * @param layout the page's layout
   * @param image the drawn page
   */
  public RenderedPage {
    Objects.requireNonNull(layout, "layout must not be null");
    Objects.requireNonNull(image, "image must not be null");
  }

  /**
   * The image's width.
   *
   * @return pixels
   */
  public int width() {
    return image.getWidth();
  }

  /**
   * The image's height.
   *
   * @return pixels
   */
  public int height() {
    return image.getHeight();
  }

  /**
   * Image pixels per logical layout pixel.
   *
   * @return the scale
   */
  public double scale() {
    return (double) image.getWidth() / layout.width();
  }

  /**
   * This page as a grayscale PNG.
   *
   * @return the PNG file's bytes
   */
  public byte[] toPng() {
    return PageImages.encodePng(image);
  }
}
