package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.VisionMode;
import java.util.Locale;

/**
 * How sharply a segment is remembered. A segment moves down one step at a time: {@code TEXT} (its
 * turns verbatim), then page images at DeepSeek-OCR's Large, Base, Small and Tiny sizes, then
 * {@code FORGOTTEN} (nothing kept but its place in the conversation).
 */
public enum Tier {
  /** The turns verbatim. */
  TEXT(null),
  /** A 1280 px page (DeepSeek-OCR Large, 400 vision tokens). */
  LARGE(VisionMode.LARGE),
  /** A 1024 px page (Base, 256 vision tokens). */
  BASE(VisionMode.BASE),
  /** A 640 px page (Small, 100 vision tokens). */
  SMALL(VisionMode.SMALL),
  /** A 512 px page (Tiny, 64 vision tokens). */
  TINY(VisionMode.TINY),
  /** Nothing kept but the segment's place in the conversation. */
  FORGOTTEN(null);

  private final VisionMode mode;

  Tier(VisionMode mode) {
    this.mode = mode;
  }

  /**
   * The image size of this tier, or {@code null} for TEXT and FORGOTTEN.
   *
   * @return the vision mode of an image tier, or null for TEXT and FORGOTTEN
   */
  public VisionMode mode() {
    return mode;
  }

  /**
   * Whether the segment is held as a page image at this tier.
   *
   * @return whether this tier keeps a page image
   */
  public boolean isImage() {
    return mode != null;
  }

  /**
   * The next tier down; FORGOTTEN stays FORGOTTEN.
   *
   * @return the next tier down (FORGOTTEN stays FORGOTTEN)
   */
  public Tier next() {
    return this == FORGOTTEN ? FORGOTTEN : values()[ordinal() + 1];
  }

  /**
   * Whether this tier is sharper than {@code other} (earlier in the order).
   *
   * @param other another tier
   * @return whether this tier is sharper than {@code other}
   */
  public boolean isAbove(Tier other) {
    return ordinal() < other.ordinal();
  }

  /**
   * The tier named {@code name}, in any case.
   *
   * @param name a tier's name, in any case
   * @return the tier
   */
  public static Tier parse(String name) {
    if (name == null) {
      throw new NullPointerException("tier");
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tier must be one of TEXT, LARGE, BASE, SMALL, TINY, "
          + "FORGOTTEN, but is: '" + name + "'", e);
    }
  }
}
