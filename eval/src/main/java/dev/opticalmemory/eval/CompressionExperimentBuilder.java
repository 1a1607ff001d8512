package dev.opticalmemory.eval;

import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.VisionMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link CompressionExperiment}: a corpus and at least one engine are required.
 */
public final class CompressionExperimentBuilder
    extends ExperimentBuilder<CompressionExperimentBuilder> {
  final List<Path> corpus = new ArrayList<>();
  final Map<String, OcrEngine> engines = new LinkedHashMap<>();
  List<VisionMode> modes = List.of(VisionMode.LARGE, VisionMode.BASE, VisionMode.SMALL,
      VisionMode.TINY);
  int pagesPerBucket = 3;
  int limit = Integer.MAX_VALUE;
  boolean memoryPages;
  boolean readOwnPages;
  boolean regionMarks;
  long seed = 42;
  TokenCounter tokens = TokenCounter.o200k();
  String tokenizerName = "o200k";

  CompressionExperimentBuilder() {}

  /**
   * Text files, or folders of them (every file beneath, in name order; non-UTF-8 skipped); LoCoMo
   * {@code .json} files count as the text of their turns.
   */
  public CompressionExperimentBuilder corpus(List<Path> paths) {
    if (paths == null || paths.isEmpty()) {
      throw new IllegalArgumentException("corpus must name at least one file or folder");
    }
    corpus.addAll(paths);
    return this;
  }

  /** An engine to decode with, under a label for the report (not closed by the experiment). */
  public CompressionExperimentBuilder engine(String label, OcrEngine engine) {
    engines.put(Objects.requireNonNull(label, "label"), Objects.requireNonNull(engine, "engine"));
    return this;
  }

  public CompressionExperimentBuilder modes(List<VisionMode> modes) {
    if (modes == null || modes.isEmpty()) {
      throw new IllegalArgumentException("modes must not be empty");
    }
    this.modes = List.copyOf(modes);
    return this;
  }

  /** Pages per density bucket, 1 to 100; default 3. */
  public CompressionExperimentBuilder pagesPerBucket(int pages) {
    if (pages < 1 || pages > 100) {
      throw new IllegalArgumentException("pagesPerBucket must be between 1 and 100, but is: "
          + pages);
    }
    this.pagesPerBucket = pages;
    return this;
  }

  /**
   * Whether also to append each LoCoMo conversation of the corpus to a real memory whose pages
   * age to BASE, SMALL and TINY, and score the pages it decodes (path {@code memory}); default
   * off, since every page is drawn, aged and decoded at each tier.
   */
  public CompressionExperimentBuilder memoryPages(boolean on) {
    this.memoryPages = on;
    return this;
  }

  /**
   * Whether the memory of {@link #memoryPages} reads its pages with the renderer's page reader
   * first, as a memory does by default, each engine reading only the lines it leaves (rows'
   * engine "page reader + NAME"); default off: the engines read every line, which is what this
   * experiment measures of them.
   */
  public CompressionExperimentBuilder readOwnPages(boolean on) {
    this.readOwnPages = on;
    return this;
  }

  /**
   * Whether the memory of {@link #memoryPages} draws region marks on its pages (see
   * {@link dev.opticalmemory.memory.OpticalMemoryBuilder#regionMarks}); default off, as a
   * memory's. A page's precision is measured against its text as drawn, marks included.
   */
  public CompressionExperimentBuilder regionMarks(boolean on) {
    this.regionMarks = on;
    return this;
  }

  /** At most this many pages in all (a quick run); default no limit. */
  public CompressionExperimentBuilder limit(int pages) {
    if (pages < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but is: " + pages);
    }
    this.limit = pages;
    return this;
  }

  public CompressionExperimentBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Counts text tokens (the paper uses DeepSeek's tokenizer); default o200k. */
  public CompressionExperimentBuilder tokenCounter(String name, TokenCounter counter) {
    this.tokenizerName = Objects.requireNonNull(name, "name");
    this.tokens = Objects.requireNonNull(counter, "counter");
    return this;
  }

  public CompressionExperiment build() {
    if (corpus.isEmpty() || engines.isEmpty()) {
      throw new IllegalArgumentException("a corpus and at least one engine are required");
    }
    return new CompressionExperiment(this);
  }
}
