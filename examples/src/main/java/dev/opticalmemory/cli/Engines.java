package dev.opticalmemory.cli;

import dev.opticalmemory.ocr.DeepSeekOcr;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.OcrException;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.TesseractOcr;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The OCR engines the command line can build, by name, with their options: a picocli mixin, so
 * every command that decodes takes the same {@code --engine} and server options.
 */
final class Engines {
  static final List<String> NAMES = List.of("paddle", "tesseract", "deepseek");
  static final String URL_VARIABLE = "OPTICAL_MEMORY_DEEPSEEK_URL";
  static final String MODEL_VARIABLE = "OPTICAL_MEMORY_DEEPSEEK_MODEL";

  @Option(names = "--engine", defaultValue = "paddle", paramLabel = "NAME",
      description = "OCR engine: paddle (PP-OCRv4 on ONNX Runtime, CPU, offline), tesseract "
          + "(the tesseract program, eng+chi_sim) or deepseek (a DeepSeek-OCR server). "
          + "Default: ${DEFAULT-VALUE}.")
  String engine = "paddle";

  @Option(names = "--deepseek-url", paramLabel = "URL",
      description = "OpenAI-compatible base URL of the DeepSeek-OCR server, e.g. "
          + "http://localhost:8000/v1 (vLLM) or http://localhost:11434/v1 (Ollama). "
          + "Default: $" + URL_VARIABLE + ".")
  String deepseekUrl;

  @Option(names = "--deepseek-model", paramLabel = "NAME",
      description = "Served model name: deepseek-ai/DeepSeek-OCR (vLLM, SGLang) or deepseek-ocr "
          + "(Ollama). Default: $" + MODEL_VARIABLE + ", else deepseek-ai/DeepSeek-OCR.")
  String deepseekModel;

  /** Refuses an unknown engine name before any work (a usage error). */
  void check() {
    checkName(engine);
  }

  private static void checkName(String name) {
    if (!NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      throw CliException.usage("--engine: unknown engine '" + name + "', expected one of "
          + NAMES);
    }
  }

  /** Opens the engine these options name; errors name the option and say what to do. */
  OcrEngine open() {
    return open(engine, deepseekUrl, deepseekModel, System.getenv());
  }

  /** The engine's name as given, in lower case. */
  String name() {
    return engine.toLowerCase(Locale.ROOT);
  }

  static OcrEngine open(String name) {
    return open(name, null, null, System.getenv());
  }

  static OcrEngine open(String name, String url, String model, Map<String, String> env) {
    try {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "paddle":
          return PaddleOcr.builder().build();
        case "tesseract":
          return TesseractOcr.builder().languages("eng", "chi_sim").build();
        case "deepseek":
          String baseUrl = url != null ? url : env.get(URL_VARIABLE);
          if (baseUrl == null || baseUrl.isBlank()) {
            throw CliException.usage("--engine deepseek needs a server: give --deepseek-url URL or set "
                + URL_VARIABLE + " (for example http://localhost:11434/v1 for Ollama)");
          }
          String served = model != null ? model : env.getOrDefault(MODEL_VARIABLE,
              "deepseek-ai/DeepSeek-OCR");
          return DeepSeekOcr.builder().baseUrl(baseUrl).model(served).build();
        default:
          checkName(name);
          throw new IllegalStateException("engine " + name + " is listed but not built");
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--engine " + name + ": " + e.getMessage(), e);
    } catch (OcrException e) {
      throw new CliException("--engine " + name + ": " + e.getMessage(), e);
    }
  }
}
