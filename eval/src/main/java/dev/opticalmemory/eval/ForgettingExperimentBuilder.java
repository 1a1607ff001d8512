package dev.opticalmemory.eval;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.ocr.OcrEngine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The settings of a {@link ForgettingExperiment}: LoCoMo files and an OCR engine are required. */
public final class ForgettingExperimentBuilder
    extends ExperimentBuilder<ForgettingExperimentBuilder> {
  List<String> policies = List.of("text-window", "tier-small", "tiered");
  List<Integer> budgets = List.of(4_000);
  List<Double> shares = List.of(0.5);
  Integer ragFloor;
  float pageFontSize;
  boolean regionMarks;
  RecallExperiment.Model embedder;
  long maxRequestBytes;
  double focus = ForgettingExperiment.DEFAULT_FOCUS;
  VisionReader reader = VisionReader.deepSeekOcr();
  final Map<String, AgedPageReader> pageReaders = new LinkedHashMap<>();
  int every = 50;
  int limit = Integer.MAX_VALUE;

  ForgettingExperimentBuilder() {}

  public ForgettingExperimentBuilder locomo(List<Path> files) {
    return locomoFiles(files);
  }

  /**
   * Systems from {@link ForgettingExperiment#SYSTEMS} and policies from
   * {@link ForgettingExperiment#POLICIES}, each once; default text-window, tier-small, tiered.
   */
  public ForgettingExperimentBuilder policies(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("policies must not be empty");
    }
    names.forEach(ForgettingExperiment::base);
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("policies must each be named once, but are: " + names);
    }
    this.policies = List.copyOf(names);
    return this;
  }

  /**
   * The shares R of the budget that window+rag and the optical systems with a share spend on turns
   * retrieved or read, each above 0 and below 1; default 0.5 (an even split). With several,
   * each system that has a share is reported once per share.
   */
  public ForgettingExperimentBuilder shares(List<Double> shares) {
    if (shares == null || shares.isEmpty()
        || shares.stream().anyMatch(x -> x == null || !(x > 0 && x < 1))) {
      throw new IllegalArgumentException("shares must each be above 0 and below 1, but are: "
          + shares);
    }
    this.shares = List.copyOf(new java.util.LinkedHashSet<>(shares));
    return this;
  }

  /**
   * The fewest tokens the systems that retrieve (window+rag, optical+rag, optical+rag+read) spend
   * on retrieved or read turns, whatever the share: R is
   * the budget times the share, but at least this (and at most the budget, which then leaves no
   * room for pages or a window). optical+read keeps the share alone. 0 to 1,000,000; default
   * {@value ForgettingExperiment#HYBRID_RAG_FLOOR} with hybrid retrieval ({@link #embedder}), 0
   * with BM25 alone.
   */
  public ForgettingExperimentBuilder ragFloor(int tokens) {
    if (tokens < 0 || tokens > 1_000_000) {
      throw new IllegalArgumentException("ragFloor must be between 0 and 1000000, but is: "
          + tokens);
    }
    this.ragFloor = tokens;
    return this;
  }

  /**
   * How much the question weighs the pages of optical+rag, optical+read and optical+rag+read:
   * each page's
   * importance is multiplied by one plus this times its BM25 match with the question (0 to 1,
   * {@link OpticalMemory#relevance}); 0 assembles those contexts without the question. Default
   * {@value #ForgettingExperiment.DEFAULT_FOCUS}.
   */
  public ForgettingExperimentBuilder focus(double focus) {
    if (!(focus >= 0 && focus <= 1_000)) {
      throw new IllegalArgumentException("focus must be between 0 and 1000, but is: " + focus);
    }
    this.focus = focus;
    return this;
  }

  /**
   * The font size of the memories' pages, in pixels on the 1,280 px page (see
   * {@link OpticalMemoryBuilder#pageFontSize}); default the memory's own.
   */
  public ForgettingExperimentBuilder pageFontSize(float pixels) {
    OpticalMemory.builder().pageFontSize(pixels); // the memory's own bounds and message
    this.pageFontSize = pixels;
    return this;
  }

  /**
   * Whether the memories' pages carry region marks (see
   * {@link OpticalMemoryBuilder#regionMarks}); default off, as a memory's. With marks the
   * pointer of {@code optical+read} and {@code optical+rag+read} names each region by the mark it
   * read; without, it cuts
   * what it read of a page at its turns (by lines, or in proportion to their length).
   */
  public ForgettingExperimentBuilder regionMarks(boolean marks) {
    this.regionMarks = marks;
    return this;
  }

  /**
   * Hybrid retrieval for rag, window+rag, optical+rag and optical+rag+read (and the pointers'
   * ranking of what they read): turns ranked by BM25 and by meaning
   * together (weighted reciprocal rank fusion, as the memory's recall fuses them), each turn
   * embedded after the turn before it by {@code model}; null (the default) for BM25 alone.
   */
  public ForgettingExperimentBuilder hybridRetrieval(RecallExperiment.Model model) {
    this.embedder = model;
    return this;
  }

  /**
   * The most bytes a request of the optical systems may weigh (see
   * {@link ContextAssembler.Builder#maxRequestBytes}); default the reader's own limit.
   */
  public ForgettingExperimentBuilder maxRequestBytes(long bytes) {
    ContextAssembler.builder().maxRequestBytes(bytes); // the assembler's bounds and message
    this.maxRequestBytes = bytes;
    return this;
  }

  /** Context budgets to compare at, each at least 500 tokens; default 4,000. */
  public ForgettingExperimentBuilder budgets(List<Integer> budgets) {
    if (budgets == null || budgets.isEmpty() || budgets.stream().anyMatch(b -> b < 500)) {
      throw new IllegalArgumentException("budgets must be at least 500 tokens each, but are: "
          + budgets);
    }
    this.budgets = List.copyOf(budgets);
    return this;
  }

  /** The reader whose token counts the budget is spent in; default DeepSeek-OCR. */
  public ForgettingExperimentBuilder reader(VisionReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
    return this;
  }

  /**
   * Adds a measured reader: this engine run on the pages' pixels, named by the engine (not closed
   * by the experiment).
   */
  public ForgettingExperimentBuilder ocr(OcrEngine ocr) {
    Objects.requireNonNull(ocr, "ocr");
    return pageReader(AgedPageReader.measured(ocr.name(), ocr));
  }

  /** Adds a reader of the pages; each reader's name once. */
  public ForgettingExperimentBuilder pageReader(AgedPageReader reader) {
    Objects.requireNonNull(reader, "reader");
    if (pageReaders.containsKey(reader.name())) {
      throw new IllegalArgumentException("pageReader " + reader.name() + " is given twice");
    }
    pageReaders.put(reader.name(), reader);
    return this;
  }

  /** Turns between checkpoints, at least 1; default 50. */
  public ForgettingExperimentBuilder checkpointEvery(int turns) {
    if (turns < 1) {
      throw new IllegalArgumentException("checkpointEvery must be at least 1, but is: " + turns);
    }
    this.every = turns;
    return this;
  }

  /** At most this many turns of each conversation (a quick run); default all. */
  public ForgettingExperimentBuilder limit(int turns) {
    if (turns < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but is: " + turns);
    }
    this.limit = turns;
    return this;
  }

  public ForgettingExperiment build() {
    if (files.isEmpty() || pageReaders.isEmpty()) {
      throw new IllegalArgumentException("LoCoMo files and at least one page reader (an OCR"
          + " engine or the modelled DeepSeek-OCR) are required");
    }
    return new ForgettingExperiment(this);
  }
}
