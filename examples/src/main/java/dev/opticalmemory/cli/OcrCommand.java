package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.KnownPageDecoder;
import dev.opticalmemory.ocr.KnownWords;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import dev.opticalmemory.renderer.PageReader;
import dev.opticalmemory.renderer.PageReaders;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ocr}: images back to text. */
@Command(name = "ocr", mixinStandardHelpOptions = true,
    description = "Reads page images back to text: offline with PP-OCR on ONNX Runtime (default), "
        + "with Tesseract, or with a DeepSeek-OCR server.")
final class OcrCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Engines engines;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "UTF-8 text each image should read as, for precision: give one per image, in order.")
  List<Path> truths = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per image: file, text, millis, and with"
      + " --expect precision and wordAccuracy (precision removes whitespace; word accuracy shows"
      + " words run together).")
  boolean json;

  @Option(names = "--engine-only", description = "Read every image with PP-OCR, also pages drawn by"
      + " `render` or kept by the memory (`demo`'s page files): these carry their layout and are"
      + " otherwise read by their font, PP-OCR reading"
      + " only the lines the font cannot explain (and loaded only then). With --engine tesseract or"
      + " deepseek that engine reads every page.")
  boolean engineOnly;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF).")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    engines.check();
    if (!truths.isEmpty() && truths.size() != images.size()) {
      throw CliException.usage("--truth was given " + truths.size() + " time(s) for " + images.size()
          + " image(s); give one truth file per image, in the same order");
    }
    List<byte[]> files = new ArrayList<>();
    List<PageLabel> labels = new ArrayList<>();
    for (Path file : images) {
      byte[] bytes = readBytes(file);
      files.add(bytes);
      // A user who names another engine wants that engine's reading of every page.
      labels.add(engineOnly || !engines.name().equals("paddle") ? null : label(file, bytes));
    }
    // The engine loads while the images are decoded, since both take a visible part of the start,
    // unless every page carries its layout: then it loads only if a line needs it.
    FutureTask<OcrEngine> opening = new FutureTask<>(engines::open);
    AtomicBoolean started = new AtomicBoolean();
    if (labels.contains(null)) {
      started.set(true);
      startLoading(opening);
    }
    List<BufferedImage> decoded = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    PageReaders readers = new PageReaders(KnownWords::contains);
    try {
      for (int i = 0; i < images.size(); i++) {
        BufferedImage image = decode(images.get(i), files.get(i));
        decoded.add(image);
        PageLabel label = labels.get(i);
        if (label != null && !label.fits(image)) {
          spec.commandLine().getErr().println("warning: " + images.get(i) + ": the page is "
              + image.getWidth() + "x" + image.getHeight() + ", not the size its label gives (a"
              + " long side of " + label.chain().stream().map(step -> step.pixels() + " px")
                  .collect(java.util.stream.Collectors.joining(" or ")) + "): scaled or cropped"
              + " after it was drawn; reading it with the OCR engine");
          labels.set(i, null);
          if (started.compareAndSet(false, true)) {
            startLoading(opening);
          }
        } else if (label != null && label.inkMismatch(image) != null) {
          spec.commandLine().getErr().println("warning: " + images.get(i) + ": its label's line"
              + " bands do not match the page's ink (" + label.inkMismatch(image) + "): the label"
              + " was copied or edited; reading it with the OCR engine");
          labels.set(i, null);
          if (started.compareAndSet(false, true)) {
            startLoading(opening);
          }
        }
      }
      for (Path truth : truths) {
        expected.add(TextFiles.readUtf8(truth, TextFiles.TEXT_LIMIT));
      }
      Supplier<OcrEngine> engine = () -> {
        started.set(true);
        opening.run(); // a no-op if the loader ran it or runs it: then get() waits for it
        try {
          return opened(opening);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliException("interrupted while loading the OCR engine", e);
        }
      };
      for (int i = 0; i < images.size(); i++) {
        PageLabel label = labels.get(i);
        // The time an image takes to read: without loading the engine, unless a labelled page's
        // lines are what first need it.
        OcrEngine ready = label == null ? engine.get() : null;
        long start = System.nanoTime();
        String text;
        String decoder;
        if (label != null) {
          PageReader reader = readers.get(label.spec(), label.chain());
          KnownPageDecoder.Lines lines = KnownPageDecoder.read(decoded.get(i), label.layout(), null,
              reader, engine);
          text = lines.text();
          decoder = lines.byEngine() == 0 ? "page reader"
              : "page reader, then " + engines.name() + " for " + lines.byEngine() + " of "
                  + label.layout().lines().size() + " lines";
        } else {
          dev.opticalmemory.ocr.Recognition recognition = ready.read(decoded.get(i));
          text = recognition.text();
          decoder = engines.name();
          for (String warning : recognition.warnings()) {
            spec.commandLine().getErr().println("warning: " + images.get(i) + ": " + warning);
          }
          spec.commandLine().getErr().flush();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Double precision = expected.isEmpty() ? null : TextMetrics.precision(text, expected.get(i));
        if (json) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("file", images.get(i).toString());
          row.put("text", text);
          row.put("millis", millis);
          row.put("decoder", decoder);
          if (precision != null) {
            row.put("precision", Math.round(precision * 10000) / 10000.0);
            row.put("wordAccuracy", Math.round(TextMetrics.wordAccuracy(text,
                expected.get(i)) * 10000) / 10000.0);
          }
          out.println(mapper.writeValueAsString(row));
        } else {
          if (images.size() > 1) {
            out.println((i > 0 ? "\n" : "") + "==> " + images.get(i) + " <==");
          }
          out.println(text);
          if (precision != null) {
            out.printf("(precision %.4f, word accuracy %.4f, %d ms, %s)%n", precision,
                TextMetrics.wordAccuracy(text, expected.get(i)), millis, decoder);
          }
        }
        out.flush();
      }
    } finally {
      if (started.get()) {
        closeWhenOpened(opening);
      }
    }
    return 0;
  }

  private static void startLoading(FutureTask<OcrEngine> opening) {
    Thread loader = new Thread(opening, "ocr-engine-load");
    loader.setDaemon(true);
    loader.start();
  }

  /**
   * The layout a page drawn by {@code render} carries; null if it carries none or one that cannot
   * be read (said on stderr: the page is then read by the OCR engine).
   */
  private PageLabel label(Path file, byte[] bytes) {
    try {
      return PageLabel.fromPng(bytes).orElse(null);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("warning: " + file + ": " + e.getMessage()
          + "; reading it with the OCR engine");
      return null;
    }
  }

  private static OcrEngine opened(FutureTask<OcrEngine> opening) throws InterruptedException {
    try {
      return opening.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re
          : new CliException("cannot open the OCR engine: " + e.getCause(), e.getCause());
    }
  }

  /** The engine that was started, closed once it is there. */
  private static void closeWhenOpened(FutureTask<OcrEngine> opening) {
    try {
      opening.get().close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      // the failure that stopped the command, if any, is the one reported
    }
  }

  static BufferedImage readImage(Path file) {
    return decode(file, readBytes(file));
  }

  private static byte[] readBytes(Path file) {
    return TextFiles.readBytes(file, TextFiles.IMAGE_LIMIT);
  }

  private static BufferedImage decode(Path file, byte[] bytes) {
    try {
      return PageImages.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new CliException(file + ": " + e.getMessage(), e);
    }
  }
}
