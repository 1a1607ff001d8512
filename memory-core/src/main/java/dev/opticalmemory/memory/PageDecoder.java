package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageReader;
import java.awt.image.BufferedImage;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What reads the lines of the memory's pages: the renderer's {@link PageReader} where the memory has
 * one ({@link OpticalMemoryBuilder#readOwnPages}), then the OCR engine for the lines it leaves
 * unread ({@link KnownPageDecoder}). The engine is asked for (and so loaded) only when a line needs
 * it.
 *
 * @param reader the page reader, or null to read every line with the engine
 * @param ocr the OCR engine
 * @param fonts the fonts this memory draws and reads with
 */
record PageDecoder(PageReader reader, Supplier<OcrEngine> ocr, FontSet fonts) {
  private static final System.Logger LOG = System.getLogger(PageDecoder.class.getName());
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /**
   * The faces that drew some of the page's glyphs and that this memory does not have (the page
   * was drawn on another machine): the page reader cannot read those lines, the OCR engine reads
   * them, and the fidelity measured where the page was drawn does not hold. Warns once per face.
   */
  List<String> missingFaces(PageMap map) {
    List<String> missing = map.missingFaces(fonts);
    for (String face : missing) {
      if (WARNED.add(face)) {
        LOG.log(System.Logger.Level.WARNING, "pages drawn with the font '" + face + "' are read"
            + " by the OCR engine: this process does not have the font (" + fonts.sources()
            + "); their recollections carry no fidelity and name the missing font");
      }
    }
    return missing;
  }

  /**
   * Reads some lines of a page (all if {@code wanted} is null), as {@link KnownPageDecoder#read}
   * does. Returns one entry per line of the page map, empty where not wanted or nothing was read.
   */
  List<String> lines(BufferedImage image, PageMap map, Collection<Integer> wanted) {
    return KnownPageDecoder.read(image, map.layout(), wanted, reader, ocr).lines();
  }
}
