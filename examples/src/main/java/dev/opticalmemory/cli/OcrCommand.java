package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.Recognition;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.PageImages;
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

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF).")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    engines.check();
    if (!truths.isEmpty() && truths.size() != images.size()) {
      throw CliException.usage("--truth was given " + truths.size() + " time(s) for " + images.size()
          + " image(s); give one truth file per image, in the same order");
    }
    // The engine loads (about half a second for PP-OCR) while the files are read (issue 16).
    FutureTask<OcrEngine> opening = new FutureTask<>(engines::open);
    Thread loader = new Thread(opening, "ocr-engine-load");
    loader.setDaemon(true);
    loader.start();
    List<BufferedImage> decoded = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    OcrEngine engine = null;
    try {
      for (Path file : images) {
        decoded.add(readImage(file));
      }
      for (Path truth : truths) {
        expected.add(TextFiles.readUtf8(truth, TextFiles.TEXT_LIMIT));
      }
      engine = opened(opening);
    } finally {
      if (engine == null) {
        closeWhenOpened(opening);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    try (OcrEngine ocr = engine) {
      for (int i = 0; i < images.size(); i++) {
        long start = System.nanoTime();
        Recognition recognition = ocr.read(decoded.get(i));
        long millis = (System.nanoTime() - start) / 1_000_000;
        Double precision = expected.isEmpty() ? null
            : TextMetrics.precision(recognition.text(), expected.get(i));
        if (json) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("file", images.get(i).toString());
          row.put("text", recognition.text());
          row.put("millis", millis);
          if (precision != null) {
            row.put("precision", Math.round(precision * 10000) / 10000.0);
            row.put("wordAccuracy", Math.round(TextMetrics.wordAccuracy(recognition.text(),
                expected.get(i)) * 10000) / 10000.0);
          }
          out.println(mapper.writeValueAsString(row));
        } else {
          if (images.size() > 1) {
            out.println((i > 0 ? "\n" : "") + "==> " + images.get(i) + " <==");
          }
          out.println(recognition.text());
          if (precision != null) {
            out.printf("(precision %.4f, word accuracy %.4f, %d ms)%n", precision,
                TextMetrics.wordAccuracy(recognition.text(), expected.get(i)), millis);
          }
        }
        out.flush();
      }
    }
    return 0;
  }

  private static OcrEngine opened(FutureTask<OcrEngine> opening) throws InterruptedException {
    try {
      return opening.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re
          : new CliException("cannot open the OCR engine: " + e.getCause(), e.getCause());
    }
  }

  /** After a failure, the engine that was loading is closed once it is there. */
  private static void closeWhenOpened(FutureTask<OcrEngine> opening) {
    try {
      opening.get().close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      // the failure that stopped the command is the one reported
    }
  }

  static BufferedImage readImage(Path file) {
    try {
      return PageImages.decode(TextFiles.readBytes(file, TextFiles.IMAGE_LIMIT));
    } catch (IllegalArgumentException e) {
      throw new CliException(file + ": " + e.getMessage(), e);
    }
  }
}
