package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.OcrException;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.TesseractOcr;
import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench ocr}: seconds per page and precision at each mode, for the default PP-OCR engine, the
 * PP-OCRv3 recognizer, Tesseract, and a baseline: the same engine with lines batched eight at a time, the
 * straightforward pipeline. Pages are the shipped sample text rendered at 1280 px and downscaled by
 * area averaging, as the memory does.
 */
@Command(name = "ocr", mixinStandardHelpOptions = true,
    description = "Seconds per page, precision and word accuracy of the OCR engines at each mode,"
        + " against a batched baseline.")
final class OcrBench implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--pages", defaultValue = "2", description = "Sample pages per mode. Default: ${DEFAULT-VALUE}.")
  int pages;

  @Option(names = "--modes", split = ",", defaultValue = "large,base,small,tiny",
      description = "Modes to measure. Default: ${DEFAULT-VALUE}.")
  List<String> modes;

  @Option(names = "--engines", split = ",", defaultValue = "paddle,paddle-v3,baseline,tesseract",
      description = "Engines to measure: paddle (v4, the default engine), paddle-v3, baseline (v4 with "
          + "lines batched 8 at a time), paddle-nospace (v4 without the space boost),"
          + " paddle-space-boost:B (the space boost at B), tesseract (eng, one thread)."
          + " Default: ${DEFAULT-VALUE}.")
  List<String> engineNames;

  @Option(names = "--json", description = "One JSON object per engine and mode.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (pages < 1 || pages > 50) {
      throw CliException.usage("--pages must be between 1 and 50, but is: " + pages);
    }
    PageRenderer renderer = PageRenderer.java2d(
        RenderSpec.builder().mode(VisionMode.LARGE).fonts(FontSet.latinOnly()).build());
    String text = (Samples.text("harbor-log.txt") + "\n").repeat(pages + 1);
    List<PageLayout> layouts = renderer.layout(List.of(Turn.plain(text))).subList(0, pages);
    List<BufferedImage> large = layouts.stream().map(p -> renderer.render(p).image()).toList();
    Map<String, Supplier<OcrEngine>> engines = new LinkedHashMap<>();
    for (String name : engineNames) {
      switch (name) {
        case "paddle" -> engines.put("paddle (v4, default)", () -> PaddleOcr.builder().build());
        case "paddle-v3" -> engines.put("paddle v3 recognizer",
            () -> PaddleOcr.builder().recognizer(PaddleOcr.Recognizer.V3).build());
        case "baseline" -> engines.put("baseline: v4, batches of 8",
            () -> PaddleOcr.builder().maxBatch(8).build());
        case "paddle-nospace" -> engines.put("paddle, no space boost",
            () -> PaddleOcr.builder().spaceBoost(1).build());
        case "tesseract" -> engines.put("tesseract 5 (eng)", () -> {
          try {
            return TesseractOcr.builder().languages("eng").build();
          } catch (OcrException e) {
            throw new CliException("--engines tesseract: " + e.getMessage(), e);
          }
        });
        default -> {
          if (!name.startsWith("paddle-space-boost:")) {
            throw CliException.usage("--engines: unknown engine '" + name + "', expected paddle,"
                + " paddle-v3, baseline, paddle-nospace, paddle-space-boost:B or tesseract");
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
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    if (!json) {
      out.printf("OCR benchmark: %d page(s) of examples/samples/harbor-log.txt per mode, %d cores%n",
          pages, Runtime.getRuntime().availableProcessors());
      out.printf("%-28s %-6s %12s %10s %10s%n", "engine", "mode", "s/page", "precision",
          "words");
    }
    for (Map.Entry<String, Supplier<OcrEngine>> entry : engines.entrySet()) {
      try (OcrEngine ocr = entry.getValue().get()) {
        ocr.read(large.get(0)); // warm-up
        for (String name : modes) {
          VisionMode mode = RenderCommand.parseMode(name);
          double seconds = 0;
          double precision = 0;
          double words = 0;
          for (int i = 0; i < pages; i++) {
            BufferedImage image = mode == VisionMode.LARGE ? large.get(i) : PageImages.downscale(large.get(i), mode);
            long start = System.nanoTime();
            String read = ocr.read(image).text();
            seconds += (System.nanoTime() - start) / 1e9;
            precision += TextMetrics.precision(read, layouts.get(i).text());
            words += TextMetrics.wordAccuracy(read, layouts.get(i).text());
          }
          seconds /= pages;
          precision /= pages;
          words /= pages;
          if (json) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", entry.getKey());
            row.put("mode", name);
            row.put("secondsPerPage", Math.round(seconds * 1000) / 1000.0);
            row.put("precision", Math.round(precision * 10000) / 10000.0);
            row.put("wordAccuracy", Math.round(words * 10000) / 10000.0);
            out.println(mapper.writeValueAsString(row));
          } else {
            out.printf("%-28s %-6s %12.2f %10.4f %10.4f%n", entry.getKey(), name, seconds,
                precision, words);
          }
          out.flush();
        }
      }
    }
    return 0;
  }
}
