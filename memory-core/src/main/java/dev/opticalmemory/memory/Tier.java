package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.VisionMode;
import java.util.Locale;

/**
 * How sharply a segment is remembered. A segment moves down one step at a time: {@code TEXT} (its
 * turns verbatim), then page images at DeepSeek-OCR's Large, Base, Small and Tiny sizes, then
 * {@code FORGOTTEN} (nothing kept but its place in the conversation).
 */
public enum Tier {
  TEXT(null),
  LARGE(VisionMode.LARGE),
  BASE(VisionMode.BASE),
  SMALL(VisionMode.SMALL),
  TINY(VisionMode.TINY),
  FORGOTTEN(null);

  private final VisionMode mode;

  Tier(VisionMode mode) {
    this.mode = mode;
  }

  /** The image size of this tier, or {@code null} for TEXT and FORGOTTEN. */
  public VisionMode mode() {
    return mode;
  }

  /** Whether the segment is held as a page image at this tier. */
  public boolean isImage() {
    return mode != null;
  }

  /** The next tier down; FORGOTTEN stays FORGOTTEN. */
  public Tier next() {
    return this == FORGOTTEN ? FORGOTTEN : values()[ordinal() + 1];
  }

  /** Whether this tier is sharper than {@code other} (earlier in the order). */
  public boolean isAbove(Tier other) {
    return ordinal() < other.ordinal();
  }

  /** The tier named {@code name}, in any case. */
  public static Tier parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("tier must not be null");
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tier must be one of TEXT, LARGE, BASE, SMALL, TINY, "
          + "FORGOTTEN, but is: '" + name + "'", e);
    }
  }
}
