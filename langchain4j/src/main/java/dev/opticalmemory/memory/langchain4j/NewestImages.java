package dev.opticalmemory.memory.langchain4j;

import java.util.LinkedHashMap;

/**
 * Users' images as base64, by reference, as they were added: the newest kept within a weight in
 * characters, the eldest dropped first. The newest one is kept even when it alone is heavier.
 *
 * <p>Not a Caffeine cache on purpose: its admission favours entries read often, and a photo just
 * added has been read by no request yet, so it was refused and encoded again on every request.
 */
final class NewestImages {
  private final long maxWeight;
  private final LinkedHashMap<String, String> images = new LinkedHashMap<>();
  private long weight;

  NewestImages(long maxWeight) {
    if (maxWeight < 1) {
      throw new IllegalArgumentException("maxWeight must be at least 1, was " + maxWeight);
    }
    this.maxWeight = maxWeight;
  }

  synchronized void put(String reference, String base64) {
    String old = images.remove(reference);
    weight -= old == null ? 0 : old.length();
    images.put(reference, base64);
    weight += base64.length();
    var eldest = images.entrySet().iterator();
    while (weight > maxWeight && images.size() > 1) {
      weight -= eldest.next().getValue().length();
      eldest.remove();
    }
  }

  synchronized String get(String reference) {
    return images.get(reference);
  }

  synchronized long weight() {
    return weight;
  }

  synchronized void clear() {
    images.clear();
    weight = 0;
  }
}
