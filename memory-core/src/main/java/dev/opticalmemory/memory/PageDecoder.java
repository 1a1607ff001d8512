package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.PageReader;
import java.awt.image.BufferedImage;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What reads the lines of the memory's pages: the renderer's {@link PageReader} where the memory has
 * one ({@link OpticalMemoryBuilder#readOwnPages}), then the OCR engine for the lines it leaves
 * unread ({@link KnownPageDecoder}). The engine is asked for (and so loaded) only when a line needs
 * it.
 *
 * @param reader the page reader, or null to read every line with the engine
 * @param ocr the OCR engine
 */
record PageDecoder(PageReader reader, Supplier<OcrEngine> ocr) {
  /**
   * Reads some lines of a page (all if {@code wanted} is null), as {@link KnownPageDecoder#read}
   * does. Returns one entry per line of the page map, empty where not wanted or nothing was read.
   */
  List<String> lines(BufferedImage image, PageMap map, Collection<Integer> wanted) {
    return KnownPageDecoder.read(image, map.layout(), wanted, reader, ocr).lines();
  }
}
