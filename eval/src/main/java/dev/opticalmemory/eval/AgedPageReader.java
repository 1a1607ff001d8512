package dev.opticalmemory.eval;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.Legibility;
import dev.opticalmemory.ocr.OcrEngine;
import java.util.Objects;

/**
 * Who reads an aged page in an experiment: a real decoder run on the page's pixels
 * ({@link #measured}), or {@link #deepSeekModelled}, a model of DeepSeek-OCR's precision calibrated
 * on the paper's Fox table, which never looks at the pixels.
 */
public interface AgedPageReader {

  /** A page as sent to a reader, with what the experiment knows about it. */
  record Page(String conversation, int segmentIndex, Tier tier, byte[] png, String sourceText,
      int textTokens) {
    public Page {
      Objects.requireNonNull(conversation, "conversation");
      Objects.requireNonNull(tier, "tier");
      if (!tier.isImage()) {
        throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
      }
      Objects.requireNonNull(png, "png");
      Objects.requireNonNull(sourceText, "sourceText");
      if (textTokens < 0) {
        throw new IllegalArgumentException("textTokens must be at least 0, but is: " + textTokens);
      }
    }
  }

  /** The name the command line and the CSV use: paddle, tesseract, deepseek,
   * deepseek-modelled, deepseek-bursts. */
  String name();

  /** One line for reports: what the reader is and whether its figures are measured. */
  String description();

  /** Whether the reader decodes the pixels (a measurement) or is a model. */
  boolean measured();

  /** The text the reader gets back from the page. */
  String read(Page page);

  /**
   * How well this reader reads each tier, as the context assembler's importance rule weighs it: a
   * decoder run on the pixels reads our pages' tiers nearly alike ({@link Legibility#uniform()});
   * the modelled DeepSeek-OCR as the Fox table says ({@link Legibility#foxTable()}).
   */
  default Legibility legibility() {
    return Legibility.uniform();
  }

  /**
   * How well this reader reads each tier for an agent that points at regions and reads them back
   * (the systems with a read tool): it needs a word whole, not the answer. The same as
   * {@link #legibility()} for a reader that reads every tier alike.
   */
  default Legibility pointing() {
    return legibility();
  }

  /** A decoder run on the page's pixels; results are cached by the page's bytes. */
  static AgedPageReader measured(String name, OcrEngine engine) {
    return new OcrPageReader(name, engine);
  }

  /**
   * DeepSeek-OCR modelled on the paper's Fox table (not a measurement): the page's source text
   * with character edits at the rate the table gives for the page's compression ratio. The same
   * page gets the same edits for a given seed.
   */
  static AgedPageReader deepSeekModelled(long seed) {
    return new ModelledDeepSeekReader(seed, ModelledDeepSeekReader.Errors.INDEPENDENT);
  }

  /**
   * DeepSeek-OCR modelled on the paper's Fox table with the same precision per page as
   * {@link #deepSeekModelled}, its errors in bursts: whole words misread and whole lines dropped
   * (not a measurement; the other end of the band).
   */
  static AgedPageReader deepSeekBursts(long seed) {
    return new ModelledDeepSeekReader(seed, ModelledDeepSeekReader.Errors.BURSTS);
  }
}
