package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.Recognition;
import dev.opticalmemory.ocr.RecognizedLine;
import dev.opticalmemory.renderer.PageReader;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What reads the lines of the memory's pages: the renderer's {@link PageReader} where the memory has
 * one ({@link OpticalMemory.Builder#readOwnPages}), then the OCR engine for the lines it leaves
 * unread. The engine is asked for (and so loaded) only when a line needs it.
 *
 * @param reader the page reader, or null to read every line with the engine
 * @param ocr the OCR engine
 */
record PageDecoder(PageReader reader, Supplier<OcrEngine> ocr) {
  private static final System.Logger LOG = System.getLogger(OpticalMemory.class.getName());

  /**
   * Reads some lines of a page (all if {@code wanted} is null): first with the page reader, where
   * there is one; the lines it leaves unread with the OCR engine, given their bands as boxes,
   * assigning each recognised line to the page map's wanted line whose band holds its
   * centre (or is nearest): an engine that can use the boxes (PP-OCR) skips finding lines; others
   * read the whole page, and what is nearest to a line that is not wanted is dropped.
   * Returns one entry per line of the page map, empty where not wanted or nothing was read.
   */
  List<String> lines(BufferedImage image, PageMap map, Collection<Integer> wanted) {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (int i = 0; i < map.lines().size(); i++) {
      if (wanted == null || wanted.contains(i)) {
        indexes.add(i);
      }
    }
    List<String> lines = new ArrayList<>(Collections.nCopies(map.lines().size(), ""));
    if (reader != null && !indexes.isEmpty()) {
      List<Integer> order = new ArrayList<>(indexes);
      List<Float> tops = new ArrayList<>(order.size());
      for (int i : order) {
        tops.add(map.lines().get(i).top());
      }
      List<Optional<String>> read;
      try {
        read = reader.read(image, tops);
      } catch (RuntimeException e) {
        // The reader is an optimisation: whatever it fails on, the OCR engine reads.
        LOG.log(System.Logger.Level.WARNING, "the page reader failed on a " + image.getWidth()
            + "x" + image.getHeight() + " page; its lines go to the OCR engine", e);
        read = Collections.nCopies(order.size(), Optional.empty());
      }
      for (int k = 0; k < order.size(); k++) {
        if (read.get(k).isPresent()) {
          lines.set(order.get(k), read.get(k).get());
          indexes.remove(order.get(k));
        }
      }
    }
    if (indexes.isEmpty()) {
      return lines;
    }
    OcrEngine engine = ocr.get();
    double scale = (double) image.getHeight() / map.height();
    Recognition recognition = engine.read(image, map.lineBoxes(indexes, image.getWidth(),
        image.getHeight()));
    Map<Integer, TreeMap<Integer, String>> pieces = new HashMap<>();
    for (RecognizedLine line : recognition.lines()) {
      if (line.text().isBlank()) {
        continue;
      }
      java.awt.Rectangle box = line.box();
      double centre = box == null ? -1 : (box.y + box.height / 2.0) / scale;
      // The nearest of all the page's lines: a line read that is not wanted is dropped, not
      // given to a wanted neighbour.
      int best = -1;
      double distance = Double.MAX_VALUE;
      for (int i = 0; i < map.lines().size(); i++) {
        PageMap.Line l = map.lines().get(i);
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
    return lines;
  }
}
