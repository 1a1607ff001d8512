package dev.opticalmemory.memory;

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
 */
final class SharedEncodings {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Map<EncodingType, TokenCounter> COUNTERS = new ConcurrentHashMap<>();

  private SharedEncodings() {}

  static TokenCounter counter(EncodingType type) {
    return COUNTERS.computeIfAbsent(type, t -> {
      Encoding encoding = REGISTRY.getEncoding(t);
      return text -> text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    });
  }
}
