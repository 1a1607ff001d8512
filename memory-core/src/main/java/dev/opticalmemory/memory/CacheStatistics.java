package dev.opticalmemory.memory;

/**
 * The figures of the memory's Caffeine cache of images and decoded text.
 *
 * @param hits lookups served from the cache
 * @param misses lookups that went to the database or the OCR engine
 * @param evictions entries dropped to stay under the byte bound
 * @param weightBytes bytes held now
 * @param maximumBytes the bound
 */
public record CacheStatistics(
    long hits, long misses, long evictions, long weightBytes, long maximumBytes) {

  /**
   * hits / (hits + misses), or 0 before the first lookup.
   *
   * @return the hit rate, 0 to 1
   */
  public double hitRate() {
    long total = hits + misses;
    return total == 0 ? 0 : (double) hits / total;
  }
}
