package dev.opticalmemory.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JTokkit's encodings, built once per process and shared, as JTokkit advises: building the o200k
 * encoding takes about a second, and every {@code TokenCounter.o200k()} used to build its own.
 * Encodings are thread-safe.
 *
 * <p>Counts are remembered by text (up to 16 Mi characters of text per encoding): a chat request
 * counts the same recent turns on every call, and counting is most of a request's time otherwise.
 */
final class SharedEncodings {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Map<EncodingType, TokenCounter> COUNTERS = new ConcurrentHashMap<>();

  private SharedEncodings() {}

  static TokenCounter counter(EncodingType type) {
    return COUNTERS.computeIfAbsent(type, t -> {
      Encoding encoding = REGISTRY.getEncoding(t);
      Cache<String, Integer> counts = Caffeine.newBuilder().maximumWeight(16L << 20)
          .<String, Integer>weigher((text, n) -> text.length()).build();
      return text -> {
        if (text.isEmpty()) {
          return 0;
        }
        if (text.length() > 1 << 16) {
          return encoding.countTokensOrdinary(text);
        }
        return counts.get(text, encoding::countTokensOrdinary);
      };
    });
  }
}
