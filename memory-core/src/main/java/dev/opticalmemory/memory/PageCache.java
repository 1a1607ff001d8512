package dev.opticalmemory.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The memory's Caffeine caches, bounded by bytes: page images by (segment, tier), three quarters of
 * the bound, and decoded text by (segment, tier, lines), a quarter. Entries are never stale: an
 * image of a (segment, tier) never changes once stored, and decoded text is of such an image, so
 * caches of several processes on one database need no invalidation beyond a forgotten segment's.
 */
final class PageCache {
  record ImageKey(long segment, Tier tier) {}

  /**
   * Decoded text of a page at a tier: its lines as stored once decoded ({@code lines} empty), or
   * some lines read by OCR before the page was decoded ({@code lines} their indexes).
   */
  record TextKey(long segment, Tier tier, java.util.Optional<java.util.Set<Integer>> lines) {
    TextKey {
      lines = lines.map(java.util.Set::copyOf);
    }
  }

  private final Cache<ImageKey, byte[]> images;
  private final Cache<TextKey, String> texts;
  private final long maximumBytes;

  PageCache(long maximumBytes) {
    this.maximumBytes = maximumBytes;
    this.images = Caffeine.newBuilder()
        .maximumWeight(maximumBytes - maximumBytes / 4)
        .weigher((ImageKey k, byte[] v) -> v.length + 32)
        .recordStats()
        .build();
    this.texts = Caffeine.newBuilder()
        .maximumWeight(maximumBytes / 4)
        .weigher((TextKey k, String v) -> v.length() * 2 + 64)
        .recordStats()
        .build();
  }

  /** The image, from the cache or {@code load} (cached if present). */
  Optional<byte[]> image(long segment, Tier tier, Supplier<Optional<byte[]>> load) {
    ImageKey key = new ImageKey(segment, tier);
    byte[] cached = images.getIfPresent(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<byte[]> loaded = load.get();
    loaded.ifPresent(bytes -> images.put(key, bytes));
    return loaded;
  }

  void putImage(long segment, Tier tier, byte[] bytes) {
    images.put(new ImageKey(segment, tier), bytes);
  }

  void invalidateImage(long segment, Tier tier) {
    images.invalidate(new ImageKey(segment, tier));
  }

  String text(long segment, Tier tier, java.util.Optional<java.util.Set<Integer>> lines,
      Function<TextKey, String> load) {
    return texts.get(new TextKey(segment, tier, lines), load);
  }

  /** Drops everything of these segments (forgotten, or their conversation deleted). */
  void invalidateSegments(Collection<Long> segments) {
    images.asMap().keySet().removeIf(k -> segments.contains(k.segment()));
    texts.asMap().keySet().removeIf(k -> segments.contains(k.segment()));
  }

  CacheStatistics statistics() {
    CacheStats a = images.stats();
    CacheStats b = texts.stats();
    long weight = images.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L)
        + texts.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    return new CacheStatistics(a.hitCount() + b.hitCount(), a.missCount() + b.missCount(),
        a.evictionCount() + b.evictionCount(), weight, maximumBytes);
  }
}
