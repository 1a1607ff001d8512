package dev.opticalmemory.memory;

/** What the memory keeps once a segment has moved to an image tier. */
public enum Retention {
  /**
   * The default: once a segment's image is stored, its source text is dropped, and each lower
   * tier's image replaces the sharper one. The memory is the images; forgetting is real.
   */
  DROP,
  /**
   * Keep the source text and every tier's image, for audit and experiments (fidelity can then be
   * measured against the source at any time).
   */
  KEEP
}
