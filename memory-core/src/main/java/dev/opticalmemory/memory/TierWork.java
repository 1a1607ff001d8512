package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.TextMetrics;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The pieces of background work on one segment, each one transaction: rendering a closed
 * segment's page at LARGE (with its page map, recall terms and, optionally, fidelity), moving a
 * segment one tier down (its new image downscaled from the stored one of the tier above), and
 * storing the text of its page decoded at the tier it rests at.
 *
 * <p>Each applies only if the segment is still as it was read: a page only where none is stored, a
 * tier change only from the tier it was at. Of two workers racing on one segment, one applies the
 * change and the other's transaction rolls back, so every transition happens once.
 */
final class TierWork {

  private final Settings settings;
  private final MemoryStore store;
  private final PageRenderer renderer;
  private final PageCache cache;
  private final PageDecoder decoder;
  private final Supplier<Embedder> embeddings;
  private final EmbedderCheck embedderCheck;
  private final Clock clock;
  private final TransitionListener listeners;

  TierWork(Settings settings, MemoryStore store, PageRenderer renderer,
      PageCache cache, PageDecoder decoder,
      Supplier<Embedder> embeddings, EmbedderCheck embedderCheck, TransitionListener listeners) {
    this.listeners = listeners;
    this.embeddings = embeddings;
    this.embedderCheck = embedderCheck;
    this.settings = settings;
    this.store = store;
    this.renderer = renderer;
    this.cache = cache;
    this.decoder = decoder;
    this.clock = settings.clock();
  }

  /**
   * Renders a closed segment (at position {@code index} in its conversation) at LARGE and stores
   * its page; false if another worker did first.
   */
  boolean render(String conversation, long segmentId, int index) {
    List<MemoryStore.StoredPart> parts = store.read("reading turns",
        s -> s.parts(segmentId));
    if (parts.isEmpty()) {
      return false; // deleted since it was listed (its conversation forgotten by another process)
    }
    int[] turnNumbers = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      MemoryStore.StoredPart part = parts.get(i);
      if (part.text() == null) {
        throw new MemoryException("segment " + segmentId + " of '" + conversation
            + "' has no image and its text was dropped; it cannot be rendered");
      }
      turnNumbers[i] = part.turn();
    }
    boolean marked = settings.regionMarks();
    List<Turn> laidOut = turns(parts, marked);
    List<PageLayout> pages = renderer.layout(laidOut);
    if (marked && pages.size() != 1) {
      // A segment packed before region marks may not fit one page with them: it is drawn without.
      marked = false;
      laidOut = turns(parts, false);
      pages = renderer.layout(laidOut);
    }
    if (pages.size() != 1) {
      throw new MemoryException("segment " + segmentId + " of '" + conversation + "' lays out on "
          + pages.size() + " pages instead of one (fonts changed since it was packed?); it stays"
          + " text");
    }
    PageLayout page = pages.get(0);
    BufferedImage image = renderer.render(page).image();
    byte[] bytes = PageImages.encode(image, settings.encoding(Tier.LARGE));
    PageMap map = PageMap.of(page, turnNumbers, laidOut.stream().map(Turn::text).toList(), marked,
        renderer.spec().fonts());
    Map<String, Integer> frequency = new HashMap<>();
    Map<String, TreeSet<Integer>> lines = new HashMap<>();
    for (int i = 0; i < page.lines().size(); i++) {
      // A mark's number is not a word of the turn: a query for "57" must not find turn 57.
      for (String term : Terms.of(map.withoutMark(i, page.lines().get(i).text()))) {
        frequency.merge(term, 1, Integer::sum);
        lines.computeIfAbsent(term, k -> new TreeSet<>()).add(i);
      }
    }
    Map<String, MemoryStore.TermRow> terms = new HashMap<>();
    frequency.forEach((term, n) -> terms.put(term, new MemoryStore.TermRow(n, lines.get(term))));
    Map<Tier, MemoryStore.Fidelity> fidelity = settings.measureFidelity()
        ? measure(bytes, map, page.text()) : Map.of();
    // Each turn's embedding, from its source text (with the turn before it), while it exists.
    Map<Integer, byte[]> vectors = new HashMap<>();
    // Never a second model's vectors beside the first's (EmbedderCheck).
    if (settings.retrieval() != Retrieval.LEXICAL && embedderCheck.mayAdd(conversation)) {
      List<String> texts = Embeddings.turnTexts(parts);
      for (int i = 0; i < turnNumbers.length; i++) {
        if (!vectors.containsKey(turnNumbers[i])) {
          vectors.put(turnNumbers[i], Embeddings.pack(Embeddings.embed(embeddings.get(),
              texts.get(i))));
        }
      }
    }
    boolean stored = store.write("storing the page of segment " + segmentId, s -> {
      if (!s.storePage(segmentId, map, terms, fidelity)) {
        return false;
      }
      s.putImage(segmentId, image(Tier.LARGE, bytes));
      s.putVectors(segmentId, vectors);
      return true;
    });
    if (stored) {
      cache.putImage(segmentId, Tier.LARGE, bytes);
      listeners.onPageDrawn(conversation, segmentId, index);
    }
    return stored;
  }

  private static List<Turn> turns(List<MemoryStore.StoredPart> parts, boolean marked) {
    List<Turn> turns = new ArrayList<>(parts.size());
    parts.forEach(p -> turns.add(Appender.turn(p, marked)));
    return turns;
  }

  /** A page's text at a tier, line by line, and how well it reads against the source (or null). */
  record Decoded(List<String> lines, MemoryStore.Fidelity fidelity) {}

  /** What decoding a page reads from the store: its image, its page map and its turns. */
  private record PageToDecode(byte[] bytes, PageMap map, List<MemoryStore.StoredPart> parts) {}

  /**
   * Decodes a segment's page at {@code tier} line by line ({@link PageDecoder}); null if the segment
   * has no image at that tier any more. Where the source text is still stored, the decoded page's
   * precision and word accuracy against it are measured too.
   */
  Decoded decode(long segmentId, Tier tier) {
    PageToDecode read = store.read("reading a page to decode", s -> {
      Optional<byte[]> bytes = s.image(segmentId, tier);
      Optional<PageMap> map = s.pageMap(segmentId);
      return bytes.isEmpty() || map.isEmpty() ? null
          : new PageToDecode(bytes.get(), map.get(), s.parts(segmentId));
    });
    if (read == null) {
      return null;
    }
    byte[] bytes = read.bytes();
    PageMap map = read.map();
    List<String> lines = decoder.lines(PageImages.decode(bytes), map, null);
    StringBuilder truth = new StringBuilder();
    for (MemoryStore.StoredPart part : read.parts()) {
      if (part.text() == null) {
        return new Decoded(lines, null);
      }
      Turn turn = Appender.turn(part, map.marked());
      truth.append(turn.label()).append(turn.text()).append('\n');
    }
    return new Decoded(lines, fidelity(String.join("\n", lines), truth.toString()));
  }

  /** Stores what {@link #decode} read; nothing if the segment moved on or was forgotten since. */
  void storeDecoded(long segmentId, Tier tier, Decoded decoded) {
    store.write("storing the decoded page of segment " + segmentId, s -> {
      if (s.putDecodedLines(segmentId, tier, decoded.lines())
          && decoded.fidelity() != null) {
        s.putFidelity(segmentId, tier, decoded.fidelity());
      }
      return null;
    });
  }

  private MemoryStore.StoredImage image(Tier tier, byte[] bytes) {
    VisionMode mode = tier.mode();
    return new MemoryStore.StoredImage(tier, settings.encoding(tier).name(), mode.pixels(),
        mode.pixels(), mode.visionTokens(), bytes, clock.instant());
  }

  /** Decodes the page at every image tier, made as the transitions will make it. */
  private Map<Tier, MemoryStore.Fidelity> measure(byte[] largeBytes, PageMap map, String truth) {
    Map<Tier, MemoryStore.Fidelity> result = new EnumMap<>(Tier.class);
    byte[] bytes = largeBytes;
    for (Tier tier = Tier.LARGE; tier.isImage(); tier = tier.next()) {
      if (tier != Tier.LARGE) {
        bytes = downscaled(bytes, tier);
      }
      result.put(tier, fidelity(String.join("\n", decoder.lines(PageImages.decode(bytes), map,
          null)), truth));
    }
    return result;
  }

  /** How well decoded text reads against the source: precision and word accuracy. */
  static MemoryStore.Fidelity fidelity(String decoded, String truth) {
    return new MemoryStore.Fidelity(TextMetrics.precision(decoded, truth),
        TextMetrics.wordAccuracy(decoded, truth));
  }

  private byte[] downscaled(byte[] from, Tier to) {
    BufferedImage source = PageImages.toGray(PageImages.decode(from));
    return PageImages.encode(PageImages.downscale(source, to.mode()), settings.encoding(to));
  }

  /**
   * Moves a segment one tier down in one transaction. Returns the tier it is at afterwards: {@code
   * to}, or, if another worker moved it first, whatever it is at now.
   */
  Tier step(String conversation, long segmentId, int seq, Tier from, Tier to,
      Transition.Cause cause) {
    byte[] newImage;
    if (to == Tier.LARGE || to == Tier.FORGOTTEN) {
      newImage = null;
    } else {
      byte[] source = cache.image(segmentId, from,
          () -> store.read("reading an image", s -> s.image(segmentId, from)))
          .orElseThrow(() -> new MemoryException("segment " + segmentId + " of '" + conversation
              + "' has no " + from + " image to make its " + to + " image from"));
      newImage = downscaled(source, to);
    }
    boolean drop = settings.retention() == Retention.DROP;
    boolean moved = store.write("moving segment " + segmentId + " to " + to, s -> {
      if (to == Tier.LARGE && !s.hasImage(segmentId, Tier.LARGE)) {
        throw new MemoryException("segment " + segmentId + " has no LARGE image yet");
      }
      if (!s.moveTier(segmentId, from, to)) {
        return false;
      }
      if (newImage != null) {
        s.putImage(segmentId, image(to, newImage));
      }
      if (to == Tier.FORGOTTEN) {
        s.deletePages(segmentId);
        if (drop) {
          s.dropText(segmentId);
        }
      } else if (drop) {
        if (from == Tier.TEXT) {
          s.dropText(segmentId);
        } else {
          s.deleteImage(segmentId, from);
        }
      }
      return true;
    });
    if (!moved) {
      return store.read("reading a segment", s -> s.segment(conversation, segmentId))
          .map(Segment::tier).orElse(Tier.FORGOTTEN);
    }
    if (to == Tier.FORGOTTEN) {
      cache.invalidateSegments(List.of(segmentId));
    } else if (drop && from.isImage()) {
      cache.invalidateImage(segmentId, from);
    }
    if (newImage != null) {
      cache.putImage(segmentId, to, newImage);
    }
    Transition transition = new Transition(conversation, segmentId, seq, from, to, cause,
        newImage == null ? 0 : newImage.length, clock.instant());
    listeners.onTransition(transition);
    return to;
  }
}
