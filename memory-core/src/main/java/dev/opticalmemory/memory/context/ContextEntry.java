package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * One candidate of a context while it is assembled: a turn as text, or a segment's page, with what
 * it costs and weighs now and why it changed. The assembler's steps change these in place; the
 * helpers below are the list operations several steps share.
 */
/** A mutable slot of the plan. */
final class ContextEntry {
  final Segment segment;
  final MemoryTurn turn;
  final int number;
  final String group;
  Tier tier;
  int tokens;
  /** What the turn costs with its media left out (equal to tokens without media). */
  int bare;
  boolean mediaOmitted;
  /** Images the entry sends: 1 for a page, a text turn's own (0 once its media are left out). */
  int images;
  boolean pinned;
  boolean removed;
  /** Why a page was blurred or left out, for {@link AssembledContext#choices()}. */
  String reason;
  /** The page's importance weight, times one plus its focus. */
  double weight;
  /** A text turn's bytes as sent, and without its media; unused for pages. */
  long bytes;
  long bareBytes;

ContextEntry(Segment segment, MemoryTurn turn, int number, String group, Tier tier, int tokens) {
    this.segment = segment;
    this.turn = turn;
    this.number = number;
    this.group = group;
    this.tier = tier;
    this.tokens = tokens;
    this.bare = tokens;
    this.images = turn == null ? 1 : 0;
  }

  /** Leaves a text turn's media out; returns the bytes saved. */
  static long dropMedia(ContextEntry e) {
    long saved = e.bytes - e.bareBytes;
    e.bytes = e.bareBytes;
    e.tokens = e.bare;
    e.images = 0;
    e.mediaOmitted = true;
    return saved;
  }

  static int lastTurnIndex(List<ContextEntry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).turn != null && !entries.get(i).removed) {
        return i;
      }
    }
    return -1;
  }

  /** Leaves out the media of text turns, oldest first, under the floor or above it. */
  static long withoutMedia(List<ContextEntry> entries, long total, int budget, boolean pinned) {
    for (int i = 0; i < entries.size() && total > budget; i++) {
      ContextEntry e = entries.get(i);
      if (e.turn != null && !e.removed && e.pinned == pinned && e.bare < e.tokens) {
        total -= e.tokens - e.bare;
        e.tokens = e.bare;
        e.mediaOmitted = true;
        e.images = 0;
      }
    }
    return total;
  }

  static List<ContextEntry> ofSegment(List<ContextEntry> entries, Segment s) {
    List<ContextEntry> list = new ArrayList<>();
    for (ContextEntry other : entries) {
      if (other.turn != null && other.segment.id() == s.id()) {
        list.add(other);
      }
    }
    return list;
  }

  static List<ContextEntry> group(List<ContextEntry> entries, ContextEntry e) {
    if (e.group == null) {
      return List.of(e);
    }
    List<ContextEntry> members = new ArrayList<>();
    for (ContextEntry other : entries) {
      if (other.turn != null && !other.removed && e.group.equals(other.group)) {
        members.add(other);
      }
    }
    return members;
  }
}
