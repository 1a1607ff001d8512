package dev.opticalmemory.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code tesseract stdin stdout ... tsv} once per page. The page goes in as binary PGM (no
 * compression to spend time on), enlarged first when small; the TSV rows of level 5 (words) are
 * grouped into lines by their block, paragraph and line numbers. Words are joined by a space, except
 * between two CJK characters, which Tesseract's {@code chi_sim} reports as separate words.
 */
final class TesseractEngine implements OcrEngine {
  private final TesseractOcr.Builder settings;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TesseractEngine(TesseractOcr.Builder settings) {
    this.settings = settings;
  }

  static TesseractEngine open(TesseractOcr.Builder settings) {
    String listed;
    try {
      listed = run(settings, List.of(settings.executable, "--list-langs"), null, Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new OcrException("Tesseract is not installed: could not run '" + settings.executable
          + "' (on Debian: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim)",
          e);
    }
    List<String> installed = new ArrayList<>();
    for (String line : listed.split("\n")) {
      if (!line.isBlank() && !line.startsWith("List of")) {
        installed.add(line.strip());
      }
    }
    for (String language : settings.languages) {
      if (!installed.contains(language)) {
        throw new OcrException("Tesseract has no language pack '" + language + "' (installed: "
            + installed + "; on Debian: apt-get install tesseract-ocr-"
            + language.replace('_', '-') + ")");
      }
    }
    return new TesseractEngine(settings);
  }

  @Override
  public String name() {
    return "tesseract";
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public Recognition read(BufferedImage image) {
    if (closed.get()) {
      throw new IllegalStateException("the Tesseract engine is closed");
    }
    PaddleOcrEngine.checkImage(image);
    Map<String, Duration> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    GrayImage gray = GrayImage.of(image);
    double scale = 1;
    int longSide = Math.max(gray.width, gray.height);
    if (settings.minimumLongSide > 0 && longSide < settings.minimumLongSide && longSide >= 8) {
      scale = (double) settings.minimumLongSide / longSide;
      gray = gray.resize((int) Math.round(gray.width * scale), (int) Math.round(gray.height * scale));
    }
    byte[] pgm = pgm(gray);
    long t1 = System.nanoTime();
    stages.put("preprocess", Duration.ofNanos(t1 - t0));
    String tsv;
    try {
      tsv = run(settings, List.of(settings.executable, "stdin", "stdout", "-l",
          String.join("+", settings.languages), "--psm", String.valueOf(settings.pageSegmentation),
          "--dpi", "300", "tsv"), pgm, settings.timeout);
    } catch (IOException e) {
      throw new OcrException("Tesseract failed to read a " + image.getWidth() + "x"
          + image.getHeight() + " image: " + e.getMessage(), e, e instanceof TimeoutIOException);
    }
    long t2 = System.nanoTime();
    stages.put("recognize", Duration.ofNanos(t2 - t1));
    List<RecognizedLine> lines = parse(tsv, scale);
    StringBuilder text = new StringBuilder();
    for (RecognizedLine line : lines) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(line.text());
    }
    stages.put("postprocess", Duration.ofNanos(System.nanoTime() - t2));
    return new Recognition(text.toString(), lines, stages, List.of());
  }

  static List<RecognizedLine> parse(String tsv, double scale) {
    Map<String, LineBuilder> byLine = new LinkedHashMap<>();
    for (String row : tsv.split("\n")) {
      String[] cells = row.split("\t", 12);
      if (cells.length < 12 || !cells[0].equals("5")) {
        continue;
      }
      String word = cells[11].strip();
      if (word.isEmpty()) {
        continue;
      }
      String key = cells[1] + "/" + cells[2] + "/" + cells[3] + "/" + cells[4];
      Rectangle box = new Rectangle(
          (int) Math.round(Integer.parseInt(cells[6]) / scale),
          (int) Math.round(Integer.parseInt(cells[7]) / scale),
          (int) Math.max(1, Math.round(Integer.parseInt(cells[8]) / scale)),
          (int) Math.max(1, Math.round(Integer.parseInt(cells[9]) / scale)));
      double conf = Math.max(0, Double.parseDouble(cells[10])) / 100.0;
      byLine.computeIfAbsent(key, k -> new LineBuilder()).add(word, box, conf);
    }
    List<RecognizedLine> lines = new ArrayList<>();
    for (LineBuilder line : byLine.values()) {
      lines.add(line.build());
    }
    return lines;
  }

  private static final class LineBuilder {
    final StringBuilder text = new StringBuilder();
    Rectangle box;
    double confidence;
    int words;

    void add(String word, Rectangle wordBox, double conf) {
      if (text.length() > 0 && !(isCjk(text.codePointBefore(text.length()))
          && isCjk(word.codePointAt(0)))) {
        text.append(' ');
      }
      text.append(word);
      box = box == null ? wordBox : box.union(wordBox);
      confidence += conf;
      words++;
    }

    RecognizedLine build() {
      return new RecognizedLine(text.toString(), box, confidence / words);
    }
  }

  static boolean isCjk(int codePoint) {
    Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
    if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA) {
      return true;
    }
    Character.UnicodeBlock block = Character.UnicodeBlock.of(codePoint);
    return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
        || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
  }

  private static byte[] pgm(GrayImage gray) {
    byte[] header = ("P5\n" + gray.width + " " + gray.height + "\n255\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + gray.pixels.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(gray.pixels, 0, out, header.length, gray.pixels.length);
    return out;
  }

  /** Runs a command with {@code input} on stdin; returns stdout, or throws with stderr's tail. */
  private static String run(TesseractOcr.Builder settings, List<String> command, byte[] input,
      Duration timeout) throws IOException {
    Path out = Files.createTempFile("optical-memory-tesseract", ".out");
    Path err = Files.createTempFile("optical-memory-tesseract", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().put("OMP_THREAD_LIMIT", String.valueOf(settings.threads));
      Process process = builder.start();
      try {
        try (OutputStream stdin = process.getOutputStream()) {
          if (input != null) {
            stdin.write(input);
          }
        } catch (IOException e) {
          // Tesseract stopped reading early; its exit status and stderr say why.
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new TimeoutIOException("no answer within " + timeout.toMillis() + " ms");
        }
        if (process.exitValue() != 0) {
          String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
          if (stderr.length() > 500) {
            stderr = stderr.substring(stderr.length() - 500);
          }
          throw new IOException("exit status " + process.exitValue() + ": " + stderr);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Tesseract", e);
      }
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static final class TimeoutIOException extends IOException {
    private static final long serialVersionUID = 1L;

    TimeoutIOException(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
