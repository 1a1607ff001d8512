package dev.opticalmemory.ocr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tesseract 5 through its command line ({@code tesseract}, Debian's {@code tesseract-ocr} with the
 * {@code eng} and {@code chi_sim} packs). Each read runs one process that gets the page as a PNG on
 * standard input and answers with TSV (one row per word, with box and confidence), so the engine is
 * thread-safe and a crash of Tesseract cannot take the JVM with it.
 *
 * <p>We call the command line rather than Tess4J: Tess4J binds Leptonica's C API through JNA, and
 * versions after 5.13 fail against Debian bookworm's Leptonica with an undefined symbol; starting
 * a process per page costs little next to Tesseract's own time on the page.
 *
 * <pre>{@code
 * try (OcrEngine ocr = TesseractOcr.builder().languages("eng", "chi_sim").build()) {
 *   String text = ocr.read(page).text();
 * }
 * }</pre>
 */
public final class TesseractOcr {
  /** The largest image accepted, in pixels: the same limit as {@link PaddleOcr#MAX_PIXELS}. */
  public static final long MAX_PIXELS = PaddleOcr.MAX_PIXELS;

  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9_]{2,32}");

  private TesseractOcr() {}

  /**
   * A builder with the defaults: {@code tesseract} on the PATH, English, one thread.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of the Tesseract engine; {@link #build()} checks the program and its languages. */
  public static final class Builder {
    String executable = "tesseract";
    List<String> languages = List.of("eng");
    int threads = 1;
    int pageSegmentation = 6;
    int minimumLongSide = 2048;
    Duration timeout = Duration.ofSeconds(120);

    private Builder() {}

    /**
     * The program to run, a name looked up on the PATH or a path; default {@code tesseract}.
     *
     * @param executable the program's name or path
     * @return this builder
     */
    public Builder executable(String executable) {
      if (executable == null || executable.isBlank()) {
        throw new IllegalArgumentException("executable must not be blank, but is: " + executable);
      }
      this.executable = executable;
      return this;
    }

    /**
     * Tesseract language packs to use together, for example {@code "eng", "chi_sim"}; default
     * {@code eng}. More languages make reading slower.
     *
     * @param languages language pack names, such as {@code eng} or {@code chi_sim}
     * @return this builder
     */
    public Builder languages(String... languages) {
      if (languages == null || languages.length == 0) {
        throw new IllegalArgumentException("languages must name at least one language pack");
      }
      List<String> list = new ArrayList<>();
      for (String language : languages) {
        if (language == null || !LANGUAGE.matcher(language).matches()) {
          throw new IllegalArgumentException(
              "languages must be Tesseract pack names such as eng or chi_sim, but one is: "
                  + language);
        }
        list.add(language);
      }
      this.languages = List.copyOf(list);
      return this;
    }

    /**
     * OpenMP threads of each Tesseract process ({@code OMP_THREAD_LIMIT}), 1 to 64; default 1, which
     * is fastest per core when several pages are read at once.
     *
     * @param threads threads per page
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
     * Tesseract's page segmentation mode ({@code --psm}), 3 to 13; default 6, "a single uniform
     * block of text", which is what our pages are.
     *
     * @param psm the page segmentation mode
     * @return this builder
     */
    public Builder pageSegmentation(int psm) {
      if (psm < 3 || psm > 13) {
        throw new IllegalArgumentException("pageSegmentation must be between 3 and 13, but is: "
            + psm);
      }
      this.pageSegmentation = psm;
      return this;
    }

    /**
     * Pages whose longer side is smaller are enlarged to this size before reading (Tesseract wants
     * capital letters at least 20 px high); 0 turns enlarging off. Default 2048.
     *
     * @param pixels the long side small pages are enlarged to
     * @return this builder
     */
    public Builder minimumLongSide(int pixels) {
      if (pixels < 0 || pixels > 8192) {
        throw new IllegalArgumentException("minimumLongSide must be between 0 and 8192, but is: "
            + pixels);
      }
      this.minimumLongSide = pixels;
      return this;
    }

    /**
     * How long one page may take before the process is killed; default 120 s.
     *
     * @param timeout the most one page may take
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but is: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Checks that the program runs and has the languages, and returns the engine.
     *
     * @return the engine
     * @throws OcrException if Tesseract is not installed or lacks a language pack; the message says
     *     what to install
     */
    public OcrEngine build() {
      return TesseractEngine.open(this);
    }
  }
}
