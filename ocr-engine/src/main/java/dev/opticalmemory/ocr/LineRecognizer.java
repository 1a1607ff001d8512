package dev.opticalmemory.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PP-OCR's recognition stage: line crops scaled to the recogniser's height, run through its ONNX
 * session (side by side on {@code lineWorkers} threads, one core each, or one after another on
 * all cores), CTC-decoded with the space class raised; and the known-layout path that feeds it
 * a page's given line boxes instead of detected ones. Thread-safe; owned and closed by
 * {@link PaddleOcrEngine}.
 */
final class LineRecognizer implements AutoCloseable {
  /**
   * Known lines thinner than this many pixels go through detection by default: the memory's
   * SMALL pages (12-13 px line boxes) read better from their boxes, its TINY pages (10-11 px)
   * about as well and faster through detection (see {@code PaddleOcr.Builder
   * .knownLayoutMinHeight}).
   */
  static final int MIN_KNOWN_HEIGHT = 12;
  private static final int MAX_REC_WIDTH = 3200;

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  /** Threads that recognise lines side by side, or null for one line after another. */
  private final ExecutorService lineWorkers;
  private final String[] characters;
  /** How much the space class's probability is raised before the best class is taken. */
  private final double spaceBoost;
  /** How much a look-alike's probability is raised where the context asks for it. */
  private final double contextBoost;
  /** For each class with look-alikes that the context can decide between, their classes. */
  private final int[][] alternateOf;
  /** Replaces unknown words by known readings, or null if {@code lexiconBoost} is 1. */
  private final WordCorrector corrector;
  private final int maxBatch;
  /** The widest piece of a known line, in multiples of the line's height. */
  private final double pieceEms;
  /** The height lines are recognised at (the angle classifier always uses 48). */
  private final int recHeight;
  /** The median height from which known line boxes are read as such. */
  private final int knownMinHeight;

  /**
   * Loads the recognition model.
   *
   * @throws OcrException if ONNX Runtime cannot load it; nothing is left open
   */
  LineRecognizer(OrtEnvironment env, byte[] model, ModelFiles file, String[] characters,
      PaddleOcr.Builder b) {
    this.env = env;
    this.characters = characters;
    this.spaceBoost = b.spaceBoost;
    this.contextBoost = b.contextBoost;
    this.alternateOf = alternates(characters);
    this.corrector = b.lexiconBoost > 1 ? new WordCorrector(characters, b.lexiconBoost) : null;
    this.maxBatch = b.maxBatch;
    this.pieceEms = b.pieceEms;
    this.recHeight = b.recognitionHeight;
    this.knownMinHeight = b.knownLayoutMinHeight;
    int workers = b.lineWorkers > 0 ? b.lineWorkers : b.threads;
    // Lines recognised side by side each run on one core; one after another, on all of them.
    OrtSession.SessionOptions opts = null;
    try {
      opts = sessionOptions(workers > 1 ? 1 : b.threads);
      this.session = env.createSession(model, opts);
    } catch (OrtException e) {
      if (opts != null) {
        opts.close();
      }
      throw new OcrException("ONNX Runtime cannot load model " + file.fileName(), e);
    }
    this.options = opts;
    if (workers > 1) {
      AtomicInteger n = new AtomicInteger();
      this.lineWorkers = Executors.newFixedThreadPool(workers, task -> {
        Thread t = new Thread(task, "pp-ocr-lines-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    } else {
      this.lineWorkers = null;
    }
  }

  /**
   * The look-alikes the context decides between, by class: a small letter whose capital has its
   * shape (c o s v w x z), a digit shaped like letters (5 S s, 0 O o, 1 I l), the period (a
   * comma), and l and t (an exclamation mark).
   */
  private static int[][] alternates(String[] characters) {
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < characters.length; i++) {
      index.putIfAbsent(characters[i], i);
    }
    int[][] alternates = new int[characters.length][];
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String small : List.of("c", "o", "s", "v", "w", "x", "z")) {
      pairs.put(small, small.toUpperCase(java.util.Locale.ROOT));
    }
    pairs.put("5", "Ss");
    pairs.put("0", "Oo");
    pairs.put("1", "Il");
    pairs.put(".", ",");
    pairs.put("l", "!");
    pairs.put("t", "!");
    pairs.forEach((from, to) -> {
      Integer f = index.get(from);
      List<Integer> t = new ArrayList<>();
      to.chars().forEach(c -> {
        Integer i = index.get(String.valueOf((char) c));
        if (i != null) {
          t.add(i);
        }
      });
      if (f != null && !t.isEmpty()) {
        alternates[f] = t.stream().mapToInt(Integer::intValue).toArray();
      }
    });
    return alternates;
  }

  /**
   * Look-alikes decided by their context, each only where the look-alike's probability times
   * {@link #contextBoost} beats the character read: a small letter shaped like its capital after a
   * sentence's end or a speaker's label becomes the capital ("great! what" to "great! What"); a
   * digit that starts a word of letters becomes a letter ("5o" to "so", "1'm" to "I'm", a lone "1"
   * before a word to "I"); a period before a word in small letters becomes a comma; an l or t that
   * ends a word before a capital becomes an exclamation mark. A full-width
   * form of an ASCII character after a Latin letter or digit becomes the ASCII one ("part！" to
   * "part!").
   */
  private void repair(List<String> chars, List<Float> read, List<Float> alternate) {
    int n = chars.size();
    for (int i = 0; i < n; i++) {
      String c = chars.get(i);
      if (c.length() == 1 && c.charAt(0) >= '\uFF01' && c.charAt(0) <= '\uFF5E' && i > 0
          && isLatin(chars.get(i - 1))) {
        chars.set(i, String.valueOf((char) (c.charAt(0) - 0xFEE0)));
        continue;
      }
      if (!(alternate.get(i) * contextBoost > read.get(i))) {
        continue;
      }
      boolean wordStart = i == 0 || chars.get(i - 1).equals(" ");
      boolean sentenceStart = i >= 2 && chars.get(i - 1).equals(" ")
          && SENTENCE_ENDS.contains(chars.get(i - 2)) && chars.get(i - 2).length() == 1;
      String next = i + 1 < n ? chars.get(i + 1) : " ";
      switch (c) {
        case "c", "o", "s", "v", "w", "x", "z" -> {
          if (sentenceStart) {
            chars.set(i, c.toUpperCase(java.util.Locale.ROOT));
          }
        }
        case "5", "0" -> {
          if (wordStart && isSmallLetter(next)) {
            String letter = c.equals("5") ? "s" : "o";
            chars.set(i, i == 0 || sentenceStart ? letter.toUpperCase(java.util.Locale.ROOT)
                : letter);
          }
        }
        case "1" -> {
          if (wordStart && (next.equals("'") || next.equals("’")
              || next.equals(" ") && i + 2 < n && isSmallLetter(chars.get(i + 2)))) {
            chars.set(i, "I");
          }
        }
        case "l", "t" -> {
          // An exclamation mark read as a letter at the end of a word, before a capital
          // ("Caroline! It's" read "Carolinel It's").
          boolean endsWord = i > 0 && Character.isLetter(chars.get(i - 1).charAt(0));
          boolean beforeCapital = next.equals(" ") && i + 2 < n && isCapital(chars.get(i + 2));
          if (endsWord && beforeCapital) {
            chars.set(i, "!");
          }
        }
        case "." -> {
          if (next.equals(" ") && i + 2 < n && isSmallLetter(chars.get(i + 2))
              && (i == 0 || !chars.get(i - 1).equals("."))) {
            chars.set(i, ",");
          }
        }
        default -> { }
      }
    }
  }

  /** What ends a sentence, or starts a turn after its speaker's label ("Ann: what" reads "What"). */
  private static final String SENTENCE_ENDS = ".!?:";

  private static boolean isLatin(String s) {
    return s.length() == 1 && s.charAt(0) < 128 && Character.isLetterOrDigit(s.charAt(0));
  }

  private static boolean isSmallLetter(String s) {
    return s.length() == 1 && Character.isLowerCase(s.charAt(0));
  }

  private static boolean isCapital(String s) {
    return s.length() == 1 && Character.isUpperCase(s.charAt(0));
  }

  /** The options every PP-OCR session is made with, at {@code threads} intra-op threads. */
  static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
    OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    try {
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // Spinning threads burn the other core between runs; off was faster on 2 cores.
      opts.addConfigEntry("session.intra_op.allow_spinning", "0");
      return opts;
    } catch (OrtException | RuntimeException e) {
      opts.close();
      throw e;
    }
  }

  /**
   * Whether given line boxes are read as such: their median height is at least the builder's
   * {@code knownLayoutMinHeight} ({@link #MIN_KNOWN_HEIGHT} px by default).
   */
  boolean usesBoxes(List<Rectangle> boxes) {
    return medianHeight(boxes) >= knownMinHeight;
  }

  /**
   * The known-layout path, for lines at least as tall as the builder's {@code
   * knownLayoutMinHeight} (see {@link #usesBoxes}): no detection and no orientation. Each given
   * line is trimmed to its ink and, if wider than {@link #pieceEms} times its height, cut at word
   * gaps into pieces no wider; lines and pieces are recognised side by side, and a line's pieces
   * joined with spaces.
   */
  Recognition readKnown(BufferedImage image, List<Rectangle> boxes) throws OrtException {
    Map<String, Duration> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    GrayImage page = GrayImage.of(image);
    List<Rectangle> pieces = new ArrayList<>();
    List<Integer> lineOf = new ArrayList<>();
    int height = knownHeight(boxes);
    for (int i = 0; i < boxes.size(); i++) {
      Rectangle box = boxes.get(i);
      int h = box.height;
      int widest = (int) Math.max(4 * h, pieceEms * h);
      for (Rectangle piece : page.inkPieces(box, Math.max(2, h / 4), widest)) {
        pieces.add(piece);
        lineOf.add(i);
      }
    }
    long t1 = System.nanoTime();
    stages.put("preprocess", Duration.ofNanos(t1 - t0));
    String[] texts = new String[pieces.size()];
    double[] confidences = new double[pieces.size()];
    recognize(page, pieces, texts, confidences, height, false);
    stages.put("recognize", Duration.ofNanos(System.nanoTime() - t1));
    StringBuilder[] byLine = new StringBuilder[boxes.size()];
    double[] confidenceSum = new double[boxes.size()];
    int[] count = new int[boxes.size()];
    for (int k = 0; k < pieces.size(); k++) {
      int line = lineOf.get(k);
      String t = texts[k].strip();
      if (t.isEmpty()) {
        continue;
      }
      if (byLine[line] == null) {
        byLine[line] = new StringBuilder(t);
      } else {
        byLine[line].append(' ').append(t);
      }
      confidenceSum[line] += confidences[k];
      count[line]++;
    }
    List<RecognizedLine> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < boxes.size(); i++) {
      String t = byLine[i] == null ? "" : byLine[i].toString();
      lines.add(new RecognizedLine(t, boxes.get(i), count[i] == 0 ? 0 : confidenceSum[i] / count[i]));
      if (!t.isEmpty()) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(t);
      }
    }
    return new Recognition(text.toString(), lines, stages, List.of());
  }

  /**
   * The height known lines are recognised at, unless the builder sets one. A detected box is about
   * a quarter taller than the line's band, so at the same height a band's line comes out a quarter
   * larger and wider; at 40 px, bands of LARGE, BASE and SMALL pages read as well as detected boxes
   * at 48, in less time (README, "The OCR engine").
   */
  private int knownHeight(List<Rectangle> boxes) {
    return recHeight != 48 ? recHeight : 40;
  }

  private static int medianHeight(List<Rectangle> boxes) {
    if (boxes.isEmpty()) {
      return 0;
    }
    int[] heights = boxes.stream().mapToInt(b -> b.height).sorted().toArray();
    return heights[heights.length / 2];
  }

  /** Recognises each detected box at the configured height; texts and confidences by index. */
  void recognize(GrayImage page, List<Rectangle> boxes, String[] texts, double[] confidences)
      throws OrtException {
    recognize(page, boxes, texts, confidences, recHeight, true);
  }

  /**
   * Recognises each box scaled to {@code height} pixels; a detected box much taller than wide is a
   * vertical line and is turned first ({@code turnTall}), which a known line's piece never is.
   */
  private void recognize(GrayImage page, List<Rectangle> boxes, String[] texts, double[] confidences,
      int height, boolean turnTall) throws OrtException {
    int n = boxes.size();
    GrayImage[] lines = new GrayImage[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      GrayImage crop = page.crop(boxes.get(i));
      if (turnTall && crop.height > 1.5 * crop.width) {
        crop = crop.rotate(3);
      }
      int w = (int) Math.round(height * (double) crop.width / crop.height);
      w = Math.max(height / 2, Math.min(MAX_REC_WIDTH, w));
      lines[i] = crop.resize(w, height);
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> lines[i].width));
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < n) {
      int end = start + 1;
      int first = lines[order[start]].width;
      while (end < n && end - start < maxBatch && lines[order[end]].width <= first * 1.25 + 16) {
        end++;
      }
      batches.add(new int[] {start, end});
      start = end;
    }
    if (lineWorkers == null || batches.size() < 2) {
      for (int[] batch : batches) {
        recognizeBatch(lines, order, batch[0], batch[1], texts, confidences, height);
      }
      return;
    }
    // Widest first, so that no worker is left with a long line at the end.
    java.util.Collections.reverse(batches);
    List<Future<?>> running = new ArrayList<>();
    for (int[] batch : batches) {
      running.add(lineWorkers.submit(() -> {
        recognizeBatch(lines, order, batch[0], batch[1], texts, confidences, height);
        return null;
      }));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        settle(running);
        Thread.currentThread().interrupt();
        throw new OcrException("interrupted while recognising lines", e);
      } catch (ExecutionException e) {
        settle(running);
        if (e.getCause() instanceof OrtException ort) {
          throw ort;
        }
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new OcrException("recognising a line failed", e.getCause());
      }
    }
  }

  /**
   * Cancels the batches not started and waits, uninterruptibly, for those running: a batch is native
   * work that no interrupt stops, and none may outlive the read (the process may exit next, and
   * ONNX Runtime's shutdown hook frees what a running batch uses). A batch takes well under a
   * second.
   */
  private static void settle(List<Future<?>> running) {
    running.forEach(r -> r.cancel(false));
    boolean interrupted = false;
    for (Future<?> r : running) {
      while (true) {
        try {
          r.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void recognizeBatch(GrayImage[] lines, Integer[] order, int from, int to, String[] texts,
      double[] confidences, int height) throws OrtException {
    int n = to - from;
    int width = 0;
    for (int k = from; k < to; k++) {
      width = Math.max(width, lines[order[k]].width);
    }
    width = (width + 7) / 8 * 8;
    int plane = height * width;
    FloatBuffer buffer = directFloats(n * 3 * plane);
    float[] row = new float[width];
    for (int b = 0; b < n; b++) {
      GrayImage line = lines[order[from + b]];
      for (int y = 0; y < height; y++) {
        java.util.Arrays.fill(row, 1f);
        for (int x = 0; x < line.width; x++) {
          row[x] = ((line.pixels[y * line.width + x] & 0xFF) / 255f - 0.5f) / 0.5f;
        }
        for (int c = 0; c < 3; c++) {
          buffer.put((b * 3 + c) * plane + y * width, row);
        }
      }
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, 3, height, width});
        OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
      OnnxTensor output = (OnnxTensor) result.get(0);
      long[] shape = output.getInfo().getShape();
      int steps = (int) shape[1];
      int classes = (int) shape[2];
      if (classes != characters.length) {
        throw new OcrException("recognition model has " + classes + " classes but the character list "
            + "gives " + characters.length + " (blank + dictionary + space)");
      }
      FloatBuffer probs = output.getFloatBuffer();
      for (int b = 0; b < n; b++) {
        List<String> emittedChars = new ArrayList<>();
        List<Float> emittedP = new ArrayList<>();
        List<Float> alternateP = new ArrayList<>();
        List<Integer> firstStep = new ArrayList<>();
        List<Integer> lastStep = new ArrayList<>();
        double confidence = 0;
        int emitted = 0;
        int previous = 0;
        int base = b * steps * classes;
        for (int t = 0; t < steps; t++) {
          int offset = base + t * classes;
          int best = 0;
          float bestP = probs.get(offset);
          for (int c = 1; c < classes; c++) {
            float p = probs.get(offset + c);
            if (p > bestP) {
              bestP = p;
              best = c;
            }
          }
          // Word spacing: between words the recogniser often puts the space class second, behind
          // the blank; raised by spaceBoost, it wins there (PaddleOCR's use_space_char class).
          if (spaceBoost > 1 && best != classes - 1 && !emittedChars.isEmpty()
              && probs.get(offset + classes - 1) * spaceBoost > bestP) {
            bestP = probs.get(offset + classes - 1);
            best = classes - 1;
          }
          if (best != 0 && best != previous) {
            emittedChars.add(characters[best]);
            emittedP.add(bestP);
            alternateP.add(0f);
            firstStep.add(t);
            lastStep.add(t);
            confidence += bestP;
            emitted++;
          } else if (best != 0) {
            lastStep.set(lastStep.size() - 1, t);
          }
          if (best != 0 && alternateOf[best] != null) {
            // The look-alike's best probability over the character's steps.
            int last = alternateP.size() - 1;
            float alt = 0;
            for (int a : alternateOf[best]) {
              alt = Math.max(alt, probs.get(offset + a));
            }
            alternateP.set(last, Math.max(alternateP.get(last), alt));
            emittedP.set(last, Math.max(emittedP.get(last), bestP));
          }
          previous = best;
        }
        if (contextBoost > 1) {
          repair(emittedChars, emittedP, alternateP);
        }
        List<String> text = corrector == null ? emittedChars
            : corrector.correct(emittedChars, firstStep, lastStep, probs, base, steps, classes);
        int index = order[from + b];
        texts[index] = String.join("", text);
        confidences[index] = emitted == 0 ? 0 : confidence / emitted;
      }
    }
  }


  static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Override
  public void close() {
    if (lineWorkers != null) {
      lineWorkers.shutdownNow();
    }
    try {
      session.close();
    } catch (OrtException e) {
      // Closing releases native memory; a failure here leaves nothing the caller can act on.
    }
    options.close();
  }
}
