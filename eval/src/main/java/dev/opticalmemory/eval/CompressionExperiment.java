package dev.opticalmemory.eval;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Retention;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;

import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.VisionTokenCost;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How much text a page carries at each resolution before it can no longer be read back: DeepSeek-OCR's
 * Fox experiment, on any corpus and OCR engine.
 *
 * <p>Each text is cut into page-sized chunks whose token counts fall in the paper's density buckets
 * (600-700 up to 1200-1300 text tokens). Each chunk is laid out on one 1280 px page with the largest
 * font that holds it, then drawn at every mode three ways: directly at the mode's size (same line
 * breaks), rendered large then downscaled by area averaging, and along the memory's chain (each
 * tier downscaled from the stored image of the tier above, in the memory's default encodings, and
 * read with the page's line boxes as the memory's background decoding reads it). Every image is
 * decoded, and scored by precision and word accuracy; each row of
 * {@code compression.csv} is one page, mode, render path and engine. The
 * compression ratio is text tokens over DeepSeek-OCR's vision tokens for the mode (64, 100, 256,
 * 400), as in the paper; each reader's image tokens are recorded beside it.
 */
public final class CompressionExperiment {

  private final List<Path> corpus;
  private final Map<String, OcrEngine> engines;
  private final List<VisionMode> modes;
  private final int pagesPerBucket;
  private final int limit;
  private final long seed;
  private final TokenCounter tokens;
  private final String tokenizerName;
  private final FontSet fonts;
  private final ProgressListener progress;
  private final String commandLine;
  private final boolean memoryPages;
  private final boolean readOwnPages;
  private final boolean regionMarks;

  CompressionExperiment(CompressionExperimentBuilder b) {
    this.corpus = List.copyOf(b.corpus);
    this.engines = new LinkedHashMap<>(b.engines);
    this.modes = List.copyOf(b.modes);
    this.pagesPerBucket = b.pagesPerBucket;
    this.limit = b.limit;
    this.seed = b.seed;
    this.tokens = b.tokens;
    this.tokenizerName = b.tokenizerName;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
    this.memoryPages = b.memoryPages;
    this.readOwnPages = b.readOwnPages;
    this.regionMarks = b.regionMarks;
  }

  public static CompressionExperimentBuilder builder() {
    return new CompressionExperimentBuilder();
  }

  /** What a run wrote. */
  public record Result(Path csv, Path summary, Path plot, Path html, List<CompressionRow> rows) {}

  /** A chunk of text that fits one page, with its density bucket. */
  private record Chunk(String corpus, int index, int bucket, String text, int textTokens) {}

  /**
   * Runs the experiment and writes {@code compression.csv}, {@code compression-summary.md},
   * {@code compression-precision.png} and {@code compression.html} into {@code out}.
   *
   * @throws IllegalArgumentException if the corpus yields no page in any bucket
   */
  public Result run(Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + out, e);
    }
    List<Chunk> chunks = chunks();
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("corpus " + corpus + " yields no page of 600 to 1300 text"
          + " tokens (each text needs at least 600 tokens)");
    }
    int total = 0;
    for (VisionMode mode : modes) {
      total += chunks.size() * engines.size() * (mode == VisionMode.LARGE ? 1 : 3);
    }
    List<CompressionRow> rows = new ArrayList<>();
    int done = 0;
    progress.progress("decoding pages", 0, total);
    for (Chunk chunk : chunks) {
      float fontSize = fittingFont(chunk.text());
      PageRenderer renderer = renderer(fontSize);
      PageLayout page = renderer.layout(List.of(Turn.plain(chunk.text()))).get(0);
      BufferedImage large = renderer.render(page).image();
      Map<VisionMode, BufferedImage> chain = chain(large);
      for (VisionMode mode : modes) {
        for (String path : mode == VisionMode.LARGE ? List.of("direct")
            : List.of("direct", "downscaled", "chain")) {
          BufferedImage image = path.equals("direct")
              ? (mode == VisionMode.LARGE ? large : renderer.render(page, mode).image())
              : path.equals("chain") ? chain.get(mode) : PageImages.downscale(large, mode);
          for (Map.Entry<String, OcrEngine> engine : engines.entrySet()) {
            long start = System.nanoTime();
            // Along the chain the page is read as the memory reads it: with the line boxes the
            // renderer knows (PP-OCR skips detection where the lines are tall enough).
            String text = path.equals("chain")
                ? engine.getValue().read(image, page.lineBoxes(image.getWidth(),
                    image.getHeight())).text()
                : engine.getValue().read(image).text();
            long millis = (System.nanoTime() - start) / 1_000_000;
            rows.add(row(chunk, mode, path, engine.getKey(), fontSize, text, millis));
            progress.progress("decoding pages", ++done, total);
          }
        }
      }
    }
    if (memoryPages) {
      rows.addAll(memoryRows(out));
    }
    return write(out, rows);
  }

  /**
   * The memory's own pages: each LoCoMo conversation of the corpus appended to a real memory (an H2
   * file, the source kept) whose closed pages all age to one tier, through the real chain (LARGE
   * drawn, each lower tier downscaled from the stored image above, default encodings), and decoded
   * once in the background at that tier as the memory decodes them (line boxes from the page map).
   * One row per page and tier, scored by the fidelity the memory measured and stored.
   */
  private List<CompressionRow> memoryRows(Path out) {
    List<Locomo.Conversation> conversations = new ArrayList<>();
    for (Path file : files()) {
      if (file.getFileName().toString().endsWith(".json")) {
        try {
          conversations.add(Locomo.read(file));
        } catch (IllegalArgumentException notLocomo) {
          // only LoCoMo conversations are appended
        }
      }
    }
    List<CompressionRow> rows = new ArrayList<>();
    int total = conversations.size() * engines.size() * 3;
    int done = 0;
    for (Map.Entry<String, OcrEngine> engine : engines.entrySet()) {
      for (Tier tier : List.of(Tier.BASE, Tier.SMALL, Tier.TINY)) {
        for (Locomo.Conversation c : conversations) {
          progress.progress("ageing conversations through a memory", done++, total);
          Path db = out.resolve("memory-pages").resolve(engine.getKey() + "-" + tier + "-"
              + c.id());
          try {
            // A run's memory, kept for inspection (stats, recall): a rerun starts it afresh
            // rather than appending the conversation twice.
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".mv.db"));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the memory " + db, e);
          }
          try (OpticalMemory memory = OpticalMemory.builder().path(db).fonts(fonts)
              .ocr(engine.getValue()).readOwnPages(readOwnPages).regionMarks(regionMarks)
              .retention(Retention.KEEP)
              .agingPolicy(AgingPolicy.fixed(tier)).executor(Runnable::run).build()) {
            for (MemoryTurn t : c.turns()) {
              memory.append(c.id(), t);
            }
            for (Segment segment : memory.segments(c.id())) {
              Double precision = segment.fidelity().get(tier);
              if (segment.tier() != tier || precision == null) {
                continue; // the open segment and the text segments the policy keeps
              }
              int vision = tier.mode().visionTokens();
              int side = tier.mode().pixels();
              Double words = segment.wordAccuracy().get(tier);
              byte[] png = memory.png(c.id(), segment.id()).orElseThrow();
              CompressionRow row = new CompressionRow(c.id(), segment.index(),
                  java.util.Optional.empty(), tier.mode().name().toLowerCase(), "memory",
                  (readOwnPages ? "page reader + " : "") + engine.getKey(), segment.chars(),
                  segment.textTokens(), vision, (double) segment.textTokens() / vision, precision,
                  words == null ? java.util.OptionalDouble.empty()
                      : java.util.OptionalDouble.of(words),
                  java.util.OptionalLong.empty(), java.util.OptionalDouble.empty(),
                  VisionTokenCost.openAi().tokens(side, side, Detail.HIGH),
                  VisionTokenCost.anthropic().tokens(side, side, Detail.HIGH),
                  VisionTokenCost.gemini().tokens(side, side, Detail.HIGH),
                  VisionTokenCost.qwenVl().tokens(side, side, Detail.HIGH), tokenizerName,
                  java.util.OptionalLong.of(png.length), regionMarks
                      ? java.util.OptionalDouble.of(marksRead(png, segment, engine.getValue()))
                      : java.util.OptionalDouble.empty());
              rows.add(row);
            }
          }
        }
      }
    }
    progress.progress("ageing conversations through a memory", total, total);
    return rows;
  }

  /**
   * The share of a memory page's region marks that its decoder reads back as drawn: the page read
   * again from its PNG alone, as the memory reads it (the page reader first where asked, then the
   * engine), each turn's number looked for at the start of a line.
   */
  private double marksRead(byte[] png, Segment segment, OcrEngine engine) {
    dev.opticalmemory.renderer.PageLabel label = dev.opticalmemory.renderer.PageLabel.fromPng(png)
        .orElseThrow(() -> new IllegalStateException("the memory's page " + segment.index()
            + " carries no layout label"));
    String text = dev.opticalmemory.memory.KnownPageDecoder.read(PageImages.decode(png),
        label.layout(), null, readOwnPages
            ? label.reader(dev.opticalmemory.ocr.KnownWords::contains) : null, () -> engine).text();
    List<String> lines = List.of(text.split("\n"));
    int read = 0;
    for (int t = segment.firstTurn(); t <= segment.lastTurn(); t++) {
      String mark = Turn.markText(t);
      read += lines.stream().anyMatch(l -> l.startsWith(mark)) ? 1 : 0;
    }
    return (double) read / (segment.lastTurn() - segment.firstTurn() + 1);
  }

  /**
   * The page as the memory keeps it at each tier: each downscaled from the stored image of the
   * tier above and stored in the memory's default encoding (BASE black and white, SMALL and
   * TINY 16 gray levels), then decoded.
   *
   * @param large the page at LARGE (1280 px)
   * @return the decoded stored image at BASE, SMALL and TINY
   */
  public static Map<VisionMode, BufferedImage> chain(BufferedImage large) {
    Map<VisionMode, BufferedImage> chain = new java.util.EnumMap<>(VisionMode.class);
    BufferedImage above = large;
    for (Tier tier : List.of(Tier.BASE, Tier.SMALL, Tier.TINY)) {
      byte[] stored = PageImages.encode(PageImages.downscale(PageImages.toGray(above), tier.mode()),
          dev.opticalmemory.memory.OpticalMemoryBuilder.defaultEncoding(tier));
      above = PageImages.decode(stored);
      chain.put(tier.mode(), above);
    }
    return chain;
  }

  private CompressionRow row(Chunk chunk, VisionMode mode, String path, String engine,
      float fontSize, String text, long millis) {
    int side = mode.pixels();
    int vision = VisionTokenCost.deepSeekOcr(false).tokens(side, side, Detail.HIGH);
    return new CompressionRow(chunk.corpus(), chunk.index(),
        java.util.Optional.of(chunk.bucket() + "-" + (chunk.bucket() + 100)),
        mode.name().toLowerCase(), path, engine, chunk.text().length(), chunk.textTokens(), vision,
        (double) chunk.textTokens() / vision, TextMetrics.precision(text, chunk.text()),
        java.util.OptionalDouble.of(TextMetrics.wordAccuracy(text, chunk.text())),
        java.util.OptionalLong.of(millis), java.util.OptionalDouble.of(fontSize),
        VisionTokenCost.openAi().tokens(side, side, Detail.HIGH),
        VisionTokenCost.anthropic().tokens(side, side, Detail.HIGH),
        VisionTokenCost.gemini().tokens(side, side, Detail.HIGH),
        VisionTokenCost.qwenVl().tokens(side, side, Detail.HIGH), tokenizerName,
        java.util.OptionalLong.empty(), java.util.OptionalDouble.empty());
  }

  private PageRenderer renderer(float fontSize) {
    return PageRenderer.java2d(RenderSpec.builder().mode(VisionMode.LARGE).fonts(fonts)
        .fontSize(fontSize).build());
  }

  /** The largest font (in 0.5 px steps, 6 to 40 px at 1280) with which the text fits one page. */
  private float fittingFont(String text) {
    float lo = 6;
    float hi = 40;
    if (!renderer(lo).fit(List.of(Turn.plain(text))).fitsAll(1)) {
      return lo; // cannot happen for 1,300 tokens; the layout then overflows and is cut
    }
    while (hi - lo > 0.5f) {
      float mid = (lo + hi) / 2;
      if (renderer(mid).fit(List.of(Turn.plain(text))).fitsAll(1)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private List<Chunk> chunks() {
    Map<String, String[]> texts = new TreeMap<>();
    for (Path file : files()) {
      String[] words = read(file).trim().split("\\s+");
      if (words.length > 300) {
        texts.put(file.getFileName().toString(), words);
      }
    }
    if (texts.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(texts.keySet());
    Random random = new Random(seed);
    List<Chunk> chunks = new ArrayList<>();
    int index = 0;
    for (int bucket = 600; bucket < 1300; bucket += 100) {
      for (int k = 0; k < pagesPerBucket && chunks.size() < limit; k++) {
        String name = names.get((bucket / 100 + k) % names.size());
        String[] words = texts.get(name);
        int target = bucket + random.nextInt(100);
        int start = random.nextInt(Math.max(1, words.length - 1500));
        int lo = 1;
        int hi = Math.min(words.length - start, 2000);
        if (count(words, start, hi) < target) {
          continue; // this text is too short for the bucket
        }
        while (lo < hi) { // fewest words reaching the target
          int mid = (lo + hi) / 2;
          if (count(words, start, mid) >= target) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
        String text = String.join(" ", List.of(words).subList(start, start + lo));
        int n = tokens.count(text);
        if (n >= bucket && n < bucket + 100) {
          chunks.add(new Chunk(name, index++, bucket, text, n));
        }
      }
    }
    return chunks;
  }

  private int count(String[] words, int start, int n) {
    return tokens.count(String.join(" ", List.of(words).subList(start, start + n)));
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (Path p : corpus) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list the corpus folder " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new IllegalArgumentException("corpus: no such file or folder: " + p);
      }
    }
    return files;
  }

  /**
   * A corpus file as UTF-8 text; files that are not UTF-8 text are skipped (returned empty). A
   * LoCoMo conversation ({@code .json}) gives its turns as "speaker: text" lines.
   */
  private static String read(Path file) {
    if (file.getFileName().toString().endsWith(".json")) {
      try {
        StringBuilder text = new StringBuilder();
        Locomo.read(file).turns().forEach(t -> text.append(t.speaker()).append(": ")
            .append(t.text()).append('\n'));
        return text.toString();
      } catch (IllegalArgumentException notLocomo) {
        // read it as text below
      }
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
      return text.indexOf('\0') >= 0 ? "" : text;
    } catch (CharacterCodingException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus file " + file, e);
    }
  }

  private Result write(Path out, List<CompressionRow> rows) {
    Path csv = out.resolve("compression.csv");
    Reports.table(csv, CompressionRow.COLUMNS, rows);
    // Mean precision and ratio per engine, path, bucket and mode.
    Map<String, Map<String, Map<String, double[]>>> means = new TreeMap<>();
    for (CompressionRow r : rows) {
      if ("memory".equals(r.path())) {
        continue; // the memory's pages have no density bucket: their own table below
      }
      String series = r.engine() + ", " + r.path();
      double[] m = means.computeIfAbsent(series, k -> new TreeMap<>(
              Comparator.comparingInt((String b) -> Integer.parseInt(b.split("-")[0]))))
          .computeIfAbsent(r.bucket().orElse(""), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.mode(), k -> new double[3]);
      m[0] += r.precision();
      m[1] += r.compressionRatio();
      m[2]++;
    }
    // Mean word accuracy per engine, path and mode (words run together show here, not above).
    Map<String, Map<String, double[]>> words = new TreeMap<>();
    for (CompressionRow r : rows) {
      if (r.wordAccuracy().isEmpty()) {
        continue; // a page whose words were not measured counts in no mean
      }
      double[] w = words.computeIfAbsent(r.engine() + ", " + r.path(),
          k -> new LinkedHashMap<>()).computeIfAbsent(r.mode(), k -> new double[2]);
      w[0] += r.wordAccuracy().getAsDouble();
      w[1]++;
    }
    StringBuilder md = new StringBuilder();
    List<String> sections = new ArrayList<>();
    List<Reports.Series> series = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("text tokens / page"));
    for (VisionMode mode : modes) {
      header.add(mode.name().toLowerCase() + " (" + VisionTokenCost.deepSeekOcr(false)
          .tokens(mode.pixels(), mode.pixels(), Detail.HIGH) + " tokens)");
    }
    for (Map.Entry<String, Map<String, Map<String, double[]>>> s : means.entrySet()) {
      List<List<String>> table = new ArrayList<>();
      List<double[]> points = new ArrayList<>();
      for (Map.Entry<String, Map<String, double[]>> bucket : s.getValue().entrySet()) {
        List<String> cells = new ArrayList<>(List.of(bucket.getKey()));
        for (VisionMode mode : modes) {
          double[] m = bucket.getValue().get(mode.name().toLowerCase());
          if (m == null) {
            cells.add("");
          } else {
            cells.add(String.format("%.1f%% at %.1fx", 100 * m[0] / m[2], m[1] / m[2]));
            points.add(new double[] {m[1] / m[2], m[0] / m[2]});
          }
        }
        table.add(cells);
      }
      points.sort((a, b) -> Double.compare(a[0], b[0]));
      series.add(new Reports.Series(s.getKey(), points));
      md.append("### ").append(s.getKey()).append("\n\n").append(Reports.markdown(header, table))
          .append('\n');
      sections.add("<h2>" + Reports.escape(s.getKey()) + "</h2>" + Reports.table(header, table));
    }
    List<String> wordHeader = new ArrayList<>(List.of("engine, path"));
    modes.forEach(m -> wordHeader.add(m.name().toLowerCase()));
    List<List<String>> wordTable = new ArrayList<>();
    for (Map.Entry<String, Map<String, double[]>> e : words.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      for (VisionMode mode : modes) {
        double[] w = e.getValue().get(mode.name().toLowerCase());
        cells.add(w == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", w[0] / w[1]));
      }
      wordTable.add(cells);
    }
    md.append("### Word accuracy (words read intact, in order), mean over pages\n\n")
        .append(Reports.markdown(wordHeader, wordTable)).append('\n');
    // The memory's own pages (path memory): per engine and tier, pages, precision, word accuracy.
    Map<String, double[]> memory = new TreeMap<>();
    for (CompressionRow r : rows) {
      if ("memory".equals(r.path())) {
        double[] m = memory.computeIfAbsent(r.engine() + ", " + r.mode(),
            k -> new double[4]);
        m[0]++;
        m[1] += r.precision();
        m[2] += r.wordAccuracy().orElse(Double.NaN);
        m[3] += r.compressionRatio();
      }
    }
    if (!memory.isEmpty()) {
      List<String> memoryHeader = List.of("engine, tier", "pages", "precision", "word accuracy",
          "compression");
      List<List<String>> memoryTable = new ArrayList<>();
      memory.forEach((key, m) -> memoryTable.add(List.of(key, Integer.toString((int) m[0]),
          String.format(java.util.Locale.ROOT, "%.4f", m[1] / m[0]),
          String.format(java.util.Locale.ROOT, "%.4f", m[2] / m[0]),
          String.format(java.util.Locale.ROOT, "%.1fx", m[3] / m[0]))));
      md.append("### The memory's own pages (LoCoMo conversations aged through a memory to each"
          + " tier, decoded in the background), means over pages\n\n")
          .append(Reports.markdown(memoryHeader, memoryTable)).append('\n');
      sections.add("<h2>The memory's own pages</h2>" + Reports.table(memoryHeader, memoryTable));
    }
    sections.add("<h2>Word accuracy</h2><p>The share of each page's words read intact and in"
        + " order; precision removes whitespace and hides words run together.</p>"
        + Reports.table(wordHeader, wordTable));
    Path summary = out.resolve("compression-summary.md");
    Path plot = out.resolve("compression-precision.png");
    try {
      Files.writeString(summary, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + summary, e);
    }
    Reports.plot(plot, "Precision against compression (means per density bucket and mode)",
        "compression ratio (text tokens / DeepSeek-OCR vision tokens)", "precision", series, null,
        1.0);
    sections.add(0, "<p>Each cell: mean precision at the mean compression ratio. Rows are density"
        + " buckets (text tokens per page), columns DeepSeek-OCR's modes. Pages: "
        + rows.stream().map(r -> r.corpus() + "/" + r.page()).distinct().count() + ". Data: <a href=\"compression.csv\">"
        + "compression.csv</a>.</p><img src=\"compression-precision.png\" alt=\"precision against"
        + " compression\">");
    sections.add("<h2>DeepSeek-OCR on Fox (the paper, for comparison)</h2>" + Reports.table(
        List.of("text tokens / page", "64 vision tokens", "100 vision tokens"), List.of(
            List.of("600-700", "96.5% at 10.5x", "98.5% at 6.7x"),
            List.of("700-800", "93.8% at 11.8x", "97.3% at 7.5x"),
            List.of("800-900", "83.8% at 13.2x", "96.8% at 8.5x"),
            List.of("900-1000", "85.9% at 15.1x", "96.8% at 9.7x"),
            List.of("1000-1100", "79.3% at 16.5x", "91.5% at 10.6x"),
            List.of("1100-1200", "76.4% at 17.7x", "89.8% at 11.3x"),
            List.of("1200-1300", "59.1% at 19.7x", "87.1% at 12.6x"))));
    Path html = out.resolve("compression.html");
    Reports.html(html, "Compression against precision", Provenance.of(commandLine,
        String.join(", ", engines.keySet()), fonts, seed, Map.of("corpus", corpus.toString(),
            "text tokenizer", tokenizerName, "modes", modes.toString(),
            "pages per bucket", Integer.toString(pagesPerBucket))), sections);
    return new Result(csv, summary, plot, html, rows);
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
