package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.Recognition;
import dev.opticalmemory.ocr.RecognizedLine;
import dev.opticalmemory.renderer.LineLayout;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageReader;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads the lines of a page whose layout is known (a page this library drew): first with the
 * renderer's {@link PageReader}, where there is one, then the lines it leaves unread with an OCR
 * engine, given their bands as boxes. The engine is asked for (and so loaded) only when a line
 * needs it. Used by the memory, by {@code ocr} for labelled pages and by {@code bench ocr}.
 */
public final class KnownPageDecoder {
  private static final System.Logger LOG = System.getLogger(KnownPageDecoder.class.getName());

  private KnownPageDecoder() {}

  /**
   * What was read.
   *
   * @param lines one entry per line of the layout: its text, empty where the line was not wanted
   *     or nothing was read
   * @param byReader how many lines the page reader read
   * @param byEngine how many lines were left to the OCR engine
   */
  public record Lines(List<String> lines, int byReader, int byEngine) {
    /**
     * Copies the lines.
     *
     * @param lines one entry per line of the layout
     * @param byReader lines the page reader read
     * @param byEngine lines left to the OCR engine
     */
    public Lines {
      lines = List.copyOf(lines);
    }

    /**
     * The lines joined by line breaks, as {@link Recognition#text()} gives a page.
     *
     * @return the text
     */
    public String text() {
      return String.join("\n", lines);
    }
  }

  /**
   * Reads some lines of a page.
   *
   * <p>The engine is given the bands of the lines the reader left: an engine that can use the boxes
   * (PP-OCR) skips finding lines; others read the whole page. Each line it recognises goes to the
   * layout's line whose band holds its centre (or is nearest); what is nearest to a line that is not
   * wanted, or was read by the reader, is dropped. A reader that throws is logged and its lines go
   * to the engine: the reader is an optimisation.
   *
   * @param image the page at any size
   * @param layout the page's lines, in its logical pixels
   * @param wanted the indexes of the lines to read, or null for all
   * @param reader the page reader, or null to read every line with the engine
   * @param ocr gives the OCR engine, called at most once and only if a line needs it
   * @return the lines
   */
  public static Lines read(BufferedImage image, PageLayout layout, Collection<Integer> wanted,
      PageReader reader, Supplier<OcrEngine> ocr) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(ocr, "ocr");
    List<LineLayout> all = layout.lines();
    TreeSet<Integer> indexes = new TreeSet<>();
    for (int i = 0; i < all.size(); i++) {
      if (wanted == null || wanted.contains(i)) {
        indexes.add(i);
      }
    }
    List<String> lines = new ArrayList<>(Collections.nCopies(all.size(), ""));
    int byReader = 0;
    if (reader != null && !indexes.isEmpty()) {
      List<Integer> order = new ArrayList<>(indexes);
      List<Float> tops = new ArrayList<>(order.size());
      for (int i : order) {
        tops.add(all.get(i).top());
      }
      List<Optional<String>> read;
      try {
        read = reader.read(image, tops);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the page reader failed on a " + image.getWidth()
            + "x" + image.getHeight() + " page; its lines go to the OCR engine", e);
        read = Collections.nCopies(order.size(), Optional.empty());
      }
      for (int k = 0; k < order.size(); k++) {
        if (read.get(k).isPresent()) {
          lines.set(order.get(k), read.get(k).get());
          indexes.remove(order.get(k));
          byReader++;
        }
      }
    }
    if (indexes.isEmpty()) {
      return new Lines(lines, byReader, 0);
    }
    OcrEngine engine = Objects.requireNonNull(ocr.get(), "ocr gave no engine");
    double scale = (double) image.getHeight() / layout.height();
    List<LineLayout> left = new ArrayList<>();
    for (int i : indexes) {
      left.add(all.get(i));
    }
    List<Rectangle> boxes = new PageLayout(layout.index(), layout.width(), layout.height(), left, 0)
        .lineBoxes(image.getWidth(), image.getHeight());
    Recognition recognition = engine.read(image, boxes);
    Map<Integer, TreeMap<Integer, String>> pieces = new HashMap<>();
    for (RecognizedLine line : recognition.lines()) {
      if (line.text().isBlank()) {
        continue;
      }
      Rectangle box = line.box();
      double centre = box == null ? -1 : (box.y + box.height / 2.0) / scale;
      int best = -1;
      double distance = Double.MAX_VALUE;
      for (int i = 0; i < all.size(); i++) {
        LineLayout l = all.get(i);
        double d = centre < l.top() ? l.top() - centre
            : centre > l.top() + l.height() ? centre - l.top() - l.height() : 0;
        if (d < distance) {
          distance = d;
          best = i;
        }
      }
      if (best < 0 || !indexes.contains(best)) {
        continue;
      }
      TreeMap<Integer, String> p = pieces.computeIfAbsent(best, k -> new TreeMap<>());
      p.merge(box == null ? p.size() : box.x, line.text().strip(), (x, y) -> x + " " + y);
    }
    pieces.forEach((i, p) -> lines.set(i, String.join(" ", p.values())));
    return new Lines(lines, byReader, indexes.size());
  }
}
