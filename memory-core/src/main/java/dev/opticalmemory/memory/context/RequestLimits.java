package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.PageEncoding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one request may carry besides tokens: at most {@code maxImages} images and at most {@code
 * maxRequestBytes} bytes. The assembler's last steps; each leaves users' images above the floor
 * first, then pages by the least value lost, then the floor's images, the newest turn's last.
 */
final class RequestLimits {
  /** What the limits ask of the assembler: a page's price, and its PNG's size as sent. */
  interface Pages {
    int pageCost(Segment page, Tier tier);

    int pngSize(String conversation, long segment, Tier storedTier, int side);
  }

  private final VisionReader reader;
  private final int maxImages;
  private final long maxRequestBytes;
  private final PageEncoding sentEncoding;
  private final Pages sizes;

  RequestLimits(VisionReader reader, int maxImages, long maxRequestBytes,
      PageEncoding sentEncoding, Pages sizes) {
    this.reader = reader;
    this.maxImages = maxImages;
    this.maxRequestBytes = maxRequestBytes;
    this.sentEncoding = sentEncoding;
    this.sizes = sizes;
  }

  /** Brings the images sent down to {@code maxImages}; returns how many pages were left out. */
  int fitImages(List<ContextEntry> entries) {
    int images = 0;
    for (ContextEntry e : entries) {
      images += e.removed ? 0 : e.images;
    }
    int pagesOut = 0;
    for (int pass = 0; pass < 2 && images > maxImages; pass++) {
      for (int i = 0; i < entries.size() && images > maxImages; i++) {
        ContextEntry e = entries.get(i);
        if (e.turn != null && !e.removed && e.images > 0 && e.pinned == (pass == 1)
            && (pass == 0 || i < ContextEntry.lastTurnIndex(entries))) {
          images -= e.images;
          e.images = 0;
          e.tokens = e.bare;
          e.mediaOmitted = true;
        }
      }
      if (pass == 0 && images > maxImages) {
        Legibility legibility = reader.legibility();
        List<ContextEntry> pages = new ArrayList<>();
        for (ContextEntry e : entries) {
          if (e.turn == null && !e.removed) {
            pages.add(e);
          }
        }
        pages.sort(Comparator.<ContextEntry>comparingInt(e -> e.segment.importance().pinned() ? 1 : 0)
            .thenComparingDouble(e -> e.weight
                * legibility.of(e.tier, e.segment.textTokens()))
            .thenComparingInt(e -> e.segment.index()));
        for (ContextEntry e : pages) {
          if (images <= maxImages) {
            break;
          }
          e.removed = true;
          e.reason = "images: a request may carry " + maxImages + " for " + reader.name()
              + "; the least valuable page left";
          images--;
          pagesOut++;
        }
      }
    }
    return pagesOut;
  }

  /** A request's weight in bytes: the base64 of this many bytes. */
  private static long base64(long bytes) {
    return 4 * ((bytes + 2) / 3);
  }

  /** Bytes a page sends at a tier, as base64 of its PNG. */
  private long pageBytes(String conversation, ContextEntry page, Tier tier) {
    return base64(sizes.pngSize(conversation, page.segment.id(), page.segment.tier(),
        reader.delivery(tier).side()));
  }

  /**
   * At most what a page of this side can weigh as a grey PNG of 16 levels or fewer: 4 bits a pixel
   * with a filter byte a row, and room for the chunks; 8 bits a pixel for 8-bit grey.
   */
  long pageBytesAtMost(int side) {
    long bits = sentEncoding == PageEncoding.GRAY8_PNG ? 8 : 4;
    return base64((long) side * (side * bits / 8 + 2) + 4096);
  }

  /**
   * Brings the request's bytes down to {@code maxRequestBytes}: users' images above the floor
   * leave first, oldest first; then pages step down a tier (or leave at the lowest), the change
   * that loses the least value per byte saved first, pinned pages last; then the floor's images,
   * oldest first, the newest turn's last of all. Returns how many pages were left out.
   */
  int fitBytes(String conversation, List<ContextEntry> entries) {
    if (maxRequestBytes == Long.MAX_VALUE) {
      return 0;
    }
    long atMost = 0;
    for (ContextEntry e : entries) {
      atMost += e.removed ? 0 : e.turn != null ? e.bytes
          : pageBytesAtMost(reader.delivery(e.tier).side());
    }
    if (atMost <= maxRequestBytes) {
      return 0; // no page needs to be made to know the request fits
    }
    long bytes = 0;
    for (ContextEntry e : entries) {
      bytes += e.removed ? 0 : e.turn != null ? e.bytes : pageBytes(conversation, e, e.tier);
    }
    for (int i = 0; i < entries.size() && bytes > maxRequestBytes; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn != null && !e.removed && !e.pinned && e.bareBytes < e.bytes) {
        bytes -= ContextEntry.dropMedia(e);
      }
    }
    Legibility legibility = reader.legibility();
    int pagesOut = 0;
    for (int pass = 0; pass < 2 && bytes > maxRequestBytes; pass++) {
      boolean pinnedToo = pass == 1;
      while (bytes > maxRequestBytes) {
        ContextEntry best = null;
        Tier bestTo = null;
        long bestSaved = 0;
        double bestRate = Double.MAX_VALUE;
        for (ContextEntry e : entries) {
          if (e.turn != null || e.removed || (e.segment.importance().pinned() && !pinnedToo)) {
            continue;
          }
          long now = pageBytes(conversation, e, e.tier);
          double value = e.weight * legibility.of(e.tier, e.segment.textTokens());
          for (Tier t = e.tier.next(); ; t = t.next()) {
            boolean out = !t.isImage();
            long saved = now - (out ? 0 : pageBytes(conversation, e, t));
            if (saved > 0) {
              double lost = value - (out ? 0 : e.weight * legibility.of(t,
                  e.segment.textTokens()));
              double rate = Math.max(0, lost) / saved;
              if (rate < bestRate) {
                best = e;
                bestTo = out ? null : t;
                bestSaved = saved;
                bestRate = rate;
              }
              break;
            }
            if (out) {
              break;
            }
          }
        }
        if (best == null) {
          break;
        }
        bytes -= bestSaved;
        best.reason = "bytes: a request may weigh " + maxRequestBytes + " bytes for "
            + reader.name() + "; the least value lost per byte saved";
        if (bestTo == null) {
          best.removed = true;
          pagesOut++;
        } else {
          best.tier = bestTo;
          best.tokens = sizes.pageCost(best.segment, bestTo);
        }
      }
    }
    int newest = ContextEntry.lastTurnIndex(entries);
    for (int i = 0; i < entries.size() && bytes > maxRequestBytes; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn != null && !e.removed && i < newest && e.bareBytes < e.bytes) {
        bytes -= ContextEntry.dropMedia(e);
      }
    }
    return pagesOut;
  }
}
