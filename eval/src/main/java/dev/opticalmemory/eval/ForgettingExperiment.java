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
import dev.opticalmemory.memory.context.Legibility;
import dev.opticalmemory.memory.context.Spending;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
  /** The memory policies {@link Builder#policies} accepts. */
  public static final List<String> POLICIES = List.of("text-window", "tier-large", "tier-base",
      "tier-small", "tier-tiny", "tiered", "importance", "importance-no-salience",
      "importance-no-rehearsal", "importance-restart", "legibility-only");

  /**
   * The systems compared at equal tokens, which {@link Builder#policies} accepts beside the
   * policies: {@code full-text} (the whole history as text, whatever it costs: the ceiling),
   * {@code rag} (the turns BM25 ranks highest for the question, as text, until the budget),
   * {@code window+rag} (the newest turns as text in B - R, retrieved turns in R), {@code optical}
   * (the memory's context under the {@code importance} policy), {@code optical+rag} (that context
   * in B - R, retrieved turns in R) and {@code optical+read} (that context in B - R, and in R the
   * regions a pointer reads back exactly, chosen from what the reader read of the pages).
   */
  public static final List<String> SYSTEMS = List.of("full-text", "rag", "window+rag", "optical",
      "optical+rag", "optical+read");

  /**
   * The default focus: chosen on LoCoMo conversation 26 among 0, 1, 4 and 16 (more was better at
   * every budget there); the other conversations are reported, not tuned on.
   */
  public static final double DEFAULT_FOCUS = 16;

  /** Recall queries the rehearsal simulation asks after each turn: its top hits are rehearsed. */
  static final int REHEARSAL_K = 3;

  static final List<String> COLUMNS = List.of("conversation", "reader", "readerKind", "policy",
      "budget", "checkpoint", "question", "category", "answer", "evidenceTurn", "ageTurns",
      "ageTokens", "storedTier", "sentAs", "pageTextTokens", "compression", "survived", "via",
      "contextTokens", "textTokens", "imageTokens");
  static final List<String> COST_COLUMNS = List.of("conversation", "policy", "budget", "checkpoint",
      "contextTokens", "textTokens", "imageTokens", "fullTextTokens", "turns", "coveredTurns");

  private final List<Path> files;
  private final List<String> policies;
  private final List<Integer> budgets;
  private final List<Double> shares;
  private final VisionReader reader;
  private final List<AgedPageReader> pageReaders;
  private final int every;
  private final int limit;
  private final float pageFontSize;
  private final long maxRequestBytes;
  private final double focus;
  private final FontSet fonts;
  private final ProgressListener progress;
  private final String commandLine;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private ForgettingExperiment(Builder b) {
    this.files = List.copyOf(b.files);
    this.policies = List.copyOf(b.policies);
    this.budgets = List.copyOf(b.budgets);
    this.shares = List.copyOf(b.shares);
    this.reader = b.reader;
    this.pageReaders = List.copyOf(b.pageReaders.values());
    this.every = b.every;
    this.limit = b.limit;
    this.pageFontSize = b.pageFontSize;
    this.maxRequestBytes = b.maxRequestBytes;
    this.focus = b.focus;
    this.fonts = b.fonts;
    this.progress = b.progress;
    this.commandLine = b.commandLine;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a run wrote. */
  public record Result(Path csv, Path costCsv, Path summary, Path curve, Path cost, Path html,
      List<Map<String, Object>> rows, List<Map<String, Object>> costs) {}

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
      case "optical", "optical+rag", "optical+read":
        return "importance";
      default:
        policy(name);
        return name;
    }
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
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> costs = new ArrayList<>();
    int done = 0;
    progress.progress("feeding turns", 0, steps);
    TokenCounter counter = TokenCounter.o200k();
    for (Locomo.Conversation c : conversations) {
      List<MemoryTurn> turns = c.turns().subList(0, Math.min(c.turns().size(), limit));
      TurnHistory history = new TurnHistory(c, turns, counter, reader.textCounter());
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
            .decodeInBackground(policy.rehearse());
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
    return write(out, conversations, rows, costs);
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
      List<Map<String, Object>> rows, List<Map<String, Object>> costs) {
    for (int budget : budgets) {
      for (String system : systems) {
        for (double share : shares) {
          if (!system.equals("window+rag") && share != shares.get(0)) {
            continue;
          }
          String label = label(system, share);
          int r = (int) Math.round(budget * share);
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

  private Map<String, Object> cost(TurnHistory h, String label, int budget, int t, int tokens,
      int text, int image) {
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("conversation", h.conversation.id());
    cost.put("policy", label);
    cost.put("budget", budget);
    cost.put("checkpoint", t + 1);
    cost.put("contextTokens", tokens);
    cost.put("textTokens", text);
    cost.put("imageTokens", image);
    cost.put("fullTextTokens", h.fullPrice[t + 1]);
    cost.put("turns", t + 1);
    cost.put("coveredTurns", "");
    return cost;
  }

  private Map<String, Object> row(TurnHistory h, Probe p, int t, AgedPageReader pageReader, String label,
      int budget, Segment holder, String sentAs, AgedPageReader.Page page, boolean survived,
      String via, int tokens, int textTokens, int imageTokens) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("conversation", h.conversation.id());
    row.put("reader", pageReader.name());
    row.put("readerKind", pageReader.measured() ? "measured" : "model (not measured)");
    row.put("policy", label);
    row.put("budget", budget);
    row.put("checkpoint", t + 1);
    row.put("question", p.index());
    row.put("category", p.question().category());
    row.put("answer", p.question().answer());
    row.put("evidenceTurn", p.turn());
    row.put("ageTurns", t - p.turn());
    row.put("ageTokens", h.tokensBefore[t + 1] - h.tokensBefore[p.turn() + 1]);
    row.put("storedTier", holder == null ? "" : holder.tier().name());
    row.put("sentAs", sentAs);
    row.put("pageTextTokens", page == null ? "" : page.textTokens());
    row.put("compression", page == null ? "" : String.format(Locale.ROOT, "%.1f",
        (double) page.textTokens() / page.tier().mode().visionTokens()));
    row.put("survived", survived ? 1 : 0);
    row.put("via", via);
    row.put("contextTokens", tokens);
    row.put("textTokens", textTokens);
    row.put("imageTokens", imageTokens);
    return row;
  }


  private void checkpoint(OpticalMemory memory, TurnHistory h, List<String> systems, Policy policy,
      int t, List<Map<String, Object>> rows, List<Map<String, Object>> costs,
      Map<String, AgedPageReader.Page> pagesSeen) {
    String id = h.conversation.id();
    List<Segment> segments = memory.segments(id);
    for (int budget : budgets) {
      for (String system : systems) {
        for (double share : shares) {
          if (!shared(system) && share != shares.get(0)) {
            continue;
          }
          String label = label(system, share);
          int r = shared(system) ? (int) Math.round(budget * share) : 0;
          // Each page reader gets the context assembled for how it reads (its legibility); the
          // recency rule does not look at legibility, so there every reader gets the same context.
          for (int ri = 0; ri < pageReaders.size(); ri++) {
            AgedPageReader pageReader = pageReaders.get(ri);
            ContextAssembler.Builder assembly = ContextAssembler.builder().memory(memory)
                .reader(reader.withLegibility(pageReader.legibility()))
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
Sent sent = unfocused != null ? unfocused : sent(memory, h, assembler, segments,
                  budget - r, focus(memory, h, question), pageReader, system,
                  pagesSeen);
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
                TurnHistory.Retrieved got = system.endsWith("+rag")
                    ? h.retrieve(question, t, rest, asText)
                    : pointer == null ? new TurnHistory.Retrieved(Set.of(), 0)
                        : h.fill(pointer.ranked(p.question().question()), rest, asText,
                            sent.regionTurn());
                extra = got.tokens();
                if (!survived && got.turns().contains(p.turn())) {
                  survived = true;
                  via = system.endsWith("+rag") ? "retrieved" : "read";
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
      Map<Long, AgedPageReader.Page> read, TurnIndex pointer, List<Integer> regionTurn) {}

  private Sent sent(OpticalMemory memory, TurnHistory h, ContextAssembler assembler,
      List<Segment> segments, int budget, Map<Long, Double> focus, AgedPageReader pageReader,
      String system, Map<String, AgedPageReader.Page> pagesSeen) {
    String id = h.conversation.id();
    AssembledContext context = assembler.assemble(id, budget, focus);
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
              assembler.png(id, item), sourceText(memory, id, s), s.textTokens())));
    }
    // The pointer's regions: each turn on a page sent, as the reader read it.
    List<String> regionText = new ArrayList<>();
    List<Integer> regionTurn = new ArrayList<>();
    if (system.equals("optical+read")) {
      for (Segment s : segments) {
        AgedPageReader.Page page = read.get(s.id());
        if (page != null) {
          List<String> parts = TurnHistory.regions(pageReader.read(page), memory.operations().turns(id, s.id()));
          for (int k = 0; k < parts.size(); k++) {
            regionText.add(parts.get(k));
            regionTurn.add(s.firstTurn() + k);
          }
        }
      }
    }
    TurnIndex pointer = regionText.isEmpty() ? null
        : new TurnIndex(regionText, TurnIndex.Terms.TRIGRAMS);
    return new Sent(context, textTurns, read, pointer, regionTurn);
  }


  /** The text drawn on a segment's page: its turns as "speaker: text", a line each. */
  private static String sourceText(OpticalMemory memory, String conversation, Segment s) {
    StringBuilder text = new StringBuilder();
    for (MemoryTurn turn : memory.operations().turns(conversation, s.id())) {
      text.append(turn.labelledText()).append('\n');
    }
    return text.toString();
  }

  private Result write(Path out, List<Locomo.Conversation> conversations,
      List<Map<String, Object>> rows, List<Map<String, Object>> costs) {
    Path csv = out.resolve("forgetting.csv");
    Path costCsv = out.resolve("forgetting-cost.csv");
    Reports.csv(csv, COLUMNS, rows);
    Reports.csv(costCsv, COST_COLUMNS, costs);
    List<String> sections = new ArrayList<>();
    StringBuilder md = new StringBuilder();
    Map<String, AgedPageReader> byName = new LinkedHashMap<>();
    pageReaders.forEach(r -> byName.put(r.name(), r));
    md.append("Readers: ");
    StringBuilder readersHtml = new StringBuilder("<ul>");
    for (AgedPageReader r : pageReaders) {
      md.append("\n- ").append(r.description());
      readersHtml.append("<li>").append(Reports.escape(r.description())).append("</li>");
    }
    md.append("\n\n");
    sections.add("<h2>Readers</h2><p>Who reads the pages. A modelled reader never looks at the"
        + " pixels: its figures come from a published table, not from a measurement.</p>"
        + readersHtml + "</ul>");

    // 0. Every system at equal tokens: answers available over every checkpoint, by budget, with
    //    the tokens spent per query; then by category.
    Map<String, Map<Integer, long[]>> pooledAll = new LinkedHashMap<>();
    Map<String, Map<Integer, int[]>> byCategory = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      String policy = (String) r.get("policy");
      String system = policy.split(" ")[0];
      // Text alone reads the same for every reader: one row, not one per reader.
      String key = system.equals("text-window") || base(system) == null ? policy + " (text)"
          : label(byName.get((String) r.get("reader"))) + " · " + policy;
      long[] a = pooledAll.computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent((Integer) r.get("budget"), k -> new long[4]);
      a[0] += (Integer) r.get("survived");
      a[1]++;
      a[2] += (Integer) r.get("contextTokens");
      a[3] = Math.max(a[3], (Integer) r.get("contextTokens"));
      int[] c = byCategory.computeIfAbsent(key + " @ " + r.get("budget"), k -> new TreeMap<>())
          .computeIfAbsent((Integer) r.get("category"), k -> new int[2]);
      c[0] += (Integer) r.get("survived");
      c[1]++;
    }
    List<String> systemHeader = new ArrayList<>(List.of("reader · system"));
    budgets.forEach(b -> systemHeader.add(b + " tokens (mean / most spent)"));
    List<List<String>> systemTable = new ArrayList<>();
    List<Reports.Series> spentLines = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, long[]>> e : pooledAll.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      List<double[]> points = new ArrayList<>();
      for (int b : budgets) {
        long[] a = e.getValue().get(b);
        cells.add(a == null || a[1] == 0 ? "" : String.format(Locale.ROOT, "%.3f (%d / %d)",
            (double) a[0] / a[1], a[2] / a[1], a[3]));
        if (a != null && a[1] > 0 && !e.getKey().endsWith(" · full-text")) {
          points.add(new double[] {a[2] / (double) a[1] / 1000.0, (double) a[0] / a[1]});
        }
      }
      systemTable.add(cells);
      if (!points.isEmpty()) {
        spentLines.add(new Reports.Series(e.getKey(), points));
      }
    }
    md.append("### Answers available, every checkpoint pooled, by budget\n\n")
        .append("Share of probes (a question at a checkpoint after its evidence) whose answer the"
            + " reader can read in what it is sent; in brackets, the tokens spent per query (mean"
            + " / most), counted for ").append(reader.name()).append(". full-text is the ceiling"
            + " at whatever it costs. R = ").append(shares).append(" of the budget.\n\n")
        .append(Reports.markdown(systemHeader, systemTable)).append('\n');
    Path spentPlot = out.resolve("forgetting-systems.png");
    Reports.plot(spentPlot, "Answers available against tokens spent per query (models marked)",
        "tokens spent per query, thousands (mean)", "share of answers available", spentLines,
        0.0, 1.0);
    List<String> categoryHeader = new ArrayList<>(List.of("reader · system @ budget"));
    for (int c = 1; c <= 4; c++) {
      categoryHeader.add("category " + c);
    }
    List<List<String>> categoryTable = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, int[]>> e : byCategory.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      for (int c = 1; c <= 4; c++) {
        int[] a = e.getValue().get(c);
        cells.add(a == null ? "" : share(a));
      }
      categoryTable.add(cells);
    }
    md.append("### Answers available by LoCoMo category, every checkpoint pooled\n\n")
        .append(Reports.markdown(categoryHeader, categoryTable)).append('\n');
    sections.add("<h2>Systems at equal tokens</h2><p>Answers available over every checkpoint,"
        + " against the tokens each query spent.</p><img src=\"forgetting-systems.png\""
        + " alt=\"answers against tokens\">" + Reports.table(systemHeader, systemTable)
        + "<h3>By category</h3>" + Reports.table(categoryHeader, categoryTable));

    // 1. Answers readable at the end of each conversation, by budget.
    Map<String, Integer> last = new HashMap<>();
    for (Map<String, Object> r : rows) {
      last.merge((String) r.get("conversation"), (Integer) r.get("checkpoint"), Math::max);
    }
    Map<String, Map<Integer, int[]>> atEnd = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      if (r.get("checkpoint").equals(last.get(r.get("conversation")))) {
        int[] a = atEnd.computeIfAbsent(label(byName.get((String) r.get("reader"))) + " · "
            + r.get("policy"), k -> new TreeMap<>()).computeIfAbsent((Integer) r.get("budget"),
                k -> new int[2]);
        a[0] += (Integer) r.get("survived");
        a[1]++;
      }
    }
    List<String> budgetHeader = new ArrayList<>(List.of("reader · policy"));
    budgets.forEach(b -> budgetHeader.add(b + " tokens"));
    List<List<String>> budgetTable = new ArrayList<>();
    List<Reports.Series> budgetLines = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, int[]>> e : atEnd.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      List<double[]> points = new ArrayList<>();
      for (int b : budgets) {
        int[] a = e.getValue().get(b);
        cells.add(a == null ? "" : share(a));
        if (a != null) {
          points.add(new double[] {b / 1000.0, (double) a[0] / a[1]});
        }
      }
      budgetTable.add(cells);
      budgetLines.add(new Reports.Series(e.getKey(), points));
    }
    md.append("### Answers readable at the end of each conversation, by budget\n\n")
        .append(Reports.markdown(budgetHeader, budgetTable)).append('\n');
    Path budgetPlot = out.resolve("forgetting-budget.png");
    Reports.plot(budgetPlot, "Answers readable at the end, by budget (models marked)",
        "budget, thousands of tokens", "share of answers still readable", budgetLines, 0.0, 1.0);
    sections.add("<h2>Answers readable at the end of each conversation</h2><p>By reader, policy"
        + " and budget; in brackets, how many questions.</p><img src=\"forgetting-budget.png\""
        + " alt=\"survival by budget\">" + Reports.table(budgetHeader, budgetTable));

    // 2. Survival by age (tokens since the evidence, 2,000-token buckets), a table and plot per
    //    reader, and one plot with every reader at one budget.
    int bucket = 2_000;
    Map<String, TreeMap<String, TreeMap<Long, int[]>>> byAge = new LinkedHashMap<>();
    Map<String, Map<String, int[]>> bySentAs = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      String reader = (String) r.get("reader");
      String series = r.get("policy") + " @ " + r.get("budget");
      int[] a = byAge.computeIfAbsent(reader, k -> new TreeMap<>())
          .computeIfAbsent(series, k -> new TreeMap<>())
          .computeIfAbsent(((Long) r.get("ageTokens")) / bucket, k -> new int[2]);
      a[0] += (Integer) r.get("survived");
      a[1]++;
      int[] s = bySentAs.computeIfAbsent(label(byName.get(reader)) + " · " + series,
          k -> new TreeMap<>()).computeIfAbsent((String) r.get("sentAs"), k -> new int[2]);
      s[0] += (Integer) r.get("survived");
      s[1]++;
    }
    long maxBucket = byAge.values().stream().flatMap(m -> m.values().stream())
        .filter(m -> !m.isEmpty()).mapToLong(TreeMap::lastKey).max().orElse(0);
    List<String> header = new ArrayList<>(List.of("policy @ budget"));
    for (long b = 0; b <= maxBucket; b++) {
      header.add((b * bucket / 1000) + "-" + ((b + 1) * bucket / 1000) + "k");
    }
    header.add("all");
    int middle = budgets.get(budgets.size() / 2);
    List<Reports.Series> together = new ArrayList<>();
    Path curve = out.resolve("forgetting-curve.png");
    List<String> curveImages = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, TreeMap<Long, int[]>>> byReader : byAge.entrySet()) {
      AgedPageReader reader = byName.get(byReader.getKey());
      List<List<String>> table = new ArrayList<>();
      List<Reports.Series> curves = new ArrayList<>();
      for (Map.Entry<String, TreeMap<Long, int[]>> e : byReader.getValue().entrySet()) {
        List<double[]> points = new ArrayList<>();
        List<String> cells = new ArrayList<>(List.of(e.getKey()));
        int[] all = new int[2];
        for (long b = 0; b <= maxBucket; b++) {
          int[] a = e.getValue().get(b);
          if (a == null) {
            cells.add("");
            continue;
          }
          points.add(new double[] {(b + 0.5) * bucket / 1000.0, (double) a[0] / a[1]});
          cells.add(share(a));
          all[0] += a[0];
          all[1] += a[1];
        }
        cells.add(share(all));
        table.add(cells);
        curves.add(new Reports.Series(e.getKey(), points));
        if (e.getKey().endsWith(" @ " + middle)) {
          together.add(new Reports.Series(label(reader) + " · " + e.getKey(), points));
        }
      }
      String file = "forgetting-curve-" + reader.name() + ".png";
      Reports.plot(out.resolve(file), "Answer survival against age, " + label(reader),
          "thousands of tokens since the evidence", "share of answers still readable", curves,
          0.0, 1.0);
      curveImages.add(file);
      md.append("### Answer survival by age, ").append(label(reader))
          .append(" (thousands of tokens since the evidence turn)\n\n")
          .append(Reports.markdown(header, table)).append('\n');
      sections.add("<h2>Answer survival by age: " + Reports.escape(label(reader)) + "</h2><p>"
          + Reports.escape(reader.description()) + ". Share of probes (question at a checkpoint)"
          + " whose answer can still be read from what the reader is sent, by tokens appended since"
          + " the evidence turn; in brackets, how many probes.</p><img src=\"" + file + "\" alt=\""
          + "forgetting curves\">" + Reports.table(header, table));
    }
    Reports.plot(curve, "Answer survival against age at " + middle + " tokens (models marked)",
        "thousands of tokens since the evidence", "share of answers still readable", together,
        0.0, 1.0);
    sections.add(1, "<h2>Every reader at " + middle + " tokens</h2><img"
        + " src=\"forgetting-curve.png\" alt=\"forgetting curves, every reader\">");

    // 3. Survival by how the evidence was sent (the tier), per reader.
    List<String> tiers = List.of("TEXT", "LARGE", "BASE", "SMALL", "TINY", "LEFT_OUT", "FORGOTTEN");
    List<String> tierHeader = new ArrayList<>(List.of("reader · policy @ budget"));
    tierHeader.addAll(tiers);
    List<List<String>> tierTable = new ArrayList<>();
    Map<String, Map<String, int[]>> pooled = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, int[]>> e : bySentAs.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      String reader = e.getKey().substring(0, e.getKey().indexOf(" · "));
      for (String tier : tiers) {
        int[] s = e.getValue().get(tier);
        cells.add(s == null ? "" : share(s));
        if (s != null) {
          int[] p = pooled.computeIfAbsent(reader, k -> new TreeMap<>())
              .computeIfAbsent(tier, k -> new int[2]);
          p[0] += s[0];
          p[1] += s[1];
        }
      }
      tierTable.add(cells);
    }
    List<Reports.Series> tierLines = new ArrayList<>();
    for (Map.Entry<String, Map<String, int[]>> e : pooled.entrySet()) {
      List<String> cells = new ArrayList<>(List.of(e.getKey() + " · all"));
      List<double[]> points = new ArrayList<>();
      for (int t = 0; t < tiers.size(); t++) {
        int[] s = e.getValue().get(tiers.get(t));
        cells.add(s == null ? "" : share(s));
        if (s != null && t <= 4) {
          points.add(new double[] {t, (double) s[0] / s[1]});
        }
      }
      tierTable.add(cells);
      tierLines.add(new Reports.Series(e.getKey(), points));
    }
    md.append("### Answer survival by how the evidence is sent\n\n")
        .append(Reports.markdown(tierHeader, tierTable)).append('\n');
    Path tierPlot = out.resolve("forgetting-tiers.png");
    Reports.plot(tierPlot, "Answer survival by tier sent (models marked)",
        "tier sent: 0 text, 1 large, 2 base, 3 small, 4 tiny", "share of answers still readable",
        tierLines, 0.0, 1.0);
    sections.add("<h2>Answer survival by how the evidence is sent</h2><img"
        + " src=\"forgetting-tiers.png\" alt=\"survival by tier\">"
        + Reports.table(tierHeader, tierTable));
    long beyond = rows.stream().filter(r -> ModelledDeepSeekReader.NAME.equals(r.get("reader"))
        && !"".equals(r.get("compression")) && Legibility.foxExtrapolated(
            Tier.valueOf((String) r.get("sentAs")),
            Double.parseDouble((String) r.get("compression")))).count();
    if (byName.containsKey(ModelledDeepSeekReader.NAME)) {
      String note = beyond + " of the modelled reader's page reads were at a compression beyond the"
          + " Fox table's last point for their tier, where the model extrapolates.";
      md.append(note).append("\n\n");
      sections.add("<p>" + note + "</p>");
    }

    // 4. Cost: context tokens against turns appended, and the whole conversation as text.
    Map<String, List<double[]>> costSeries = new TreeMap<>();
    Map<Integer, double[]> full = new TreeMap<>();
    for (Map<String, Object> r : costs) {
      costSeries.computeIfAbsent(r.get("policy") + " @ " + r.get("budget"), k -> new ArrayList<>())
          .add(new double[] {(Integer) r.get("checkpoint"), (Integer) r.get("contextTokens")});
      full.putIfAbsent((Integer) r.get("checkpoint"), new double[] {(Integer) r.get("checkpoint"),
          ((Long) r.get("fullTextTokens")).doubleValue()});
    }
    List<Reports.Series> costLines = new ArrayList<>();
    if (conversations.size() == 1) {
      costLines.add(new Reports.Series("whole conversation as text", new ArrayList<>(full.values())));
    }
    costSeries.forEach((k, v) -> costLines.add(new Reports.Series(k, v)));
    Path costPlot = out.resolve("forgetting-cost.png");
    Reports.plot(costPlot, "Context cost as the conversation grows", "turns appended",
        "tokens (" + reader.name() + ")", costLines, 0.0, null);
    sections.add("<h2>Context cost</h2><p>Tokens of the assembled context (" + reader.name()
        + ") at each checkpoint. Data: <a href=\"forgetting-cost.csv\">forgetting-cost.csv</a>,"
        + " <a href=\"forgetting.csv\">forgetting.csv</a>.</p><img src=\"forgetting-cost.png\""
        + " alt=\"cost curves\">");
    Path summary = out.resolve("forgetting-summary.md");
    try {
      Files.writeString(summary, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + summary, e);
    }
    Path html = out.resolve("forgetting.html");
    List<String> names = pageReaders.stream().map(AgedPageReader::name).toList();
    Reports.html(html, "Forgetting curves", Provenance.of(commandLine, String.join(", ", names),
        fonts, 0, Map.of("conversations", files.toString(), "policies", policies.toString(),
            "budgets", budgets.toString(), "budget counted for", reader.name(),
            "checkpoint every", every + " turns", "turns per conversation",
            limit == Integer.MAX_VALUE ? "all" : Integer.toString(limit),
            "probes", Integer.toString(rows.size() / pageReaders.size()))), sections);
    return new Result(csv, costCsv, summary, curve, costPlot, html, rows, costs);
  }

  private static String share(int[] a) {
    return String.format(Locale.ROOT, "%.0f%% (%d)", a[1] == 0 ? 0 : 100.0 * a[0] / a[1], a[1]);
  }

  /** Settings; LoCoMo files and an OCR engine are required. */
  public static final class Builder extends ExperimentBuilder<Builder> {
    private List<String> policies = List.of("text-window", "tier-small", "tiered");
    private List<Integer> budgets = List.of(4_000);
    private List<Double> shares = List.of(0.5);
    private float pageFontSize;
    private long maxRequestBytes;
    private double focus = DEFAULT_FOCUS;
    private VisionReader reader = VisionReader.deepSeekOcr();
    private final Map<String, AgedPageReader> pageReaders = new LinkedHashMap<>();
    private int every = 50;
    private int limit = Integer.MAX_VALUE;

    private Builder() {}

    public Builder locomo(List<Path> files) {
      return locomoFiles(files);
    }

    /**
     * Systems from {@link #SYSTEMS} and policies from {@link #POLICIES}, each once; default
     * text-window, tier-small, tiered.
     */
    public Builder policies(List<String> names) {
      if (names == null || names.isEmpty()) {
        throw new IllegalArgumentException("policies must not be empty");
      }
      names.forEach(ForgettingExperiment::base);
      if (new HashSet<>(names).size() != names.size()) {
        throw new IllegalArgumentException("policies must each be named once, but are: " + names);
      }
      this.policies = List.copyOf(names);
      return this;
    }

    /**
     * The shares R of the budget that window+rag, optical+rag and optical+read spend on turns
     * retrieved or read, each above 0 and below 1; default 0.5 (an even split). With several,
     * each system that has a share is reported once per share.
     */
    public Builder shares(List<Double> shares) {
      if (shares == null || shares.isEmpty()
          || shares.stream().anyMatch(x -> x == null || !(x > 0 && x < 1))) {
        throw new IllegalArgumentException("shares must each be above 0 and below 1, but are: "
            + shares);
      }
      this.shares = List.copyOf(new java.util.LinkedHashSet<>(shares));
      return this;
    }

    /**
     * How much the question weighs the pages of optical+rag and optical+read: each page's
     * importance is multiplied by one plus this times its BM25 match with the question (0 to 1,
     * {@link OpticalMemory#relevance}); 0 assembles those contexts without the question. Default
     * {@value #DEFAULT_FOCUS}.
     */
    public Builder focus(double focus) {
      if (!(focus >= 0 && focus <= 1_000)) {
        throw new IllegalArgumentException("focus must be between 0 and 1000, but is: " + focus);
      }
      this.focus = focus;
      return this;
    }

    /**
     * The font size of the memories' pages, in pixels on the 1,280 px page (see
     * {@link OpticalMemoryBuilder#pageFontSize}); default the memory's own.
     */
    public Builder pageFontSize(float pixels) {
      OpticalMemory.builder().pageFontSize(pixels); // the memory's own bounds and message
      this.pageFontSize = pixels;
      return this;
    }

    /**
     * The most bytes a request of the optical systems may weigh (see
     * {@link ContextAssembler.Builder#maxRequestBytes}); default the reader's own limit.
     */
    public Builder maxRequestBytes(long bytes) {
      ContextAssembler.builder().maxRequestBytes(bytes); // the assembler's bounds and message
      this.maxRequestBytes = bytes;
      return this;
    }

    /** Context budgets to compare at, each at least 500 tokens; default 4,000. */
    public Builder budgets(List<Integer> budgets) {
      if (budgets == null || budgets.isEmpty() || budgets.stream().anyMatch(b -> b < 500)) {
        throw new IllegalArgumentException("budgets must be at least 500 tokens each, but are: "
            + budgets);
      }
      this.budgets = List.copyOf(budgets);
      return this;
    }

    /** The reader whose token counts the budget is spent in; default DeepSeek-OCR. */
    public Builder reader(VisionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /**
     * Adds a measured reader: this engine run on the pages' pixels, named by the engine (not closed
     * by the experiment).
     */
    public Builder ocr(OcrEngine ocr) {
      Objects.requireNonNull(ocr, "ocr");
      return pageReader(AgedPageReader.measured(ocr.name(), ocr));
    }

    /** Adds a reader of the pages; each reader's name once. */
    public Builder pageReader(AgedPageReader reader) {
      Objects.requireNonNull(reader, "reader");
      if (pageReaders.containsKey(reader.name())) {
        throw new IllegalArgumentException("pageReader " + reader.name() + " is given twice");
      }
      pageReaders.put(reader.name(), reader);
      return this;
    }

    /** Turns between checkpoints, at least 1; default 50. */
    public Builder checkpointEvery(int turns) {
      if (turns < 1) {
        throw new IllegalArgumentException("checkpointEvery must be at least 1, but is: " + turns);
      }
      this.every = turns;
      return this;
    }

    /** At most this many turns of each conversation (a quick run); default all. */
    public Builder limit(int turns) {
      if (turns < 1) {
        throw new IllegalArgumentException("limit must be at least 1, but is: " + turns);
      }
      this.limit = turns;
      return this;
    }

    public ForgettingExperiment build() {
      if (files.isEmpty() || pageReaders.isEmpty()) {
        throw new IllegalArgumentException("LoCoMo files and at least one page reader (an OCR"
            + " engine or the modelled DeepSeek-OCR) are required");
      }
      return new ForgettingExperiment(this);
    }
  }
}
