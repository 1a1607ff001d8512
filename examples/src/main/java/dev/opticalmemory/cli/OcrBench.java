package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.eval.CompressionExperiment;
import dev.opticalmemory.memory.KnownPageDecoder;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.ocr.KnownWords;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.OcrException;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.TesseractOcr;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.LineLayout;
import dev.opticalmemory.renderer.PageEncoding;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageReader;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench ocr}: seconds per page, pages per second, precision and word accuracy for PP-OCR's
 * variants and Tesseract, in one run. Pages are the shipped sample text rendered at 1280 px and
 * each tier downscaled from the one above, as the memory stores them, or with {@code --images} the
 * pages of another renderer with their texts.
 */
@Command(name = "ocr", mixinStandardHelpOptions = true,
    description = "Seconds per page, precision and word accuracy of the OCR engines at each mode,"
        + " against a batched baseline.")
final class OcrBench implements Callable<Integer> {
  private static final String KNOWN = "paddle, known layout";
  private static final String FONT = "page reader, then paddle";
  private static final String PAGES = "paddle, a page per core";

  @Spec CommandSpec spec;

  @Option(names = "--pages", defaultValue = "2", description = "Sample pages per mode. Default: ${DEFAULT-VALUE}.")
  int pages;

  @Option(names = "--modes", split = ",", defaultValue = "large,base,small,tiny",
      description = "Modes to measure. Default: ${DEFAULT-VALUE}.")
  List<String> modes;

  @Option(names = "--engines", split = ",", defaultValue = "font,paddle-known,paddle,tesseract",
      description = "Engines to measure: font (the renderer's page reader, which reads our own pages"
          + " knowing their font, as the memory does; PP-OCR for the lines it leaves),"
          + " paddle (v4, the default engine), paddle-known (the same,"
          + " given the pages' line boxes: no detection), paddle-known:E (lines cut into pieces of"
          + " at most E times their height, default 12), paddle-height:H and paddle-known-height:H"
          + " (lines recognised H pixels high instead of 48), paddle-shipped and"
          + " paddle-known-shipped (the models as shipped, activation chains not rewritten: the"
          + " engine's first release), paddle-serial (lines recognised one"
          + " after another, each on all cores, as in the first release), paddle-v3, baseline (v4 with"
          + " lines batched 8 at a time), paddle-nospace (v4 without the space boost),"
          + " paddle-space-boost:B (the space boost at B), paddle-pages and paddle-pages-v3 (one"
          + " thread per engine, a page per core), tesseract (eng, one thread per process,"
          + " one process per core). Default: ${DEFAULT-VALUE}.")
  List<String> engineNames;

  @Option(names = "--text", paramLabel = "FILE", description = "Render this UTF-8 text file"
      + " instead of the shipped harbour log (for example text the heuristics were not tuned on).")
  java.nio.file.Path textFile;

  @Option(names = "--images", paramLabel = "DIR", description = "Read the pages in this folder"
      + " instead of drawing our own: each NAME.png with its text in NAME.txt, for example the"
      + " pages of examples/scripts/pango-pages.sh (another renderer). Pages named GROUP-N.png are"
      + " reported together as GROUP; --modes and --pages do not apply. Engines that need line"
      + " boxes (paddle-known) cannot read them. Tesseract reads pages whose text has CJK"
      + " characters with chi_sim, others with eng.")
  java.nio.file.Path imageDir;

  @Option(names = "--json", description = "One JSON object per engine and mode.")
  boolean json;

  @Option(names = "--downscaled", description = "Read pages downscaled from 1280 px in 8-bit gray"
      + " (as the first releases measured) instead of as the memory stores them: each tier"
      + " downscaled from the stored image of the tier above, BASE black and white, SMALL and TINY"
      + " 16 gray levels.")
  boolean downscaled;

  @Override
  public Integer call() throws Exception {
    if (pages < 1 || pages > 50) {
      throw CliException.usage("--pages must be between 1 and 50, but is: " + pages);
    }
    List<Case> cases = imageDir != null ? foreignPages(imageDir) : ownPages();
    Map<String, Supplier<OcrEngine>> engines = new LinkedHashMap<>();
    for (String name : engineNames) {
      switch (name) {
        case "font" -> engines.put(FONT, () -> PaddleOcr.builder().build());
        case "paddle" -> engines.put("paddle (v4, default)", () -> PaddleOcr.builder().build());
        case "paddle-known" -> engines.put(KNOWN, () -> PaddleOcr.builder().build());
        case "paddle-shipped" -> engines.put("paddle, models as shipped",
            () -> PaddleOcr.builder().simplifyGraphs(false).build());
        case "paddle-known-shipped" -> engines.put(KNOWN + ", models as shipped",
            () -> PaddleOcr.builder().simplifyGraphs(false).build());
        case "paddle-serial" -> engines.put("paddle, lines one by one",
            () -> PaddleOcr.builder().lineWorkers(1).build());
        case "paddle-pages" -> engines.put(PAGES, () -> PaddleOcr.builder().threads(1).build());
        case "paddle-pages-v3" -> engines.put(PAGES + ", v3 recognizer",
            () -> PaddleOcr.builder().threads(1).recognizer(PaddleOcr.Recognizer.V3).build());
        case "paddle-v3" -> engines.put("paddle v3 recognizer",
            () -> PaddleOcr.builder().recognizer(PaddleOcr.Recognizer.V3).build());
        case "baseline" -> engines.put("baseline: v4, batches of 8",
            () -> PaddleOcr.builder().maxBatch(8).build());
        case "paddle-nospace" -> engines.put("paddle, no space boost",
            () -> PaddleOcr.builder().spaceBoost(1).build());
        case "tesseract" -> {
          engines.put(TESSERACT_ENG, () -> tesseract("eng"));
          if (cases.stream().anyMatch(Case::cjk)) {
            engines.put(TESSERACT_CHI, () -> tesseract("chi_sim"));
          }
        }
        default -> {
          if (name.startsWith("paddle-height:") || name.startsWith("paddle-known-height:")) {
            int pixels;
            try {
              pixels = Integer.parseInt(name.substring(name.indexOf(':') + 1));
              PaddleOcr.builder().recognitionHeight(pixels);
            } catch (IllegalArgumentException e) {
              throw CliException.usage("--engines " + name + ": " + e.getMessage(), e);
            }
            engines.put((name.startsWith("paddle-known") ? KNOWN + ", " : "paddle, ") + "height "
                + pixels, () -> PaddleOcr.builder().recognitionHeight(pixels).build());
            continue;
          }
          if (name.startsWith("paddle-known:")) {
            double ems;
            try {
              ems = Double.parseDouble(name.substring("paddle-known:".length()));
              PaddleOcr.builder().pieceEms(ems);
            } catch (IllegalArgumentException e) {
              throw CliException.usage("--engines " + name + ": " + e.getMessage(), e);
            }
            engines.put(KNOWN + ", pieces of " + ems + " em",
                () -> PaddleOcr.builder().pieceEms(ems).build());
            continue;
          }
          if (!name.startsWith("paddle-space-boost:")) {
            throw CliException.usage("--engines: unknown engine '" + name + "', expected font, paddle,"
                + " paddle-known, paddle-shipped, paddle-known-shipped, paddle-serial, paddle-v3,"
                + " paddle-pages, paddle-pages-v3,"
                + " baseline, paddle-nospace,"
                + " paddle-space-boost:B or tesseract");
          }
          double threshold;
          try {
            threshold = Double.parseDouble(name.substring("paddle-space-boost:".length()));
            PaddleOcr.builder().spaceBoost(threshold);
          } catch (IllegalArgumentException e) {
            throw CliException.usage("--engines " + name + ": " + e.getMessage(), e);
          }
          engines.put("paddle, space boost " + threshold,
              () -> PaddleOcr.builder().spaceBoost(threshold).build());
        }
      }
    }
    if (imageDir != null) {
      for (String name : engines.keySet()) {
        if (name.startsWith(KNOWN) || name.equals(FONT)) {
          throw CliException.usage("--engines: '" + name + "' needs the pages' line boxes, which"
              + " --images pages do not have; leave it out (for example --engines paddle,tesseract)");
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    if (!json) {
      out.printf("OCR benchmark: %s, %d cores%n", imageDir != null
          ? "the pages in " + imageDir : String.format("%d page(s) of %s per mode, %s", pages,
              textFile == null ? "examples/samples/harbor-log.txt" : textFile,
              downscaled ? "downscaled in 8-bit gray" : "as the memory stores them"),
          Runtime.getRuntime().availableProcessors());
      out.printf("%-28s %-8s %12s %10s %10s %10s %10s%n", "engine",
          imageDir != null ? "pages" : "mode", "s/page", "pages/s", "precision", "NFKC", "words");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    for (Map.Entry<String, Supplier<OcrEngine>> entry : engines.entrySet()) {
      boolean known = entry.getKey().startsWith(KNOWN);
      boolean font = entry.getKey().equals(FONT);
      // Each Tesseract language reads the pages of its script only.
      List<Case> mine = cases.stream().filter(c -> !entry.getKey().equals(TESSERACT_ENG) || !c.cjk())
          .filter(c -> !entry.getKey().equals(TESSERACT_CHI) || c.cjk()).toList();
      if (mine.isEmpty()) {
        continue;
      }
      try (OcrEngine ocr = entry.getValue().get()) {
        // Tesseract uses one core per process: it reads as many pages at once as there are cores,
        // as a user would run it; so do the page reader and paddle-pages, one page per core; PP-OCR
        // otherwise uses every core for each page, one page at a time.
        boolean pageParallel = ocr.name().startsWith("tesseract") || font
            || entry.getKey().startsWith(PAGES);
        if (!font) {
          ocr.read(mine.get(0).images().get(0)); // warm-up
        }
        for (Case c : mine) {
          if (font) {
            // Its glyph templates for this size are made once per process and the first page of
            // a size pays for them, so it is read and reported apart.
            long start = System.nanoTime();
            reader.read(c.images().get(0),
                c.layouts().get(0).lines().stream().map(LineLayout::top).toList());
            if (!json) {
              out.printf("(page reader: first %s page %.2f s, templates included)%n", c.name(),
                  (System.nanoTime() - start) / 1e9);
            }
          }
          int n = c.images().size();
          double[] seconds = new double[n];
          String[] read = new String[n];
          long wallStart = System.nanoTime();
          ExecutorService pool = Executors.newFixedThreadPool(pageParallel ? cores : 1);
          try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              int page = i;
              done.add(pool.submit(() -> {
                long start = System.nanoTime();
                read[page] = font ? readByFont(ocr, c, page)
                    : (known ? ocr.read(c.images().get(page), c.boxes().get(page))
                    : ocr.read(c.images().get(page))).text();
                seconds[page] = (System.nanoTime() - start) / 1e9;
                return null;
              }));
            }
            for (Future<?> f : done) {
              try {
                f.get();
              } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re
                    : new CliException("bench ocr: " + e.getCause(), e.getCause());
              }
            }
          } finally {
            pool.shutdownNow();
          }
          double wall = (System.nanoTime() - wallStart) / 1e9;
          double perPage = 0;
          double precision = 0;
          double normalized = 0;
          double words = 0;
          for (int i = 0; i < n; i++) {
            perPage += seconds[i] / n;
            precision += TextMetrics.precision(read[i], c.truths().get(i)) / n;
            normalized += TextMetrics.precision(nfkc(read[i]), nfkc(c.truths().get(i))) / n;
            words += TextMetrics.wordAccuracy(read[i], c.truths().get(i)) / n;
          }
          double pagesPerSecond = n / wall;
          if (json) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", entry.getKey());
            row.put("mode", c.name());
            row.put("pages", n);
            row.put("secondsPerPage", Math.round(perPage * 1000) / 1000.0);
            row.put("pagesPerSecond", Math.round(pagesPerSecond * 1000) / 1000.0);
            row.put("precision", Math.round(precision * 10000) / 10000.0);
            // Full-width and ASCII forms counted alike: what a reader confuses, apart from errors.
            row.put("precisionNfkc", Math.round(normalized * 10000) / 10000.0);
            // Chinese has no spaces between words: word accuracy does not apply.
            row.put("wordAccuracy", c.cjk() ? null : Math.round(words * 10000) / 10000.0);
            out.println(mapper.writeValueAsString(row));
          } else {
            out.printf("%-28s %-8s %12.2f %10.2f %10.4f %10.4f %10s%n", entry.getKey(), c.name(),
                perPage, pagesPerSecond, precision, normalized,
                c.cjk() ? "-" : String.format(java.util.Locale.ROOT, "%.4f", words));
          }
          out.flush();
        }
      }
    }
    return 0;
  }

  private static String nfkc(String text) {
    return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
  }

  private static final String TESSERACT_ENG = "tesseract 5 (eng)";
  private static final String TESSERACT_CHI = "tesseract 5 (chi_sim)";

  /**
   * A page read as the memory reads it: by the page reader, and the lines it leaves by PP-OCR given
   * their boxes.
   */
  private String readByFont(OcrEngine ocr, Case c, int page) {
    return KnownPageDecoder.read(c.images().get(page), c.layouts().get(page), null, reader,
        () -> ocr).text();
  }

  private PageReader reader;

  /** Pages read together and reported in one row: a mode of ours, or a group of --images. */
  private record Case(String name, List<BufferedImage> images, List<List<Rectangle>> boxes,
      List<PageLayout> layouts, List<String> truths, boolean cjk) {}

  private static OcrEngine tesseract(String language) {
    try {
      return TesseractOcr.builder().languages(language).build();
    } catch (OcrException e) {
      throw new CliException("--engines tesseract (" + language + "): " + e.getMessage(), e);
    }
  }

  /** The sample text drawn by our renderer at 1280 px, each mode as the memory stores it. */
  private List<Case> ownPages() {
    // A user's text may hold CJK: it gets the fonts render finds; the shipped sample is Latin.
    RenderSpec renderSpec = RenderSpec.builder().mode(VisionMode.LARGE)
        .fonts(textFile == null ? FontSet.latinOnly() : FontSet.defaults()).build();
    PageRenderer renderer = PageRenderer.java2d(renderSpec);
    List<PageReader.Step> chain = new ArrayList<>();
    chain.add(new PageReader.Step(VisionMode.LARGE.pixels(), OpticalMemoryBuilder.defaultEncoding(Tier.LARGE)));
    for (Tier tier : List.of(Tier.BASE, Tier.SMALL, Tier.TINY)) {
      chain.add(new PageReader.Step(tier.mode().pixels(), downscaled ? PageEncoding.GRAY8_PNG
          : OpticalMemoryBuilder.defaultEncoding(tier)));
    }
    reader = PageReader.of(renderSpec, chain, KnownWords::contains);
    String source = textFile == null ? Samples.text("harbor-log.txt")
        : TextFiles.readUtf8(textFile, TextFiles.TEXT_LIMIT);
    // The text is repeated until it fills the pages asked for: a short text fills less than one.
    List<PageLayout> layouts = List.of();
    for (int copies = pages + 1; layouts.size() < pages; copies *= 2) {
      if (source.isBlank()) {
        throw CliException.usage("--text " + textFile + ": holds no text to draw");
      }
      layouts = renderer.layout(List.of(Turn.plain((source + "\n").repeat(copies))));
    }
    layouts = layouts.subList(0, pages);
    List<BufferedImage> large = layouts.stream().map(p -> renderer.render(p).image()).toList();
    List<Map<VisionMode, BufferedImage>> stored = downscaled ? null
        : large.stream().map(CompressionExperiment::chain).toList();
    List<Case> cases = new ArrayList<>();
    for (String name : modes) {
      VisionMode mode = RenderCommand.parseMode(name);
      List<BufferedImage> images = new ArrayList<>();
      List<List<Rectangle>> boxes = new ArrayList<>();
      for (int i = 0; i < pages; i++) {
        BufferedImage image = mode == VisionMode.LARGE ? large.get(i)
            : downscaled ? PageImages.downscale(large.get(i), mode)
            : stored.get(i).get(mode);
        images.add(image);
        boxes.add(layouts.get(i).lineBoxes(image.getWidth(), image.getHeight()));
      }
      List<String> truths = layouts.stream().map(PageLayout::text).toList();
      cases.add(new Case(name, images, boxes, layouts, truths,
          truths.stream().anyMatch(t -> t.codePoints().anyMatch(OcrBench::isCjk))));
    }
    return cases;
  }

  /** Every NAME.png of the folder with its NAME.txt, grouped by the name less a final -N. */
  static List<Case> foreignPages(java.nio.file.Path dir) {
    List<java.nio.file.Path> files;
    try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList();
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      throw CliException.usage("--images " + dir + ": no such folder", e);
    } catch (java.io.IOException e) {
      throw new CliException("--images " + dir + ": cannot list it: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw CliException.usage("--images " + dir + ": no .png pages in it");
    }
    // By name, then by the number in it, largest first: en-1024, en-640, en-512.
    Map<String, List<java.nio.file.Path>> groups = new java.util.TreeMap<>(
        java.util.Comparator.comparing((String g) -> g.replaceAll("\\d+", ""))
            .thenComparing(g -> -number(g)).thenComparing(g -> g));
    for (java.nio.file.Path f : files) {
      String name = f.getFileName().toString().replaceFirst("\\.png$", "");
      groups.computeIfAbsent(name.replaceFirst("-\\d+$", ""), k -> new ArrayList<>()).add(f);
    }
    List<Case> cases = new ArrayList<>();
    groups.forEach((group, pngs) -> {
      List<BufferedImage> images = new ArrayList<>();
      List<String> truths = new ArrayList<>();
      for (java.nio.file.Path png : pngs) {
        java.nio.file.Path txt = png.resolveSibling(
            png.getFileName().toString().replaceFirst("\\.png$", ".txt"));
        if (!java.nio.file.Files.isRegularFile(txt)) {
          throw CliException.usage("--images " + dir + ": page " + png.getFileName()
              + " has no text beside it (" + txt.getFileName() + ")");
        }
        images.add(OcrCommand.readImage(png));
        truths.add(TextFiles.readUtf8(txt, TextFiles.TEXT_LIMIT));
      }
      boolean cjk = truths.stream().anyMatch(t -> t.codePoints().anyMatch(OcrBench::isCjk));
      cases.add(new Case(group, images, null, null, truths, cjk));
    });
    return cases;
  }

  private static long number(String name) {
    String digits = name.replaceAll("\\D+", "");
    return digits.isEmpty() || digits.length() > 18 ? 0 : Long.parseLong(digits);
  }

  private static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }
}
