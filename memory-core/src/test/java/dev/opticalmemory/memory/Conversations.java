package dev.opticalmemory.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Conversations written for the tests: two speakers talk about a harbour, with facts planted at
 * known turns. Deterministic for a seed.
 */
public final class Conversations {
  static final String[] SUBJECTS = {"the ferry", "the lighthouse", "the radar unit", "the night shift",
      "the fuel barge", "the harbour master", "the pilot boat", "the cargo manifest", "the tide table",
      "the crane operator", "the storm warning", "the fish market"};
  static final String[] VERBS = {"was late again", "needs a new battery", "was checked twice",
      "came back from the yard", "logged a fault at dawn", "is booked for Thursday",
      "changed the schedule", "asked about the permits", "was painted blue", "left before noon"};

  private Conversations() {}

  /** {@code turns} turns alternating between Mira and Tomas; a fact is planted at turn 3. */
  public static List<MemoryTurn> harbour(int turns, long seed) {
    Random random = new Random(seed);
    List<MemoryTurn> list = new ArrayList<>();
    for (int i = 0; i < turns; i++) {
      String speaker = i % 2 == 0 ? "Mira" : "Tomas";
      StringBuilder text = new StringBuilder();
      int sentences = 1 + random.nextInt(3);
      for (int s = 0; s < sentences; s++) {
        String subject = SUBJECTS[random.nextInt(SUBJECTS.length)];
        text.append(Character.toUpperCase(subject.charAt(0))).append(subject.substring(1))
            .append(' ').append(VERBS[random.nextInt(VERBS.length)]).append(". ");
      }
      if (i == 3) {
        text.append("My locker code is 4417 and the spare key is under the anchor.");
      }
      list.add(MemoryTurn.user(speaker, text.toString().strip()));
    }
    return list;
  }

  /** The harbour's 80 turns (seed 11) with {@code extra}'s turns put in after its first ones. */
  public static List<MemoryTurn> harbourWith(List<MemoryTurn> extra) {
    List<MemoryTurn> turns = new ArrayList<>();
    List<MemoryTurn> harbour = harbour(80, 11);
    for (int i = 0; i < harbour.size(); i++) {
      turns.add(harbour.get(i));
      if (i < extra.size()) {
        turns.add(extra.get(i));
      }
    }
    return turns;
  }

  /**
   * A memory on an H2 file holding {@link #harbour} turns in conversation {@code c}, its background
   * work run on each append, aged so that its pages rest at every tier.
   */
  public static OpticalMemory agedHarbour(java.nio.file.Path db, List<MemoryTurn> script) {
    OpticalMemory memory = OpticalMemory.builder().path(db)
        .fonts(dev.opticalmemory.renderer.FontSet.latinOnly()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build();
    script.forEach(t -> memory.append("c", t));
    return memory;
  }

  /** The first closed segment of conversation {@code c} at {@code tier}. */
  public static Segment firstClosedAt(OpticalMemory memory, Tier tier) {
    return memory.segments("c").stream().filter(s -> s.tier() == tier && !s.open()).findFirst()
        .orElseThrow();
  }
}
