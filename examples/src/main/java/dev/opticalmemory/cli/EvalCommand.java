package dev.opticalmemory.cli;

import dev.opticalmemory.eval.CompressionExperiment;
import dev.opticalmemory.eval.CompressionExperimentBuilder;
import dev.opticalmemory.eval.ForgettingExperiment;
import dev.opticalmemory.eval.ForgettingExperimentBuilder;
import dev.opticalmemory.eval.AgedPageReader;
import dev.opticalmemory.eval.ProgressListener;
import dev.opticalmemory.memory.HuggingFaceTokenCounter;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.VisionMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: the experiments of the {@code eval} module, with CSV, plots and an HTML report. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Experiments: compression against precision, forgetting curves, and LoCoMo"
        + " question answering through a vision LLM.",
    subcommands = {EvalCommand.Compression.class, EvalCommand.Forgetting.class,
        EvalCommand.Recall.class, EvalQaCommand.class, EvalCommand.Score.class})
final class EvalCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return OpticalMemoryCli.missingSubcommand(spec);
  }

  /** A one-line progress bar on stderr. */
  static ProgressListener bar(PrintWriter err) {
    return new ProgressListener() {
      private long last;

      @Override
      public void progress(String stage, int done, int total) {
        long now = System.nanoTime();
        if (done != total && done != 0 && now - last < 200_000_000L) {
          return;
        }
        last = now;
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        err.printf("\r%s [%s%s] %d/%d", stage, "#".repeat(filled), " ".repeat(width - filled), done,
            total);
        if (done == total) {
          err.println();
        }
        err.flush();
      }
    };
  }

  static String commandLine(CommandSpec spec) {
    return "optical-memory " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  @Command(name = "compression", mixinStandardHelpOptions = true,
      description = "How much text a page carries at each mode before it can no longer be read "
          + "back: pages cut at 600-1300 text tokens, rendered directly and by downscaling, decoded.")
  static final class Compression implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--corpus", required = true, split = ",", arity = "1..*", paramLabel = "DIR|FILE",
        description = "Text files, or folders of them (space- or comma-separated, or repeated).")
    List<Path> corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--engine", split = ",", defaultValue = "paddle", paramLabel = "NAME",
        description = "paddle, tesseract and/or deepseek (comma-separated). Default: ${DEFAULT-VALUE}.")
    List<String> engines;

    @Option(names = "--deepseek-url", paramLabel = "URL", description = "DeepSeek-OCR server "
        + "(default: $" + Engines.URL_VARIABLE + ").")
    String deepseekUrl;

    @Option(names = "--deepseek-model", paramLabel = "NAME", description = "Served model name.")
    String deepseekModel;

    @Option(names = "--modes", split = ",", defaultValue = "large,base,small,tiny",
        paramLabel = "MODE", description = "Modes. Default: ${DEFAULT-VALUE}.")
    List<String> modes;

    @Option(names = "--pages", defaultValue = "3", paramLabel = "N",
        description = "Pages per density bucket. Default: ${DEFAULT-VALUE}.")
    int pages;

    @Option(names = "--limit", paramLabel = "N", description = "At most N pages in all (a quick run).")
    Integer limit;

    @Option(names = "--memory-pages", description = "Also append each LoCoMo conversation of the"
        + " corpus to a real memory whose pages age to base, small and tiny, and score the pages it"
        + " decodes in the background (path memory; about 3 s of CPU per page and tier).")
    boolean memoryPages;

    @Option(names = "--page-reader", description = "With --memory-pages: the memory reads its pages"
        + " with the renderer's page reader first, as a memory does by default, and the engine reads"
        + " only the lines it leaves (engine \"page reader + NAME\"). Without it the engine reads"
        + " every line.")
    boolean pageReader;

    @Option(names = "--region-marks", description = "With --memory-pages: the memory draws region"
        + " marks on its pages (each turn's number before its first line); column marksRead says"
        + " how many the decoder read back.")
    boolean regionMarks;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Count text tokens with this "
        + "tokenizer.json (the paper uses DeepSeek's); default o200k.")
    Path tokenizer;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
      List<VisionMode> parsed = new ArrayList<>();
      for (String m : modes) {
        try {
          parsed.add(VisionMode.valueOf(m.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--modes: unknown mode '" + m + "', expected tiny, small, base or"
              + " large", e);
        }
      }
      for (Path p : corpus) {
        if (!Files.exists(p)) {
          throw new CliException("--corpus: no such file or folder: " + p);
        }
      }
      List<OcrEngine> opened = new ArrayList<>();
      HuggingFaceTokenCounter counter = null;
      try {
        CompressionExperimentBuilder b = CompressionExperiment.builder().corpus(corpus)
            .modes(parsed).pagesPerBucket(pages).seed(seed).memoryPages(memoryPages)
            .readOwnPages(pageReader).regionMarks(regionMarks)
            .progress(bar(spec.commandLine().getErr()))
            .commandLine(commandLine(spec));
        for (String name : engines) {
          OcrEngine engine = Engines.open(name, deepseekUrl, deepseekModel, System.getenv());
          opened.add(engine);
          b.engine(name, engine);
        }
        if (limit != null) {
          b.limit(limit);
        }
        if (tokenizer != null) {
          counter = TokenCounter.huggingFace(tokenizer);
          b.tokenCounter(tokenizer.toString(), counter);
        }
        CompressionExperiment.Result result = b.build().run(out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%d rows; %s, %s, %s, %s%n", result.rows().size(), result.csv(), result.summary(),
            result.plot(), result.html());
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      } finally {
        opened.forEach(OcrEngine::close);
        if (counter != null) {
          counter.close();
        }
      }
    }
  }

  @Command(name = "forgetting", mixinStandardHelpOptions = true,
      description = {"Forgetting curves: LoCoMo conversations fed turn by turn into a fresh memory "
          + "per policy; at checkpoints, which answers can still be read from what a reader is sent.",
          "Writes forgetting.csv (a row per reader, policy, budget, checkpoint and question),"
          + " forgetting-cost.csv, forgetting-summary.md (answers readable at the end by budget;"
          + " survival by age and by tier sent, per reader), plots (forgetting-curve.png: every"
          + " reader at the middle budget; forgetting-curve-READER.png, forgetting-budget.png,"
          + " forgetting-tiers.png, forgetting-cost.png) and forgetting.html.",
          "Systems at equal tokens: full-text, rag (BM25 over turns, the question as the query),"
          + " window+rag, optical, optical+rag, optical+read and optical+rag+read (the optical"
          + " context in B - R; in R = --rag-share x B, retrieved turns, regions read back exactly,"
          + " or both).",
          "deepseek-modelled and deepseek-bursts are models calibrated on DeepSeek-OCR's published"
          + " Fox table, not measurements; every table, plot and CSV row says so."})
  static final class Forgetting implements Callable<Integer> {
    static final String MODELLED = "deepseek-modelled";
    static final String BURSTS = "deepseek-bursts";

    @Spec CommandSpec spec;

    @Mixin LocomoRun run;

    @Option(names = "--policy", split = ",", defaultValue = "text-window,tier-small,tiered",
        paramLabel = "NAME", description = "Systems (full-text, rag, window+rag, optical,"
            + " optical+rag, optical+read, optical+rag+read) and memory policies (text-window, tier-large, tier-base,"
            + " tier-small, tier-tiny, tiered, importance, importance-no-salience,"
            + " importance-no-rehearsal, importance-restart, legibility-only)."
            + " Default: ${DEFAULT-VALUE}.")
    List<String> policies;

    @Option(names = "--rag-share", split = ",", defaultValue = "0.5", paramLabel = "R",
        description = "Share of the budget that window+rag and the optical systems with a share"
            + " spend on"
            + " turns retrieved or read (above 0, below 1; several are each reported)."
            + " Default: ${DEFAULT-VALUE}.")
    List<Double> shares;

    @Option(names = "--rag-floor", paramLabel = "TOKENS", description = "The fewest tokens"
        + " window+rag, optical+rag and optical+rag+read spend on retrieved or read turns, whatever"
        + " the share (at most the"
        + " budget; 0: the share alone). Default: 1000 with --retrieval hybrid, else 0.")
    Integer ragFloor;

    @Option(names = "--focus", paramLabel = "F", description = "How much the question weighs the"
        + " pages of optical+rag, optical+read and optical+rag+read (0: not at all). Default: "
        + ForgettingExperiment.DEFAULT_FOCUS + ".")
    Double focus;

    @Option(names = "--page-font-size", paramLabel = "PX", description = "Font size of the"
        + " memories' pages in pixels on the 1,280 px page (default the memory's: 20).")
    Float pageFontSize;

    @Option(names = "--region-marks", description = "Draw the memories' pages with region marks"
        + " (each turn's number before its first line); optical+read's pointer then names each"
        + " region by the mark it read.")
    boolean regionMarks;

    @Option(names = "--retrieval", defaultValue = "lexical", paramLabel = "NAME",
        description = "How rag, window+rag, optical+rag and optical+rag+read rank turns: lexical"
            + " (BM25) or hybrid"
            + " (BM25 and --embedder's meaning, fused as the memory's recall fuses them)."
            + " Default: ${DEFAULT-VALUE}.")
    String retrieval;

    @Option(names = "--embedder", defaultValue = "minilm", paramLabel = "NAME",
        description = "Embedding model of --retrieval hybrid: minilm, bge-small or e5-small."
            + " Default: ${DEFAULT-VALUE}.")
    String embedder;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES", description = "The most bytes a"
        + " request of the optical systems may weigh, pages as base64 PNG (default: the"
        + " reader's own limit, none for DeepSeek-OCR).")
    Long maxRequestBytes;

    @Option(names = "--budget", split = ",", defaultValue = "4000", paramLabel = "N",
        description = "Context budgets in tokens. Default: ${DEFAULT-VALUE}.")
    List<Integer> budgets;

    @Option(names = "--reader", split = ",", defaultValue = "paddle", paramLabel = "NAME",
        description = "Who reads the pages (comma-separated): paddle, tesseract, deepseek (a"
            + " DeepSeek-OCR server: measured), " + MODELLED + " (DeepSeek-OCR modelled on its"
            + " paper's Fox table, independent character edits: not measured), " + BURSTS
            + " (the same precision, whole words misread and lines dropped: not measured)."
            + " Default: ${DEFAULT-VALUE}.")
    List<String> readers;

    @Option(names = "--budget-reader", defaultValue = "deepseek-ocr", paramLabel = "NAME",
        description = "The model and server whose token counts the budget is spent in, as"
            + " 'price' names them: deepseek-ocr, deepseek-ocr:gundam, gpt-4o, claude, gemini-3,"
            + " qwen2.5-vl... Default: ${DEFAULT-VALUE}.")
    String budgetReader;

    @Option(names = "--deepseek-url", paramLabel = "URL", description = "DeepSeek-OCR server for"
        + " --reader deepseek (default: $" + Engines.URL_VARIABLE + ").")
    String deepseekUrl;

    @Option(names = "--deepseek-model", paramLabel = "NAME", description = "Served model name.")
    String deepseekModel;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
        description = "Seed of the modelled reader's edits. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--every", defaultValue = "50", paramLabel = "N",
        description = "Turns between checkpoints. Default: ${DEFAULT-VALUE}.")
    int every;

    @Option(names = "--limit", paramLabel = "N", description = "At most N turns per conversation.")
    Integer limit;

    @Override
    public Integer call() {
      for (String name : readers) {
        if (VisionReader.NAMES.contains(name) || VisionReader.ALIAS_NAMES.containsKey(name)) {
          throw CliException.usage("--reader " + name + ": --reader names who reads the pages ("
              + String.join(", ", Engines.NAMES) + ", " + MODELLED + ", " + BURSTS + "); the reader"
              + " whose tokens the budget counts is --budget-reader " + name);
        }
        if (!name.equals(MODELLED) && !name.equals(BURSTS) && !Engines.NAMES.contains(name)) {
          throw CliException.usage("--reader: unknown reader '" + name + "', expected one of "
              + String.join(", ", Engines.NAMES) + ", " + MODELLED + ", " + BURSTS);
        }
      }
      VisionReader budgetCounter;
      try {
        budgetCounter = VisionReader.named(budgetReader);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--budget-reader: " + e.getMessage(), e);
      }
      run.checkFiles();
      List<OcrEngine> opened = new ArrayList<>();
      try {
        ForgettingExperimentBuilder b;
        try {
          b = ForgettingExperiment.builder().locomo(run.locomo).policies(policies)
              .shares(shares).budgets(budgets);
          if (ragFloor != null) {
            b.ragFloor(ragFloor);
          }
          if (maxRequestBytes != null) {
            b.maxRequestBytes(maxRequestBytes);
          }
          if (pageFontSize != null) {
            b.pageFontSize(pageFontSize);
          }
          b.regionMarks(regionMarks);
          if (retrieval.equals("hybrid")) {
            b.hybridRetrieval(dev.opticalmemory.eval.RecallExperiment.Model.of(embedder));
          } else if (!retrieval.equals("lexical")) {
            throw new IllegalArgumentException("--retrieval must be lexical or hybrid, but is: '"
                + retrieval + "'");
          }
          if (focus != null) {
            b.focus(focus);
          }
        } catch (IllegalArgumentException e) {
          throw CliException.usage(e.getMessage(), e);
        }
        b.reader(budgetCounter)
            .checkpointEvery(every).progress(bar(spec.commandLine().getErr()))
            .commandLine(commandLine(spec));
        for (String name : new java.util.LinkedHashSet<>(readers)) {
          if (name.equals(MODELLED)) {
            b.pageReader(AgedPageReader.deepSeekModelled(seed));
          } else if (name.equals(BURSTS)) {
            b.pageReader(AgedPageReader.deepSeekBursts(seed));
          } else {
            OcrEngine engine = Engines.open(name, deepseekUrl, deepseekModel, System.getenv());
            opened.add(engine);
            b.pageReader(AgedPageReader.measured(name, engine));
          }
        }
        if (limit != null) {
          b.limit(limit);
        }
        ForgettingExperiment.Result result = b.build().run(run.out);
        spec.commandLine().getOut().printf("%d probes; %s, %s, %s, %s, %s, %s%n",
            result.rows().size() / readers.stream().distinct().count(), result.csv(),
            result.costCsv(), result.summary(), result.curve(), result.cost(), result.html());
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      } finally {
        opened.forEach(OcrEngine::close);
      }
    }
  }

  @Command(name = "recall", mixinStandardHelpOptions = true,
      description = {"Recall on LoCoMo: each conversation appended to a memory with its defaults"
          + " (pages rendered, aged and decoded; turns embedded), then every question of"
          + " categories 1-4 asked of recall, ranked by BM25, by meaning and by both (hybrid), in"
          + " the same run.",
          "Writes recall.csv (a row per question and ranking: the rank of the first passage"
              + " spanning an evidence turn, whether the answer is read in the returned text,"
              + " latency), recall-summary.md (evidence recall@1/3/5, answer recall@k, latency"
              + " p50/p99), recall.png and recall.html."})
  static final class Recall implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin LocomoRun run;

    @Option(names = "--k", defaultValue = "5", paramLabel = "N",
        description = "Passages returned per question. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--limit", paramLabel = "N", description = "At most N turns per conversation.")
    Integer limit;

    @Option(names = "--embedder", defaultValue = "minilm", paramLabel = "NAME",
        description = "Embedding model of dense and hybrid recall: minilm (the memory's default,"
            + " all-MiniLM-L6-v2), bge-small (BGE small English v1.5, Embedder.bgeSmallEnV15()) or"
            + " e5-small (E5 small v2, Embedder.e5SmallV2(); the best measured)."
            + " Default: ${DEFAULT-VALUE}.")
    String embedder;

    @Override
    public Integer call() {
      dev.opticalmemory.eval.RecallExperiment.Builder b;
      try {
        b = dev.opticalmemory.eval.RecallExperiment.builder().locomo(run.locomo).k(k)
            .model(dev.opticalmemory.eval.RecallExperiment.Model.of(embedder));
        if (limit != null) {
          b.limit(limit);
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage(), e);
      }
      run.checkFiles();
      try {
        var result = b.progress(bar(spec.commandLine().getErr())).commandLine(commandLine(spec))
            .build().run(run.out);
        spec.commandLine().getOut().printf("%d rows; %s, %s, %s, %s%n", result.rows().size(),
            result.csv(), result.summary(), result.plot(), result.html());
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }

  @Command(name = "score", mixinStandardHelpOptions = true,
      description = {"Scores predictions from anywhere as LoCoMo's own script does (its F1 with"
          + " NLTK's Porter stems, by category) and as mem0 does (token sets), so that figures"
          + " stand beside published ones.",
          "Input: JSON Lines, one object per question with prediction, answer (text or number)"
              + " and category (1-5), and optionally id; a line with error instead of a"
              + " prediction is a question that got no answer.",
          "Writes scores.jsonl (per row: LoCoMo's F1 and mem0's) and score-summary.md; prints"
              + " LoCoMo's overall (every category), its F1 over categories 1-4 and mem0's F1"
              + " over 1-4, once with errored rows as 0 (strict) and once without them."})
  static final class Score implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE.jsonl",
        description = "The predictions.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws java.io.IOException {
      if (!java.nio.file.Files.isRegularFile(input)) {
        throw CliException.usage("--input must be a file, but is: " + input
            + (java.nio.file.Files.exists(input) ? " (not a regular file)" : " (not found)"));
      }
      List<dev.opticalmemory.eval.AnswerScores.Scored> rows;
      try {
        rows = dev.opticalmemory.eval.AnswerScores.scoreFile(input);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
      java.nio.file.Files.createDirectories(out);
      dev.opticalmemory.eval.AnswerScores.writeRows(rows, out.resolve("scores.jsonl"));
      List<String> lines = dev.opticalmemory.eval.AnswerScores.summaryLines(rows);
      java.nio.file.Files.writeString(out.resolve("score-summary.md"), "Scores of " + input
          .getFileName() + " (" + rows.size() + " rows), as LoCoMo's task_eval/evaluation.py and"
          + " mem0's evaluation score them:\n\n```\n" + String.join("\n", lines) + "\n```\n");
      PrintWriter w = spec.commandLine().getOut();
      lines.forEach(w::println);
      w.println("wrote " + out.resolve("scores.jsonl") + " and " + out.resolve("score-summary.md"));
      w.flush();
      return 0;
    }
  }

  /** The LoCoMo files and the output folder every LoCoMo experiment takes. */
  static final class LocomoRun {
    @Option(names = "--locomo", required = true, split = ",", arity = "1..*", paramLabel = "FILE",
        description = "LoCoMo conversation files (space- or comma-separated, or repeated).")
    List<Path> locomo;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    /** Refuses a LoCoMo file that does not exist, before any work. */
    void checkFiles() {
      for (Path p : locomo) {
        if (!Files.isRegularFile(p)) {
          throw new CliException("--locomo: no such file: " + p);
        }
      }
    }
  }
}
