package dev.opticalmemory.ocr;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an engine read from one image.
 *
 * @param text the text in reading order: lines joined by newlines, boxes on one line by spaces
 * @param lines the lines with their boxes and confidences
 * @param stages how long each stage took, in the order they ran (for PP-OCR: {@code preprocess},
 *     {@code detect}, {@code orient}, {@code recognize})
 * @param warnings what went wrong without failing: a repetition guard that cut the output, a page
 *     turned upright before reading; empty when nothing did
 */
public record Recognition(
    String text, List<RecognizedLine> lines, Map<String, Duration> stages, List<String> warnings) {

  /**
   * Copies the lists and the map.
   *
   * @param text the text in reading order: lines joined by newlines, boxes on one line by spaces
   * @param lines the lines with their boxes and confidences
   * @param stages how long each stage took, in the order they ran (for PP-OCR: {@code preprocess},
   *     {@code detect}, {@code orient}, {@code recognize})
   * @param warnings what went wrong without failing: a repetition guard that cut the output, a page
   *     turned upright before reading; empty when nothing did
   */
  public Recognition {
    lines = List.copyOf(lines);
    stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    warnings = List.copyOf(warnings);
  }

  /**
   * Sum of the stage durations.
   *
   * @return the whole time
   */
  public Duration total() {
    return stages.values().stream().reduce(Duration.ZERO, Duration::plus);
  }
}
