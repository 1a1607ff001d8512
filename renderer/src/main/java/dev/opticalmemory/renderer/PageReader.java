package dev.opticalmemory.renderer;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads back the lines of a page that a {@link PageRenderer} of the same {@link RenderSpec} drew,
 * at any size along a known chain of downscaled, stored copies, without an OCR model.
 *
 * <p>The reader knows what an OCR engine has to guess: the font, its size, where each line's
 * baseline is, how each glyph's pen position is rounded, and how the page was downscaled and
 * quantised at each step. It reads a line by analysis by synthesis: each glyph of the font is drawn
 * at each pixel phase and taken down the same chain, and a dynamic program finds the string whose
 * glyphs, placed at their advances, explain the line's pixels best. The reader's characters are
 * its first font's Latin letters, digits and punctuation, and what the spec's fallback fonts draw
 * (CJK, kana, Hangul, full-width forms: drawn on a grid of quarter ems, so that each sits at a
 * known phase of the pixels). A line with a glyph outside them, or not explained well enough, is
 * not read: {@link #read} gives an empty result for it, and the caller reads it with an OCR
 * engine. A character that no font had, drawn as an empty box, is read
 * as U+FFFD.
 *
 * <p>What it reads is the decoder's view, not a vision model's: a page at 512 px that this reader
 * reads word for word may be beyond what an LLM reading 64 vision tokens makes out.
 *
 * <p>Thread-safe; glyph templates are made on first use and kept.
 */
public interface PageReader {
  /**
   * A step of the chain from the rendered page down: the long side of the image at that step, in
   * pixels, and how it was stored (each step is downscaled from the previous step as stored).
   *
   * @param pixels the long side in pixels
   * @param encoding how the step is stored
   */
  record Step(int pixels, PageEncoding encoding) {
    /**
     * Validates the step.
     *
     * @param pixels the long side in pixels
     * @param encoding how the step is stored
     * @throws IllegalArgumentException if {@code pixels} is not positive
     */
    public Step {
      Objects.requireNonNull(encoding, "encoding must not be null");
      if (pixels < 1) {
        throw new IllegalArgumentException("pixels must be positive, but is: " + pixels);
      }
    }
  }

  /**
   * Reads lines of an image of a page.
   *
   * @param image the page at one of the chain's steps, as stored (any image type)
   * @param lineTops the top of each line to read, in the page's logical pixels (the spec's size),
   *     as {@link LineLayout#top()} gave it
   * @return for each line, its text, or empty where this reader cannot read it (a glyph it does
   *     not know, or a poor fit); all empty if the image is not the size of a step of the chain
   */
  List<Optional<String>> read(BufferedImage image, List<Float> lineTops);

  /**
   * A reader of pages drawn with {@code spec}, whose first step is the page as rendered at
   * {@code chain.get(0).pixels()} and each later step downscaled from the one before as stored.
   *
   * @param spec the spec the pages were drawn with
   * @param chain the steps, largest first
   * @return the reader
   * @throws IllegalArgumentException if the chain is empty or does not get smaller step by step
   */
  static PageReader of(RenderSpec spec, List<Step> chain) {
    return new FontModelReader(spec, chain, word -> false);
  }

  /**
   * As {@link #of(RenderSpec, List)}, choosing between readings that no step's pixels tell apart
   * with a word list: at 1024 px and below a capital I and a small l are the same bar, so a word
   * read with one of them that {@code knownWords} does not hold is replaced by the form with the
   * other that it does ("lt" to "It", "famiIy" to "family").
   *
   * @param spec the spec the pages were drawn with
   * @param chain the steps, largest first
   * @param knownWords whether a word (letters, possibly with an apostrophe) is known
   * @return the reader
   * @throws IllegalArgumentException if the chain is empty or does not get smaller step by step
   */
  static PageReader of(RenderSpec spec, List<Step> chain,
      java.util.function.Predicate<String> knownWords) {
    return new FontModelReader(spec, chain, knownWords);
  }
}
