package dev.opticalmemory.eval;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One page, mode, render path and engine of {@code eval compression}, a row of
 * {@code compression.csv}. Rows of the memory's own pages ({@code path} "memory") have no length
 * bucket, decode time or font size.
 *
 * @param corpus the corpus (a LoCoMo conversation or a text file)
 * @param page the page's number in it
 * @param bucket its text-token bucket, such as "600-700"
 * @param mode the DeepSeek-OCR mode (tiny, small, base, large)
 * @param path how the image was made (direct, downscaled, memory)
 * @param engine who read it
 * @param chars the page's characters
 * @param textTokens its text tokens
 * @param visionTokens DeepSeek-OCR's vision tokens for the mode
 * @param compressionRatio text tokens per vision token
 * @param precision the decoder's precision (whitespace removed)
 * @param wordAccuracy the share of words read exactly, where it was measured
 * @param decodeMillis how long the decode took
 * @param fontSize the font size the page was drawn at
 * @param openaiTokens the image's price for GPT-4o, high detail
 * @param anthropicTokens its price for Claude
 * @param geminiTokens its price for Gemini
 * @param qwenTokens its price for Qwen2.5-VL
 * @param tokenizer what counted the text tokens
 * @param pngBytes the stored page's PNG as {@code OpticalMemory.png} gives it, label included
 *     (memory pages only)
 * @param marksRead the share of the page's region marks the decoder read as drawn, at the start of
 *     a line (memory pages with region marks only)
 */
public record CompressionRow(String corpus, int page, Optional<String> bucket, String mode,
    String path, String engine, int chars, int textTokens, int visionTokens,
    double compressionRatio, double precision, OptionalDouble wordAccuracy,
    OptionalLong decodeMillis, OptionalDouble fontSize, int openaiTokens, int anthropicTokens,
    int geminiTokens, int qwenTokens, String tokenizer, OptionalLong pngBytes,
    OptionalDouble marksRead) {

  /** The columns of {@code compression.csv}, in order. */
  static final List<Reports.Column<CompressionRow>> COLUMNS = List.of(
      Reports.column("corpus", CompressionRow::corpus),
      Reports.column("page", CompressionRow::page),
      Reports.column("bucket", r -> r.bucket().orElse("")),
      Reports.column("mode", CompressionRow::mode),
      Reports.column("path", CompressionRow::path),
      Reports.column("engine", CompressionRow::engine),
      Reports.column("chars", CompressionRow::chars),
      Reports.column("textTokens", CompressionRow::textTokens),
      Reports.column("visionTokens", CompressionRow::visionTokens),
      Reports.column("compressionRatio", r -> round(r.compressionRatio(), 2)),
      Reports.column("precision", r -> round(r.precision(), 4)),
      Reports.column("wordAccuracy", r -> r.wordAccuracy().isPresent()
          ? Double.toString(round(r.wordAccuracy().getAsDouble(), 4)) : ""),
      Reports.column("decodeMillis", r -> r.decodeMillis().isPresent()
          ? Long.toString(r.decodeMillis().getAsLong()) : ""),
      Reports.column("fontSize", r -> r.fontSize().isPresent()
          ? String.format(Locale.ROOT, "%.1f", r.fontSize().getAsDouble()) : ""),
      Reports.column("openaiTokens", CompressionRow::openaiTokens),
      Reports.column("anthropicTokens", CompressionRow::anthropicTokens),
      Reports.column("geminiTokens", CompressionRow::geminiTokens),
      Reports.column("qwenTokens", CompressionRow::qwenTokens),
      Reports.column("tokenizer", CompressionRow::tokenizer),
      Reports.column("pngBytes", r -> r.pngBytes().isPresent()
          ? Long.toString(r.pngBytes().getAsLong()) : ""),
      Reports.column("marksRead", r -> r.marksRead().isPresent()
          ? Double.toString(round(r.marksRead().getAsDouble(), 4)) : ""));

  private static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }
}
