package dev.opticalmemory.ocr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * PP-OCR on ONNX Runtime.
 *
 * <h2>Pipeline</h2>
 * <ol>
 *   <li><b>Detection (DB).</b> The page is resized so its longer side is 1024 px, or at most 2048 px
 *       for pages over 1400 px (small pages are enlarged: at native size detection misses fonts
 *       under about 7 px), rounded
 *       to multiples of 32, normalised with ImageNet's mean and deviation. The probability map is
 *       thresholded at 0.3; each 4-connected region is scored by the mean probability over its own
 *       pixels (PaddleOCR's "fast" score over the bounding rectangle drops faint lines), kept above
 *       the box threshold, and grown by {@code area * unclipRatio / perimeter} on every side (the
 *       small-text ratio for regions under {@value #SMALL_TEXT_PIXELS} px high on the page).
 *   <li><b>Orientation.</b> If most regions are taller than wide, the page is turned 90 degrees
 *       clockwise and detected again. With the angle classifier, the widest regions vote on whether
 *       the page is upside down. The classifier alone misjudged clean 640 px pages, so a majority
 *       vote is confirmed by reading the two widest lines both ways and keeping the orientation
 *       read with more confidence; if turned, the page is detected again.
 *   <li><b>Recognition (CTC).</b> Each region is cropped from the page, resampled to 48 px high
 *       (area averaging when shrinking), normalised to [-1, 1]. Lines are sorted by width and batched
 *       with lines of similar width, padded with white to the widest of the batch, so padding wastes
 *       little. Output is decoded greedily: best class per step, repeats merged, blanks dropped.
 *   <li><b>Reading order.</b> Regions are grouped into rows by vertical overlap, rows top to bottom,
 *       regions in a row left to right, joined by a space.
 * </ol>
 *
 * <h2>Concurrency</h2>
 * ONNX Runtime sessions may run concurrently, and the engine keeps no other mutable state, so reads
 * run in parallel. A read-write lock lets {@link #close()} wait for reads in flight.
 */
final class PaddleOcrEngine implements OcrEngine {
  private static final float[] DET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] DET_STD = {0.229f, 0.224f, 0.225f};
  private static final float DET_THRESHOLD = 0.3f;
  private static final int REC_HEIGHT = 48;
  private static final int CLS_WIDTH = 192;
  private static final int CLS_VOTERS = 8;

  private static final System.Logger LOG = System.getLogger(PaddleOcrEngine.class.getName());
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession detector;
  private final LineRecognizer recognizer;
  private final OrtSession classifier;
  private final double boxThreshold;
  private final double unclipRatio;
  private final double smallTextUnclipRatio;
  /**
   * Detected regions (before growing) under this many pixels high on the page are small text, grown
   * by the small-text unclip ratio: the memory's TINY pages' are 4-5 px, pages of conversation 26
   * drawn at 20.6-28.6 px and downscaled to 1024 px 8-12 px.
   */
  static final int SMALL_TEXT_PIXELS = 7;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  PaddleOcrEngine(PaddleOcr.Builder b) {
    OrtNative.prepare();
    ModelFiles recFile = b.recognizer == PaddleOcr.Recognizer.V3 ? ModelFiles.RECOGNITION_V3 : ModelFiles.RECOGNITION;
    this.boxThreshold = b.boxThreshold;
    this.unclipRatio = b.unclipRatio;
    this.smallTextUnclipRatio = b.smallTextUnclipRatio;
    this.env = OnnxRuntime.environment();
    try {
      // ONNX Runtime queues telemetry events in ~/.cache/Microsoft/DeveloperTools/.onnxruntime at
      // every start; an offline library sends nothing and keeps nothing.
      env.setTelemetry(false);
    } catch (OrtException e) {
      LOG.log(System.Logger.Level.DEBUG,
          () -> "could not turn ONNX Runtime's telemetry off: " + e.getMessage());
    }
    OrtSession.SessionOptions opts = null;
    OrtSession d = null;
    LineRecognizer r = null;
    OrtSession c = null;
    java.util.concurrent.FutureTask<OrtSession> detection = null;
    try {
      opts = LineRecognizer.sessionOptions(b.threads);
      // The detector is read, checked, rewritten and loaded on a second thread while this one
      // does the same for the recogniser, since each step is a visible part of the start.
      OrtSession.SessionOptions o = opts;
      detection = new java.util.concurrent.FutureTask<>(() -> session(o,
          prepared(ModelFiles.DETECTION.read(b.modelFolder, b.verifyChecksums), b),
          ModelFiles.DETECTION));
      Thread loader = new Thread(detection, "pp-ocr-load-detector");
      loader.setDaemon(true);
      loader.start();
      byte[] rec = recFile.read(b.modelFolder, b.verifyChecksums);
      String[] characters = characters(ModelFiles.CHARACTERS.read(b.modelFolder, b.verifyChecksums));
      r = new LineRecognizer(env, prepared(rec, b), recFile, characters, b);
      d = detector(detection);
      // After the detector: the two share their session options.
      c = b.angleClassifier ? session(opts,
          ModelFiles.CLASSIFIER.read(b.modelFolder, b.verifyChecksums), ModelFiles.CLASSIFIER) : null;
    } catch (OrtException | RuntimeException e) {
      if (d == null && detection != null) {
        try {
          d = detector(detection);
        } catch (RuntimeException ignored) {
          // the first failure is the one reported
        }
      }
      closeQuietly(c, d);
      if (r != null) {
        r.close();
      }
      if (opts != null) {
        opts.close();
      }
      throw e instanceof OcrException ? (OcrException) e
          : new OcrException("cannot set up ONNX Runtime for PP-OCR", e);
    }
    this.options = opts;
    this.detector = d;
    this.recognizer = r;
    this.classifier = c;
  }

  /** The model's bytes as ONNX Runtime will load them: rewritten unless the builder says not. */
  private static byte[] prepared(byte[] model, PaddleOcr.Builder b) {
    return b.simplifyGraphs ? GraphSimplifier.simplify(model).model() : model;
  }

  /** The detector's session once its loading thread is done; its failure, unwrapped. */
  private static OrtSession detector(java.util.concurrent.FutureTask<OrtSession> detection) {
    try {
      return detection.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OcrException("interrupted while loading the detection model", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re
          : new OcrException("cannot load the detection model", e.getCause());
    }
  }

  private OrtSession session(OrtSession.SessionOptions opts, byte[] model, ModelFiles file) {
    try {
      return env.createSession(model, opts);
    } catch (OrtException e) {
      throw new OcrException("ONNX Runtime cannot load model " + file.fileName(), e);
    }
  }

  private static String[] characters(byte[] bytes) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
    int n = lines.length;
    while (n > 0 && lines[n - 1].isEmpty()) {
      n--;
    }
    // Class 0 is the CTC blank; then the dictionary; the last class is a space.
    String[] chars = new String[n + 2];
    chars[0] = "";
    System.arraycopy(lines, 0, chars, 1, n);
    chars[n + 1] = " ";
    return chars;
  }

  @Override
  public String name() {
    return "paddle";
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public Recognition read(BufferedImage image) {
    checkImage(image);
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this PP-OCR engine is closed");
      }
      return readOpen(image);
    } catch (OrtException e) {
      throw new OcrException("ONNX Runtime failed on a " + image.getWidth() + "x" + image.getHeight()
          + " image", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Recognition read(BufferedImage image, List<Rectangle> lines) {
    checkImage(image);
    if (lines == null) {
      throw new IllegalArgumentException("lines must not be null");
    }
    Rectangle bounds = new Rectangle(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < lines.size(); i++) {
      Rectangle box = lines.get(i);
      if (box == null || box.isEmpty() || !bounds.contains(box)) {
        throw new IllegalArgumentException("lines[" + i + "] must be a box inside the "
            + image.getWidth() + "x" + image.getHeight() + " image, but is: " + box);
      }
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this PP-OCR engine is closed");
      }
      // Lines under 16 px read faster, and as well, through detection (bench ocr).
      return recognizer.usesBoxes(lines) ? recognizer.readKnown(image, lines) : readOpen(image);
    } catch (OrtException e) {
      throw new OcrException("ONNX Runtime failed on a " + image.getWidth() + "x" + image.getHeight()
          + " image", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  static void checkImage(BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("image must not be null");
    }
    long pixels = (long) image.getWidth() * image.getHeight();
    if (pixels > PaddleOcr.MAX_PIXELS) {
      throw new IllegalArgumentException("image is " + image.getWidth() + "x" + image.getHeight()
          + " = " + pixels + " pixels, above the limit of " + PaddleOcr.MAX_PIXELS + " pixels");
    }
  }

  private Recognition readOpen(BufferedImage image) throws OrtException {
    Map<String, Duration> stages = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long t0 = System.nanoTime();
    GrayImage page = GrayImage.of(image);
    long t1 = System.nanoTime();
    stages.put("preprocess", Duration.ofNanos(t1 - t0));

    List<Rectangle> boxes = detect(page);
    long t2 = System.nanoTime();
    stages.put("detect", Duration.ofNanos(t2 - t1));

    if (mostlyVertical(boxes)) {
      page = page.rotate(1);
      boxes = detect(page);
      warnings.add("page was turned 90 degrees clockwise before reading; boxes refer to the turned page");
    }
    if (classifier != null && upsideDown(page, boxes)) {
      page = page.rotate(2);
      boxes = detect(page);
      warnings.add("page was upside down and turned 180 degrees before reading; boxes refer to the turned page");
    }
    long t3 = System.nanoTime();
    stages.put("orient", Duration.ofNanos(t3 - t2));

    List<List<Rectangle>> rows = rows(boxes);
    List<Rectangle> ordered = new ArrayList<>();
    rows.forEach(ordered::addAll);
    String[] texts = new String[ordered.size()];
    double[] confidences = new double[ordered.size()];
    recognizer.recognize(page, ordered, texts, confidences);
    stages.put("recognize", Duration.ofNanos(System.nanoTime() - t3));

    List<RecognizedLine> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int k = 0;
    for (List<Rectangle> row : rows) {
      StringBuilder rowText = new StringBuilder();
      for (Rectangle box : row) {
        String t = texts[k].strip();
        lines.add(new RecognizedLine(t, box, confidences[k]));
        if (!t.isEmpty()) {
          if (rowText.length() > 0) {
            rowText.append(' ');
          }
          rowText.append(t);
        }
        k++;
      }
      if (rowText.length() > 0) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(rowText);
      }
    }
    return new Recognition(text.toString(), lines, stages, warnings);
  }

  // ---------------------------------------------------------------- detection

  private List<Rectangle> detect(GrayImage page) throws OrtException {
    int longSide = Math.max(page.width, page.height);
    double scale = 1;
    if (longSide < 1024) {
      scale = Math.min(4.0, 1024.0 / longSide);
    } else if (longSide <= 1400) {
      scale = 1024.0 / longSide; // a mild shrink; detection at 1280 took 3x as long as at 1024
    } else if (longSide > 2048) {
      scale = 2048.0 / longSide;
    }
    int dw = Math.max(32, (int) Math.round(page.width * scale / 32) * 32);
    int dh = Math.max(32, (int) Math.round(page.height * scale / 32) * 32);
    GrayImage input = page.resize(dw, dh);
    int plane = dw * dh;
    FloatBuffer buffer = LineRecognizer.directFloats(3 * plane);
    for (int c = 0; c < 3; c++) {
      float mean = DET_MEAN[c];
      float std = DET_STD[c];
      for (int i = 0; i < plane; i++) {
        buffer.put(c * plane + i, ((input.pixels[i] & 0xFF) / 255f - mean) / std);
      }
    }
    float[] prob = new float[plane];
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {1, 3, dh, dw});
        OrtSession.Result result = detector.run(Map.of(detector.getInputNames().iterator().next(), tensor))) {
      ((OnnxTensor) result.get(0)).getFloatBuffer().get(prob);
    }
    return regions(prob, dw, dh, (double) page.width / dw, (double) page.height / dh,
        page.width, page.height);
  }

  /** Connected regions of the thresholded map, scored, grown and mapped back to page pixels. */
  private List<Rectangle> regions(float[] prob, int w, int h, double sx, double sy, int pageW, int pageH) {
    int[] label = new int[w * h];
    int[] stack = new int[w * h];
    List<Rectangle> boxes = new ArrayList<>();
    int next = 0;
    for (int start = 0; start < prob.length; start++) {
      if (label[start] != 0 || prob[start] <= DET_THRESHOLD) {
        continue;
      }
      next++;
      int top = 0;
      stack[top++] = start;
      label[start] = next;
      int minX = Integer.MAX_VALUE;
      int minY = Integer.MAX_VALUE;
      int maxX = -1;
      int maxY = -1;
      double sum = 0;
      int count = 0;
      while (top > 0) {
        int p = stack[--top];
        int x = p % w;
        int y = p / w;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        sum += prob[p];
        count++;
        if (x > 0) {
          top = push(prob, label, stack, top, p - 1, next);
        }
        if (x < w - 1) {
          top = push(prob, label, stack, top, p + 1, next);
        }
        if (y > 0) {
          top = push(prob, label, stack, top, p - w, next);
        }
        if (y < h - 1) {
          top = push(prob, label, stack, top, p + w, next);
        }
      }
      int bw = maxX - minX + 1;
      int bh = maxY - minY + 1;
      if (Math.min(bw, bh) < 3 || sum / count < boxThreshold) {
        continue;
      }
      double ratio = bh * sy < SMALL_TEXT_PIXELS ? smallTextUnclipRatio : unclipRatio;
      double grow = bw * (double) bh * ratio / (2.0 * (bw + bh));
      int x0 = clamp((int) Math.floor((minX - grow) * sx), pageW);
      int y0 = clamp((int) Math.floor((minY - grow) * sy), pageH);
      int x1 = clamp((int) Math.ceil((maxX + 1 + grow) * sx), pageW);
      int y1 = clamp((int) Math.ceil((maxY + 1 + grow) * sy), pageH);
      if (x1 - x0 >= 2 && y1 - y0 >= 2) {
        boxes.add(new Rectangle(x0, y0, x1 - x0, y1 - y0));
      }
    }
    return boxes;
  }

  private static int push(float[] prob, int[] label, int[] stack, int top, int p, int id) {
    if (label[p] == 0 && prob[p] > DET_THRESHOLD) {
      label[p] = id;
      stack[top++] = p;
    }
    return top;
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static boolean mostlyVertical(List<Rectangle> boxes) {
    if (boxes.size() < 3) {
      return false;
    }
    long vertical = boxes.stream().filter(b -> b.height > 1.5 * b.width).count();
    long horizontal = boxes.stream().filter(b -> b.width > 1.5 * b.height).count();
    return vertical > 2 * horizontal;
  }

  /** Rows by vertical overlap, top to bottom; boxes in a row left to right. */
  static List<List<Rectangle>> rows(List<Rectangle> boxes) {
    List<Rectangle> sorted = new ArrayList<>(boxes);
    sorted.sort(Comparator.comparingDouble(Rectangle::getCenterY));
    List<List<Rectangle>> rows = new ArrayList<>();
    List<Rectangle> row = null;
    Rectangle anchor = null;
    for (Rectangle box : sorted) {
      if (anchor != null) {
        int overlap = Math.min(anchor.y + anchor.height, box.y + box.height) - Math.max(anchor.y, box.y);
        if (overlap >= 0.5 * Math.min(anchor.height, box.height)) {
          row.add(box);
          continue;
        }
      }
      row = new ArrayList<>();
      row.add(box);
      rows.add(row);
      anchor = box;
    }
    rows.forEach(r -> r.sort(Comparator.comparingInt(b -> b.x)));
    return rows;
  }

  // ---------------------------------------------------------------- orientation

  private boolean upsideDown(GrayImage page, List<Rectangle> boxes) throws OrtException {
    List<Rectangle> voters = new ArrayList<>(boxes);
    voters.removeIf(b -> b.height > b.width);
    voters.sort(Comparator.comparingInt((Rectangle b) -> b.width).reversed());
    voters = voters.subList(0, Math.min(CLS_VOTERS, voters.size()));
    if (voters.isEmpty()) {
      return false;
    }
    int n = voters.size();
    int plane = REC_HEIGHT * CLS_WIDTH;
    FloatBuffer buffer = LineRecognizer.directFloats(n * 3 * plane);
    for (int i = 0; i < n; i++) {
      GrayImage crop = page.crop(voters.get(i));
      int w = Math.max(1, Math.min(CLS_WIDTH,
          (int) Math.ceil(REC_HEIGHT * (double) crop.width / crop.height)));
      GrayImage line = crop.resize(w, REC_HEIGHT);
      for (int c = 0; c < 3; c++) {
        int base = (i * 3 + c) * plane;
        for (int y = 0; y < REC_HEIGHT; y++) {
          for (int x = 0; x < CLS_WIDTH; x++) {
            float v = x < w ? (line.get(x, y) / 255f - 0.5f) / 0.5f : 0f;
            buffer.put(base + y * CLS_WIDTH + x, v);
          }
        }
      }
    }
    int flipped = 0;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, 3, REC_HEIGHT, CLS_WIDTH});
        OrtSession.Result result = classifier.run(Map.of(classifier.getInputNames().iterator().next(), tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      for (int i = 0; i < n; i++) {
        if (out.get(i * 2 + 1) > 0.9f) {
          flipped++;
        }
      }
    }
    if (flipped * 2 <= n) {
      return false;
    }
    List<Rectangle> judges = voters.subList(0, Math.min(2, voters.size()));
    GrayImage turned = page.rotate(2);
    List<Rectangle> turnedBoxes = new ArrayList<>();
    for (Rectangle b : judges) {
      turnedBoxes.add(new Rectangle(page.width - b.x - b.width, page.height - b.y - b.height, b.width, b.height));
    }
    return meanConfidence(turned, turnedBoxes) > meanConfidence(page, judges);
  }

  private double meanConfidence(GrayImage page, List<Rectangle> boxes) throws OrtException {
    String[] texts = new String[boxes.size()];
    double[] confidences = new double[boxes.size()];
    recognizer.recognize(page, boxes, texts, confidences);
    double sum = 0;
    for (double c : confidences) {
      sum += c;
    }
    return sum / boxes.size();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      recognizer.close();
      closeQuietly(classifier, detector);
      options.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession... sessions) {
    for (OrtSession session : sessions) {
      if (session != null) {
        try {
          session.close();
        } catch (OrtException e) {
          // Closing releases native memory; a failure here leaves nothing the caller can act on.
        }
      }
    }
  }
}
