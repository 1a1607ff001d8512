package dev.opticalmemory.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Bytes a conversation's turns refer to (a user's image), kept once per conversation under their
 * SHA-256 and cached, since the chat memory reads a user's image back often. Each is written
 * beside the conversation's appends, never beside a forget of it.
 */
final class Attachments {
  private final MemoryStore store;
  private final ConversationStates states;
  /** By conversation and hash, bounded by bytes. */
  private final Cache<String, byte[]> cache = Caffeine.newBuilder().maximumWeight(64L << 20)
      .<String, byte[]>weigher((k, v) -> v.length).build();

  Attachments(MemoryStore store, ConversationStates states) {
    this.store = store;
    this.states = states;
  }

  /** Keeps the bytes (creating the conversation if it is new) and returns their reference. */
  String attach(String conversation, byte[] bytes, Instant at) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0 || bytes.length > MemoryOperations.MAX_ATTACHMENT_BYTES) {
      throw new IllegalArgumentException("bytes must hold 1 to "
          + MemoryOperations.MAX_ATTACHMENT_BYTES + " bytes, but holds: " + bytes.length);
    }
    String hash = sha256(bytes);
    String key = conversation + '\n' + hash;
    if (store.shared() || cache.getIfPresent(key) == null) {
      byte[] copy = bytes.clone();
      states.beside(conversation, () -> store.write("keeping an attachment of '" + conversation
          + "'", s -> {
            if (s.conversation(conversation).isEmpty()) {
              s.createConversation(conversation, at);
            }
            if (s.media(conversation, hash).isEmpty()) {
              s.putMedia(conversation, hash, copy, at);
            }
            return null;
          }));
      cache.put(key, copy);
    }
    return "sha256:" + hash;
  }

  /** A copy of the bytes kept under a reference, or empty. */
  Optional<byte[]> attachment(String conversation, String reference) {
    Objects.requireNonNull(reference, "reference");
    if (!reference.matches("sha256:[0-9a-f]{64}")) {
      return Optional.empty();
    }
    String hash = reference.substring("sha256:".length());
    byte[] bytes = cache.get(conversation + '\n' + hash, k -> store.read(
        "reading an attachment of '" + conversation + "'", s -> s.media(conversation, hash))
        .orElse(null));
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }

  /** Drops a forgotten conversation's attachments from the cache. */
  void forget(String conversation) {
    cache.asMap().keySet().removeIf(k -> k.startsWith(conversation + '\n'));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
