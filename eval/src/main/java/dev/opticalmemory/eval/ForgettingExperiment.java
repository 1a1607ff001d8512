package dev.opticalmemory.eval;

import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Retention;
import dev.opticalmemory.memory.Salience;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.PageItem;
import dev.opticalmemory.memory.context.TextItem;
import dev.opticalmemory.memory.context.Spending;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How memory fades as a conversation ages ("answer-span survival"): each LoCoMo conversation is fed
 * turn by turn into a fresh memory per policy; at checkpoints the context a reader would get within
 * a budget is assembled, and for every question whose answer appears verbatim in an evidence turn
 * already appended we check whether that answer can still be read: verbatim if the turn is sent as
 * text, else in what each {@link AgedPageReader} reads from the page holding it, at the tier it is sent
 * at: a decoder run on the pixels (measured), or DeepSeek-OCR modelled on its paper's Fox table (a
 * model, marked as such in every table, plot and CSV row). No LLM is involved.
 *
 * <p>Policies, compared at equal budgets: {@code text-window} (everything stays text; the oldest
 * turns fall out of the budget, as LangChain4j's token window memory does), {@code tier-large},
 * {@code tier-base}, {@code tier-small}, {@code tier-tiny} (the newest 2,000 tokens as text, every
 * older segment at that one tier) and {@code tiered} (the memory's default policy).
 */
public final class ForgettingExperiment {
  /** The memory policies {@link ForgettingExperimentBuilder#policies} accepts. */
  public static final List<String> POLICIES = List.of("text-window", "tier-large", "tier-base",
      "tier-small", "tier-tiny", "tiered", "importance", "importance-no-salience",
      "importance-no-rehearsal", "importance-restart", "legibility-only");

  /**
   * The systems compared at equal tokens, which {@link ForgettingExperimentBuilder#policies}
   * accepts beside the policies: {@code full-text} (the whole history as text, whatever it costs:
   * the ceiling), {@code rag} (the turns BM25, or BM25 with meaning, ranks highest for the
   * question, as text, until the budget), {@code window+rag} (the newest turns as text in B - R,
   * retrieved turns in R), {@code optical} (the memory's context under the {@code importance}
   * policy), {@code optical+rag} (that context in B - R, retrieved turns in R),
   * {@code optical+read} (that context in B - R, and in R the regions a pointer reads back
   * exactly, chosen from what the reader read of the pages) and {@code optical+rag+read} (that
   * context in B - R, and in R retrieved turns and regions read back in one order: an agent with
   * both the recall and the read tool). The systems that read assemble their pages for pointing
   * ({@link AgedPageReader#pointing()}): they need a word whole on a page, not the answer.
   */
  public static final List<String> SYSTEMS = List.of("full-text", "rag", "window+rag", "optical",
      "optical+rag", "optical+read", "optical+rag+read");

  /**
   * The default focus: chosen on LoCoMo conversation 26 among 0, 1, 4 and 16 (more was better at
   * every budget there); the other conversations are reported, not tuned on.
   */
  public static final double DEFAULT_FOCUS = 16;

  /** Recall queries the rehearsal simulation asks after each turn: its top hits are rehearsed. */
  static final int REHEARSAL_K = 3;


  final List<Path> files;
  final List<String> policies;
  final List<Integer> budgets;
  final List<Double> shares;
  final int ragFloor;
  final VisionReader reader;
  final List<AgedPageReader> pageReaders;
  final int every;
  final int limit;
  private final float pageFontSize;
  private final boolean regionMarks;
  /** The embedding model of hybrid retrieval, or null for BM25 alone. */
  final RecallExperiment.Model embedder;
  private final long maxRequestBytes;
  private final double focus;
  final FontSet fonts;
  private final ProgressListener progress;
  final String commandLine;
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final TokenCounter MARK_COUNTER = TokenCounter.o200k();

  ForgettingExperiment(ForgettingExperimentBuilder b) {
    this.files = List.copyOf(b.files);
    this.policies = List.copyOf(b.policies);
    this.budgets = List.copyOf(b.budgets);
    this.shares = List.copyOf(b.shares);
    this.ragFloor = b.ragFloor != null ? b.ragFloor : b.embedder != null ? HYBRID_RAG_FLOOR : 0;
    this.reader = b.reader;
    this.pageReaders = List.copyOf(b.pageReaders.values());
    this.every = b.every;
    this.limit = b.limit;
    this.pageFontSize = b.pageFontSize;
    this.regionMarks = b.regionMarks;
    this.embedder = b.embedder;
    this.maxRequestBytes = b.maxRequestBytes;
    this.focus = b.focus;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
  }

  public static ForgettingExperimentBuilder builder() {
    return new ForgettingExperimentBuilder();
  }

  /** What a run wrote. */
  public record Result(Path csv, Path costCsv, Path summary, Path curve, Path cost, Path html,
      List<ForgettingRow> rows, List<CostRow> costs) {}

  /** What a reader is called in series and tables: measured readers by name, models marked. */
  static String label(AgedPageReader r) {
    return r.measured() ? r.name() : r.name() + " (model, not measured)";
  }

  /** A question whose answer is in an evidence turn, with that turn's index. */
  record Probe(int index, Locomo.Question question, int turn) {}

  /**
   * A policy of the experiment: how segments age, how the assembler spends a tight budget, which
   * salience the memory scores, whether each turn is followed by a recall that rehearses its hits
   * (an agent that recalls before it answers), and whether closed text may go as pages.
   */
  record Policy(AgingPolicy aging, Spending spending, Salience salience, boolean rehearse,
      boolean textToPages) {}

  /** The memory policy a system or policy name runs on; null for systems that keep no pages. */
  static String base(String name) {
    switch (name) {
      case "full-text", "rag", "window+rag":
        return null;
      case "optical", "optical+rag", "optical+read", "optical+rag+read":
        return "importance";
      default:
        policy(name);
        return name;
    }
  }

  /**
   * The fewest tokens spent on retrieved turns by default with hybrid retrieval, whatever the
   * share. Chosen on the tuning conversation, where hybrid retrieval alone found more answers in
   * 1,000 tokens than any split with pages, and an even split kept the most at 2,000; with BM25
   * alone an even split kept more at 1,000 too, so there the default floor is 0.
   */
  static final int HYBRID_RAG_FLOOR = 1_000;

  /**
   * R, the tokens a system that has a share spends on retrieved or read turns: the budget times the
   * share; for the systems that retrieve at least the floor, at most the budget. optical+read
   * reads regions of the pages it is sent, so it keeps the share alone: with no pages it would
   * have nothing to read.
   */
  static int retrievalTokens(String system, int budget, double share, int floor) {
    int r = (int) Math.round(budget * share);
    return system.contains("+rag") ? Math.min(budget, Math.max(r, floor)) : r;
  }

  /** Whether a system spends a share R of the budget on retrieved or read turns. */
  static boolean shared(String name) {
    return name.endsWith("+rag") || name.endsWith("+read");
  }

  static Policy policy(String name) {
    long max = Long.MAX_VALUE;
    switch (name) {
      case "text-window":
        return recency(AgingPolicy.fixed(Tier.TEXT), false);
      case "tier-large":
        return recency(AgingPolicy.byTokens(2_000, max, max, max, max), true);
      case "tier-base":
        return recency(AgingPolicy.byTokens(2_000, 2_000, max, max, max), true);
      case "tier-small":
        return recency(AgingPolicy.byTokens(2_000, 2_000, 2_000, max, max), true);
      case "tier-tiny":
        return recency(AgingPolicy.byTokens(2_000, 2_000, 2_000, 2_000, max), true);
      case "tiered":
        return recency(AgingPolicy.recency(), true);
      case "importance":
        return new Policy(AgingPolicy.defaults(), Spending.IMPORTANCE, Salience.facts(), true, true);
      case "importance-no-salience":
        return new Policy(AgingPolicy.defaults(), Spending.IMPORTANCE, Salience.none(), true, true);
      case "importance-no-rehearsal":
        return new Policy(AgingPolicy.defaults(), Spending.IMPORTANCE, Salience.facts(), false,
            true);
      case "importance-restart":
        return new Policy(AgingPolicy.recency().withImportance(AgingPolicy.Rehearsal.RESTARTS),
            Spending.IMPORTANCE, Salience.facts(), true, true);
      case "legibility-only":
        return new Policy(AgingPolicy.recency(), Spending.IMPORTANCE, Salience.none(), false, true);
      default:
        throw new IllegalArgumentException("policy must be one of " + SYSTEMS + " or " + POLICIES
            + ", but is: " + name);
    }
  }

  private static Policy recency(AgingPolicy aging, boolean textToPages) {
    return new Policy(aging, Spending.RECENCY, Salience.none(), false, textToPages);
  }

  static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
  }

  /**
   * Runs the experiment, writing {@code forgetting.csv}, {@code forgetting-cost.csv},
   * {@code forgetting-summary.md}, {@code forgetting-curve.png}, {@code forgetting-cost.png} and
   * {@code forgetting.html} into {@code out}.
   */
  public Result run(Path out) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output folder " + out, e);
    }
    List<Locomo.Conversation> conversations = new ArrayList<>();
    for (Path file : files) {
      conversations.add(Locomo.read(file));
    }
    // Systems that share a memory policy are fed once, into one memory.
    Map<String, List<String>> byBase = new LinkedHashMap<>();
    for (String name : policies) {
      byBase.computeIfAbsent(String.valueOf(base(name)), k -> new ArrayList<>()).add(name);
    }
    int steps = 0;
    for (Locomo.Conversation c : conversations) {
      steps += byBase.size() * Math.min(c.turns().size(), limit);
    }
    List<ForgettingRow> rows = new ArrayList<>();
    List<CostRow> costs = new ArrayList<>();
    int done = 0;
    progress.progress("feeding turns", 0, steps);
    TokenCounter counter = TokenCounter.o200k();
    for (Locomo.Conversation c : conversations) {
      List<MemoryTurn> turns = c.turns().subList(0, Math.min(c.turns().size(), limit));
      TurnHistory history = new TurnHistory(c, turns, counter, reader.textCounter(),
          embedder == null ? null : embedder.embedder());
      for (Map.Entry<String, List<String>> group : byBase.entrySet()) {
        if (group.getKey().equals("null")) {
          for (int t = 0; t < turns.size(); t++) {
            progress.progress("feeding turns", ++done, steps);
            if ((t + 1) % every == 0 || t == turns.size() - 1) {
              textCheckpoint(history, group.getValue(), t, rows, costs);
            }
          }
          continue;
        }
        Policy policy = policy(group.getKey());
        OpticalMemoryBuilder settings = OpticalMemory.builder()
            .jdbcUrl("jdbc:h2:mem:forgetting-" + NAMES.incrementAndGet()).fonts(fonts)
            .retention(Retention.KEEP).agingPolicy(policy.aging()).salience(policy.salience())
            .rehearsal(policy.rehearse()).executor(Runnable::run)
            // Pages are decoded in the background only where the simulated agent recalls (recall
            // then reads stored text); every reader here reads the pages itself.
            .decodeInBackground(policy.rehearse()).regionMarks(regionMarks);
        if (pageFontSize > 0) {
          settings.pageFontSize(pageFontSize);
        }
        try (OpticalMemory memory = settings.build()) {
          Map<String, AgedPageReader.Page> pagesSeen = new HashMap<>();
          for (int t = 0; t < turns.size(); t++) {
            memory.append(c.id(), turns.get(t));
            if (policy.rehearse()) {
              rehearse(memory, c.id(), turns.get(t).text());
            }
            progress.progress("feeding turns", ++done, steps);
            if ((t + 1) % every == 0 || t == turns.size() - 1) {
              checkpoint(memory, history, group.getValue(), policy, t, rows, costs, pagesSeen);
            }
          }
        }
      }
    }
    return new ForgettingReport(this).write(out, conversations, rows, costs);
  }

  /** The simulated agent's recall after a turn; a turn with no words to search for is skipped. */
  private static void rehearse(OpticalMemory memory, String conversation, String text) {
    try {
      memory.recall(conversation, RecallRequest.of(text).k(REHEARSAL_K));
    } catch (IllegalArgumentException e) {
      // blank, or nothing to search for (";)"): an agent would not recall on it either
    }
  }


  /** Checkpoint rows of the systems that keep no pages: full-text, rag, window+rag. */
  private void textCheckpoint(TurnHistory h, List<String> systems, int t,
      List<ForgettingRow> rows, List<CostRow> costs) {
    for (int budget : budgets) {
      for (String system : systems) {
        for (double share : shares) {
          if (!system.equals("window+rag") && share != shares.get(0)) {
            continue;
          }
          String label = label(system, share);
          int r = retrievalTokens(system, budget, share, ragFloor);
          Set<Integer> window = new HashSet<>();
          int windowTokens = 0;
          if (system.equals("window+rag")) {
            for (int i = t; i >= 0 && windowTokens + h.windowPrice[i] <= budget - r; i--) {
              window.add(i);
              windowTokens += h.windowPrice[i];
            }
          }
          int most = 0;
          for (Probe p : h.probes) {
            if (p.turn() > t) {
              continue;
            }
            String sentAs;
            String via;
            int spent;
            if (system.equals("full-text")) {
              sentAs = "TEXT";
              via = "context";
              spent = (int) h.fullPrice[t + 1];
            } else {
              TurnHistory.Retrieved got = h.retrieve(p.question().question(), t, budget - windowTokens,
                  window);
              spent = windowTokens + got.tokens();
              if (window.contains(p.turn())) {
                sentAs = "TEXT";
                via = "context";
              } else if (got.turns().contains(p.turn())) {
                sentAs = "TEXT";
                via = "retrieved";
              } else {
                sentAs = "LEFT_OUT";
                via = "";
              }
            }
            most = Math.max(most, spent);
            for (AgedPageReader pageReader : pageReaders) {
              rows.add(row(h, p, t, pageReader, label, budget, null, sentAs, null,
                  !via.isEmpty(), via, spent, spent, 0));
            }
          }
          costs.add(cost(h, label, budget, t, most, most, 0));
        }
      }
    }
  }

  private String label(String system, double share) {
    return shares.size() > 1 && (shared(system) || system.equals("window+rag"))
        ? String.format(Locale.ROOT, "%s R%.0f%%", system, share * 100) : system;
  }

  private CostRow cost(TurnHistory h, String label, int budget, int t, int tokens, int text,
      int image) {
    return new CostRow(h.conversation.id(), label, budget, t + 1, tokens, text, image,
        h.fullPrice[t + 1]);
  }

  private ForgettingRow row(TurnHistory h, Probe p, int t, AgedPageReader pageReader,
      String label, int budget, Segment holder, String sentAs, AgedPageReader.Page page,
      boolean survived, String via, int tokens, int textTokens, int imageTokens) {
    return new ForgettingRow(h.conversation.id(), pageReader.name(), pageReader.measured(), label,
        budget, t + 1, p.index(), p.question().category(), p.question().answer(), p.turn(),
        t - p.turn(), h.tokensBefore[t + 1] - h.tokensBefore[p.turn() + 1],
        java.util.Optional.ofNullable(holder).map(Segment::tier), sentAs,
        page == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(page.textTokens()),
        page == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(
            (double) page.textTokens() / page.tier().mode().visionTokens()),
        survived, via, tokens, textTokens, imageTokens);
  }

  private void checkpoint(OpticalMemory memory, TurnHistory h, List<String> systems, Policy policy,
      int t, List<ForgettingRow> rows, List<CostRow> costs,
      Map<String, AgedPageReader.Page> pagesSeen) {
    String id = h.conversation.id();
    List<Segment> segments = memory.segments(id);
    Map<List<Object>, Sent> pointed = new HashMap<>();
    for (int budget : budgets) {
      for (String system : systems) {
        for (double share : shares) {
          if (!shared(system) && share != shares.get(0)) {
            continue;
          }
          String label = label(system, share);
          int r = shared(system) ? retrievalTokens(system, budget, share, ragFloor) : 0;
          // Each page reader gets the context assembled for how it reads (its legibility); the
          // recency rule does not look at legibility, so there every reader gets the same context.
          for (int ri = 0; ri < pageReaders.size(); ri++) {
            AgedPageReader pageReader = pageReaders.get(ri);
            ContextAssembler.Builder assembly = ContextAssembler.builder().memory(memory)
                .reader(reader.withLegibility(system.endsWith("+read") ? pageReader.pointing()
                    : pageReader.legibility()))
                .spending(policy.spending()).textToPages(policy.textToPages())
                .floorGivesWay(shared(system)).pagesBeforeText(shared(system));
            if (maxRequestBytes > 0) {
              assembly.maxRequestBytes(maxRequestBytes);
            }
            ContextAssembler assembler = assembly.build();
            boolean focused = shared(system) && focus > 0;
            Sent unfocused = focused ? null : sent(memory, h, assembler, segments, budget - r,
                Map.of(), pageReader, system, pagesSeen);
            AssembledContext context = null;
            int most = 0;
            for (Probe p : h.probes) {
              if (p.turn() > t) {
                continue;
              }
              Segment holder = null;
              for (Segment s : segments) {
                if (s.firstTurn() <= p.turn() && p.turn() <= s.lastTurn()) {
                  holder = s;
                  break;
                }
              }
              String question = p.question().question();
              int pagesBudget = budget - r;
              int readerIndex = ri;
              Sent sent = unfocused != null ? unfocused : !system.endsWith("+read")
                  ? sent(memory, h, assembler, segments, pagesBudget, focus(memory, h, question),
                      pageReader, system, pagesSeen)
                  // The systems that read are sent the same pages: assembled once for both.
                  : pointed.computeIfAbsent(List.of(pagesBudget, readerIndex, question),
                      k -> sent(memory, h, assembler, segments, pagesBudget,
                          focus(memory, h, question), pageReader, system, pagesSeen));
              context = sent.context();
              Map<String, Integer> textTurns = sent.textTurns();
              Map<Long, AgedPageReader.Page> read = sent.read();
              TurnIndex pointer = sent.pointer();
              Set<Integer> asText = new HashSet<>(textTurns.values());
              AgedPageReader.Page page = null;
              String sentAs;
              if (textTurns.containsKey(h.dia(p.turn()))) {
                sentAs = "TEXT";
              } else if (holder != null && read.containsKey(holder.id())) {
                page = read.get(holder.id());
                sentAs = page.tier().name();
              } else {
                sentAs = holder != null && holder.tier() == Tier.FORGOTTEN ? "FORGOTTEN"
                    : "LEFT_OUT";
              }
              String answer = " " + normalize(p.question().answer()) + " ";
              boolean survived = sentAs.equals("TEXT")
                  || page != null && (" " + normalize(pageReader.read(page)) + " ").contains(answer);
              String via = survived ? "context" : "";
              int extra = 0;
              if (r > 0) {
                // Retrieval fills the rest of B: R, and whatever the context left unspent.
                int rest = budget - context.totalTokens();
                TurnHistory.Retrieved got;
                // With no page sent, the agent of optical+rag+read has only its recall.
                if (system.endsWith("+rag") || pointer == null && system.contains("+rag")) {
                  got = h.retrieve(question, t, rest, asText);
                } else if (pointer == null) {
                  got = new TurnHistory.Retrieved(Set.of(), 0);
                } else if (system.contains("+rag")) {
                  List<Integer> reads = TurnHistory.readOn(h.rankRegions(pointer,
                      sent.regionText(), question), sent.regionTurn());
                  got = h.fill(TurnHistory.recalledAndRead(h.ranked(question, t), reads,
                      sent.regionTurn()), rest, asText, null);
                } else {
                  got = h.fill(TurnHistory.readOn(h.rankRegions(pointer, sent.regionText(),
                      question), sent.regionTurn()), rest, asText, sent.regionTurn());
                }
                extra = got.tokens();
                if (!survived && got.turns().contains(p.turn())) {
                  survived = true;
                  // A turn on a page sent is read back from it; any other was recalled.
                  via = system.endsWith("+read") && page != null ? "read" : "retrieved";
                }
              }
              int spent = context.totalTokens() + extra;
              most = Math.max(most, spent);
              rows.add(row(h, p, t, pageReader, label, budget, holder, sentAs, page, survived,
                  via, spent, context.textTokens() + extra, context.imageTokens()));
            }
            if (ri == 0 && context != null) {
              costs.add(cost(h, label, budget, t, Math.max(most, context.totalTokens()),
                  context.textTokens() + Math.max(0, most - context.totalTokens()),
                  context.imageTokens()));
            }
          }
        }
      }
    }
  }

  /**
   * The pages the question points to: the memory's own BM25 over segments
   * ({@link OpticalMemory#relevance}), 0 to 1, times the focus setting.
   */
  private Map<Long, Double> focus(OpticalMemory memory, TurnHistory h, String question) {
    Map<Long, Double> weights = new HashMap<>(memory.operations().relevance(h.conversation.id(), question));
    weights.replaceAll((k, v) -> v * focus);
    return weights;
  }

  /** A context as sent, and what the pointer of optical+read sees of its pages. */
  private record Sent(AssembledContext context, Map<String, Integer> textTurns,
      Map<Long, AgedPageReader.Page> read, TurnIndex pointer, List<String> regionText,
      List<Integer> regionTurn) {}

  private Sent sent(OpticalMemory memory, TurnHistory h, ContextAssembler assembler,
      List<Segment> segments, int budget, Map<Long, Double> focus, AgedPageReader pageReader,
      String system, Map<String, AgedPageReader.Page> pagesSeen) {
    String id = h.conversation.id();
    // The floor may leave the optical context no room: then it sends nothing.
    AssembledContext context = budget < 1
        ? new AssembledContext(id, reader.name(), 0, List.of(), 0, 0, 0, 0, 0, List.of())
        : assembler.assemble(id, budget, focus);
    Map<String, Integer> textTurns = new HashMap<>();
    Map<Long, AgedPageReader.Page> read = new HashMap<>();
    Map<Long, Segment> byId = new HashMap<>();
    segments.forEach(s -> byId.put(s.id(), s));
    for (TextItem text : context.texts()) {
      textTurns.put(text.turn().attributes().get("dia_id"), text.turnNumber());
    }
    for (PageItem item : context.images()) {
      Segment s = byId.get(item.segment());
      // Keyed by the stored tier too: the page sent at a tier is downscaled from the stored
      // image, which blurs as the segment ages between checkpoints.
      read.put(s.id(), pagesSeen.computeIfAbsent(s.id() + "/" + item.storedTier() + "/"
          + item.tier(), k -> new AgedPageReader.Page(id, s.index(), item.tier(),
              assembler.png(id, item), sourceText(memory, id, s, regionMarks),
              s.textTokens() + (regionMarks ? markTokens(s) : 0))));
    }
    // The pointer's regions: each turn on a page sent, as the reader read it.
    List<String> regionText = new ArrayList<>();
    List<Integer> regionTurn = new ArrayList<>();
    if (system.endsWith("+read")) {
      for (Segment s : segments) {
        AgedPageReader.Page page = read.get(s.id());
        if (page != null) {
          String reading = pageReader.read(page);
          java.util.Optional<List<TurnHistory.Region>> marked = regionMarks
              ? TurnHistory.markedRegions(reading, s.firstTurn(), s.lastTurn())
              : java.util.Optional.empty();
          if (marked.isPresent()) {
            for (TurnHistory.Region r : marked.get()) {
              regionText.add(r.text());
              regionTurn.add(r.turn());
            }
            continue;
          }
          List<String> parts = TurnHistory.regions(reading, memory.operations().turns(id, s.id()));
          for (int k = 0; k < parts.size(); k++) {
            regionText.add(parts.get(k));
            regionTurn.add(s.firstTurn() + k);
          }
        }
      }
    }
    TurnIndex pointer = regionText.isEmpty() ? null
        : new TurnIndex(regionText, TurnIndex.Terms.TRIGRAMS);
    return new Sent(context, textTurns, read, pointer, regionText, regionTurn);
  }


  /**
   * The text drawn on a segment's page: its turns as "speaker: text", a line each, each after its
   * region mark where pages carry them.
   */
  private static String sourceText(OpticalMemory memory, String conversation, Segment s,
      boolean marked) {
    StringBuilder text = new StringBuilder();
    int number = s.firstTurn();
    for (MemoryTurn turn : memory.operations().turns(conversation, s.id())) {
      text.append(marked ? Turn.markText(number) : "").append(turn.labelledText()).append('\n');
      number++;
    }
    return text.toString();
  }

  /** What a page's region marks add to its text tokens (o200k, as the memory counts). */
  private static int markTokens(Segment s) {
    int tokens = 0;
    for (int t = s.firstTurn(); t <= s.lastTurn(); t++) {
      tokens += MARK_COUNTER.count(Turn.markText(t));
    }
    return tokens;
  }
}
