package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.PageCapacity;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Segmenting: where each appended turn goes, and the one transaction that stores it.
 *
 * <p>The new turn joins the open segment if the renderer says they still fit one page
 * ({@link PageRenderer#fit}); otherwise the open segment is closed and the turn starts a new one. A
 * turn longer than a page is cut at page boundaries into parts, each its own segment. Appends to a
 * conversation are serialized in this JVM by {@link ConversationStates#append} and across processes by
 * the conversation's row lock, taken at the start of the transaction.
 *
 * <p>Where the store is not shared ({@link MemoryStore#shared()}: H2), the counters and the open
 * segment are kept in memory after the first read, updated after each commit, and read again after
 * a failure; a shared store's are read under the row lock at every append, since another process
 * may have appended in between.
 */
final class Appender {

  /** What an append did: the turn's number, and whether it was stored now or found by key. */
  record Appended(int number, boolean stored) {}

  /** What the append's transaction leaves: the state it committed, and what it did. */
  private record Outcome(ConversationStates.Cached after, int number, boolean stored) {}

  /** A piece of a turn and where it goes. */
  private record Piece(String text, int part, boolean newSegment, boolean closesAfter) {}

  private final MemoryStore store;
  private final PageRenderer renderer;
  private final TokenCounter tokens;
  private final Salience salience;
  private final ConversationStates states;
  private final boolean marks;

  Appender(MemoryStore store, PageRenderer renderer, TokenCounter tokens, Salience salience,
      ConversationStates states, boolean marks) {
    this.states = states;
    this.marks = marks;
    this.store = store;
    this.renderer = renderer;
    this.tokens = tokens;
    this.salience = salience;
  }

  /** The turn's salience, scored before the transaction; a failing scorer fails the append. */
  private double salience(String text) {
    double score;
    try {
      score = salience.score(text);
    } catch (RuntimeException e) {
      throw new MemoryException("the salience scorer " + salience.getClass().getName()
          + " failed on a turn of " + text.length() + " characters: " + e, e);
    }
    if (!(score >= 0 && score <= 1)) {
      throw new MemoryException("the salience scorer " + salience.getClass().getName()
          + " must score 0 to 1, but scored: " + score);
    }
    return score;
  }

  /**
   * Appends a turn (already validated, its text well-formed) and returns its number, or the
   * number of the turn already stored under {@code key}.
   */
  Appended append(String id, Role role, String speaker, String text, Instant at,
      String attributes, String key) {
    double score = salience(text);
    return states.append(id, cached -> {
      Outcome outcome = store.write("appending a turn to '" + id + "'", s -> {
        ConversationStates.Cached before = cached.orElse(null);
        if (before == null || key != null) {
          Optional<MemoryStore.Totals> totals = s.lockConversation(id);
          if (totals.isEmpty()) {
            s.createConversation(id, at);
            totals = s.lockConversation(id);
          }
          if (key != null) {
            OptionalInt existing = s.turnByKey(id, key);
            if (existing.isPresent()) {
              return new Outcome(before != null ? before : new ConversationStates.Cached(
                  totals.orElseThrow(), s.openSegment(id)), existing.getAsInt(), false);
            }
          }
          if (before == null) {
            before = new ConversationStates.Cached(totals.orElseThrow(), s.openSegment(id));
          }
        }
        int number = before.totals().turns();
        return new Outcome(store(s, id, before, role, speaker, text, at, attributes, key, score),
            number, true);
      });
      return new ConversationStates.Appended<>(new Appended(outcome.number(), outcome.stored()),
          outcome.after());
    });
  }

  /** Writes the turn's parts; returns the state after it. */
  private ConversationStates.Cached store(MemoryStore.Session s, String id,
      ConversationStates.Cached before, Role role, String speaker,
      String text, Instant at, String attributes, String key, double score) {
    List<Turn> openTurns = new ArrayList<>();
    before.open().ifPresent(o -> o.parts().forEach(p -> openTurns.add(turn(p, marks))));
    int turnNumber = before.totals().turns();
    List<Piece> pieces = pack(before.open().isPresent() ? openTurns : null, speaker, text,
        turnNumber);
    long textTokens = before.totals().textTokens();
    int segments = before.totals().segments();
    MemoryStore.OpenSegment open = before.open().orElse(null);
    List<MemoryStore.StoredPart> openParts = open == null ? new ArrayList<>()
        : new ArrayList<>(open.parts());
    int openChars = open == null ? 0 : open.chars();
    int openTokens = open == null ? 0 : open.textTokens();
    for (Piece piece : pieces) {
      int pieceTokens = tokens.count(Turn.of(piece.part() == 0 ? speaker : "", piece.text())
          .label() + piece.text());
      if (piece.newSegment()) {
        if (open != null) {
          s.closeSegment(open.id(), textTokens, turnNumber, at);
        }
        long segmentId = s.createSegment(id, segments, turnNumber, at);
        open = new MemoryStore.OpenSegment(segmentId, segments, turnNumber, 0, 0, List.of());
        openParts = new ArrayList<>();
        openChars = 0;
        openTokens = 0;
        segments++;
      }
      textTokens += pieceTokens;
      MemoryStore.StoredPart part = new MemoryStore.StoredPart(turnNumber, piece.part(), role,
          speaker, piece.text(), at, attributes);
      s.insertPart(id, open.id(), part, piece.text().length(), pieceTokens,
          piece.part() == 0 ? key : null);
      s.growSegment(open.id(), turnNumber, piece.text().length(), pieceTokens, score);
      openParts.add(part);
      openChars += piece.text().length();
      openTokens += pieceTokens;
      if (piece.closesAfter()) {
        s.closeSegment(open.id(), textTokens, turnNumber + 1, at);
        open = null;
      }
    }
    MemoryStore.Totals totals = new MemoryStore.Totals(turnNumber + 1, textTokens, segments);
    s.updateConversation(id, totals);
    return new ConversationStates.Cached(totals, open == null ? Optional.empty()
        : Optional.of(new MemoryStore.OpenSegment(open.id(), open.seq(), open.firstTurn(),
            openChars, openTokens, List.copyOf(openParts))));
  }

  /** The renderer's turn of a stored part: continuation parts carry no speaker label. */
  static Turn turn(MemoryStore.StoredPart part) {
    return part.part() == 0 ? Turn.of(part.speaker(), part.text()) : Turn.plain(part.text());
  }

  /** The turn of a stored part as a page draws it: with its number as region mark if asked. */
  static Turn turn(MemoryStore.StoredPart part, boolean marked) {
    Turn turn = turn(part);
    return marked ? turn.marked(part.turn()) : turn;
  }

  /**
   * Checks that a turn can be laid out on pages (its first line fits an empty page), as
   * {@link #append} will; the message is the one append gives. The widest mark stands in for the
   * turn's number, which is not known yet.
   */
  void checkLayout(String speaker, String text) {
    pack(null, speaker, text, Integer.MAX_VALUE);
  }

  /**
   * Decides where the turn numbered {@code number} goes: into the open segment (whose turns are
   * {@code openTurns}, or null if there is none), a new one, or parts over several. Each part is
   * laid out as its page will draw it, region mark included.
   */
  private List<Piece> pack(List<Turn> openTurns, String speaker, String text, int number) {
    Turn whole = mark(Turn.of(speaker, text), number);
    if (openTurns != null) {
      List<Turn> candidate = new ArrayList<>(openTurns);
      candidate.add(whole);
      if (renderer.fit(candidate).fitsAll(candidate.size())) {
        return List.of(new Piece(text, 0, false, false));
      }
    }
    List<Piece> pieces = new ArrayList<>();
    String rest = text;
    int part = 0;
    while (true) {
      Turn t = part == 0 ? whole : mark(Turn.plain(rest), number);
      PageCapacity capacity = renderer.fit(List.of(t));
      if (capacity.fitsAll(1)) {
        pieces.add(new Piece(rest, part, true, false));
        return pieces;
      }
      int cut = capacity.partialChars();
      if (cut <= 0 || cut >= rest.length()) {
        throw new IllegalArgumentException("turn.text cannot be laid out on a page: its first "
            + "line does not fit (speaker '" + speaker + "')");
      }
      if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
        cut--;
      }
      pieces.add(new Piece(rest.substring(0, cut), part, true, true));
      rest = rest.substring(cut);
      part++;
    }
  }

  private Turn mark(Turn turn, int number) {
    return marks ? turn.marked(number) : turn;
  }
}
