package dev.opticalmemory.cli;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import java.util.List;
import java.util.Locale;

/** The OCR engines the command line can build, by name. */
final class Engines {
  static final List<String> NAMES = List.of("paddle");

  private Engines() {}

  static OcrEngine open(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "paddle":
        return PaddleOcr.builder().build();
      default:
        throw new CliException("--engine: unknown engine '" + name + "', expected one of " + NAMES);
    }
  }
}
