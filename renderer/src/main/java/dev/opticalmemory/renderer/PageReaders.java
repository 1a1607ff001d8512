package dev.opticalmemory.renderer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Page readers made once per spec and chain and then shared: a reader's glyph templates take a
 * moment to draw, and every page drawn the same way is read with the same ones. Thread-safe; it
 * keeps the 16 readers used last.
 */
public final class PageReaders {
  private static final int MAX_READERS = 16;

  /**
   * What a reader is made for: the spec its pages were drawn with and how each step was made.
   *
   * @param spec the spec the pages were drawn with
   * @param chain the steps, largest first
   */
  public record Key(RenderSpec spec, List<PageReader.Step> chain) {
    /**
     * Checks and copies the parts.
     *
     * @param spec the spec the pages were drawn with
     * @param chain the steps, largest first
     * @throws NullPointerException if either is null
     */
    public Key {
      Objects.requireNonNull(spec, "spec");
      chain = List.copyOf(chain);
    }
  }

  private final Predicate<String> knownWords;
  private final Map<Key, PageReader> readers = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, PageReader> eldest) {
      return size() > MAX_READERS;
    }
  };

  /**
   * Readers that choose between look-alike readings with {@code knownWords} (see {@link
   * PageReader#of(RenderSpec, List, Predicate)}).
   *
   * @param knownWords whether a word is known
   * @throws NullPointerException if knownWords is null
   */
  public PageReaders(Predicate<String> knownWords) {
    this.knownWords = Objects.requireNonNull(knownWords, "knownWords");
  }

  /**
   * The reader for pages drawn with {@code spec} through {@code chain}, made on first use.
   *
   * @param spec the spec the pages were drawn with
   * @param chain the steps, largest first
   * @return the reader
   * @throws IllegalArgumentException if the chain is empty or does not get smaller step by step
   */
  public PageReader get(RenderSpec spec, List<PageReader.Step> chain) {
    Key key = new Key(spec, chain);
    synchronized (readers) {
      PageReader reader = readers.get(key);
      if (reader == null) {
        reader = PageReader.of(key.spec(), key.chain(), knownWords);
        readers.put(key, reader);
      }
      return reader;
    }
  }
}
