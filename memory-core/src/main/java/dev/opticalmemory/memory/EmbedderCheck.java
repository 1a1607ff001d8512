package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Checks, once per conversation and memory, that the embedder in use is the model that wrote the
 * conversation's stored turn embeddings, before they are compared with or added to: the oldest and
 * the newest stored turn whose text is still kept are embedded again and must come out as stored
 * (cosine at least {@link #SAME_MODEL}; the same model gives over 0.99 after the int8 packing),
 * from its text with the turn before it ({@link Embeddings#turnTexts}) or, as memories written
 * before that stored them, from its text alone.
 * Two models of the same size (MiniLM and BGE small are both 384-dimensional) would otherwise give
 * wrong similarities without an error, and a mixed set of vectors could not be undone.
 */
final class EmbedderCheck {
  /** The least cosine between a turn's stored vector and its embedding now, from one model. */
  static final double SAME_MODEL = 0.95;

  private static final System.Logger LOG = System.getLogger(EmbedderCheck.class.getName());

  private final MemoryStore store;
  private final Supplier<Embedder> embedder;
  /** Per conversation checked: "" if the embedder agrees, else why not. */
  private final Map<String, String> verdicts = new ConcurrentHashMap<>();

  EmbedderCheck(MemoryStore store, Supplier<Embedder> embedder) {
    this.store = store;
    this.embedder = embedder;
  }

  /**
   * Returns if the conversation has no stored embedding, none whose text is kept, or the embedder
   * agrees with them; throws otherwise (recall by meaning).
   *
   * @throws MemoryException naming the turn and the similarity if another model wrote them
   */
  void check(String conversation) {
    String why = verdict(conversation);
    if (!why.isEmpty()) {
      throw new MemoryException(why);
    }
  }

  /**
   * Whether new embeddings may be added to the conversation's; if not, says so once in the log
   * (the page is still rendered, its turns are left without vectors: missing vectors can be made
   * again, mixed ones could not be told apart).
   */
  boolean mayAdd(String conversation) {
    if (verdicts.containsKey(conversation)) {
      return verdicts.get(conversation).isEmpty();
    }
    String why = verdict(conversation);
    if (!why.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, why + "; new pages of it are stored without"
          + " embeddings until then");
    }
    return why.isEmpty();
  }

  private String verdict(String conversation) {
    String known = verdicts.get(conversation);
    if (known != null) {
      return known;
    }
    List<MemoryStore.VectorRow> rows = store.read("checking the embedding model of '"
        + conversation + "'", s -> s.oldestAndNewestVectors(conversation));
    String why = "";
    for (MemoryStore.VectorRow row : rows) {
      List<MemoryStore.StoredPart> parts = store.read("reading turns",
          s -> s.parts(row.segmentId()));
      List<String> texts = Embeddings.turnTexts(parts);
      // The turn with the one before it, as stored now, then alone, as stored before.
      List<String> candidates = new ArrayList<>();
      for (int i = 0; i < parts.size() && candidates.isEmpty(); i++) {
        MemoryStore.StoredPart p = parts.get(i);
        if (p.turn() == row.turn() && p.text() != null) {
          candidates.add(texts.get(i));
          Turn turn = Appender.turn(p);
          if (!texts.get(i).equals(turn.label() + turn.text())) {
            candidates.add(turn.label() + turn.text());
          }
        }
      }
      if (candidates.isEmpty()) {
        continue;
      }
      float[] stored = Embeddings.unpack(row.vector());
      float[] now = null;
      double similarity = -1;
      for (int c = 0; c < candidates.size() && similarity < SAME_MODEL; c++) {
        now = Embeddings.embed(embedder.get(), candidates.get(c));
        similarity = Math.max(similarity,
            stored.length == now.length ? Embeddings.dot(stored, now) : 0);
      }
      if (similarity < SAME_MODEL) {
        why = String.format(Locale.ROOT, "the turn embeddings of '%s' were made by another model"
            + " than this memory's embedder (turn %d embedded now: %d dimensions, cosine %.2f to"
            + " its stored %d-dimensional vector; one model gives %.2f or more): open the memory"
            + " with the embedder that wrote them (the default is Embedder.allMiniLmL6V2())",
            conversation, row.turn(), now.length, similarity, stored.length, SAME_MODEL);
        break;
      }
    }
    verdicts.put(conversation, why);
    return why;
  }

  /** Forgets what was found for a conversation (it was forgotten, and may be written again). */
  void forget(String conversation) {
    verdicts.remove(conversation);
  }
}
