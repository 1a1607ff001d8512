package dev.opticalmemory.cli;

import dev.opticalmemory.memory.RecallRequest;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Recollection;
import dev.opticalmemory.memory.Retention;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.AssembledContext;
import dev.opticalmemory.memory.context.ContextAssembler;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the main job. Ingests the shipped 300-turn conversation, lets it age through every
 * tier, writes the pages, shows what each reader would pay for it, and recalls the facts planted in
 * its first turns from the aged pages. Offline, no key, no server.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Ingests a shipped 300-turn conversation, ages it through every tier, writes the "
        + "page images, prints context costs per reader and recalls facts from aged pages.")
final class DemoCommand implements Callable<Integer> {
  /** One reader of each kind of pricing (every profile: {@code optical-memory price}). */
  static final List<String> DEMO_READERS = List.of("deepseek-ocr", "deepseek-ocr:gundam", "gpt-4o",
      "gpt-5.4", "claude", "gemini-3", "qwen2.5-vl");

  /**
   * Aging scaled to the sample (about 8,000 text tokens) so that every tier shows: text below
   * 1,000 tokens since a page closed, LARGE below 2,000, BASE below 3,500, SMALL below 5,000, TINY
   * below 6,500, then forgotten. The library's default keeps pages longer (2k/6k/14k/30k/120k).
   */
  static final AgingPolicy POLICY = AgingPolicy.byTokens(1_000, 2_000, 3_500, 5_000, 6_500);

  /** The facts planted in the sample's first turns: a query and the answer it should bring back. */
  record Fact(String query, String answer) {}

  static final List<Fact> FACTS = List.of(new Fact("locker code ferry office", "4417"),
      new Fact("booking reference island crossing", "KX-2291"),
      new Fact("allergic pastries", "hazelnuts"),
      new Fact("sister Ilse birthday", "October"));

  @Spec CommandSpec spec;

  @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR",
      description = "Folder for the memory and the pages (replaced). Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--budget", defaultValue = "4000", paramLabel = "N",
      description = "Context budget for the cost table, 1000 to 1000000. Default: ${DEFAULT-VALUE}.")
  int budget;

  @Override
  public Integer call() throws Exception {
    if (budget < 1000 || budget > 1_000_000) {
      // Checked before any work: the newest turns the assembler always keeps take several
      // hundred tokens, and a budget below them would fail only after ingest and rendering.
      throw CliException.usage("--budget must be between 1000 and 1000000, but is: " + budget);
    }
    long start = System.nanoTime();
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<MemoryTurn> turns = TurnFiles.turns(TurnFiles.jsonl("demo-conversation.jsonl",
        Samples.text("demo-conversation.jsonl")));
    clear(out);
    Path pages = Files.createDirectories(out.resolve("pages"));
    o.printf("Optical Memory demo: %d turns between Mira and her assistant; four facts planted in"
        + " turns 40-47.%n%n", turns.size());
    o.flush();
    try (OpticalMemory memory = OpticalMemory.builder().path(out.resolve("memory"))
        .retention(Retention.KEEP).agingPolicy(POLICY).build()) {
      // 1. Ingest, then let background rendering and aging catch up.
      var bar = EvalCommand.bar(err);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("mira", turns.get(i));
        bar.progress("1/4 ingesting", i + 1, turns.size());
      }
      if (!MemoryCommands.awaitIdle(memory, "mira", err, "1/4 rendering, aging and decoding pages",
          Duration.ofMinutes(5))) {
        throw new CliException("demo: background work did not finish within 5 minutes");
      }

      // 2. The pages, and every tier of the page that holds the planted facts.
      List<Segment> segments = memory.segments("mira");
      o.println("Segments (one page each), oldest first:");
      o.printf("  %-4s %-9s %-10s %7s %8s %9s%n", "page", "turns", "tier", "tokens", "vision",
          "stored*");
      int written = 0;
      for (Segment s : segments) {
        o.printf("  %-4d %-9s %-10s %7d %8s %8.1fK%n", s.index(), s.firstTurn() + "-" + s.lastTurn(),
            s.tier(), s.textTokens(), s.tier().isImage() ? Integer.toString(s.visionTokens()) : "-",
            s.storedBytes() / 1024.0);
        if (s.tier().isImage()) {
          Files.write(pages.resolve(String.format("page-%02d-%s.png", s.index(),
              s.tier().name().toLowerCase())), memory.png("mira", s.id()).orElseThrow());
          written++;
        }
      }
      Segment first = segments.stream().filter(s -> s.firstTurn() <= 40 && 40 <= s.lastTurn())
          .findFirst().orElseThrow();
      List<BufferedImage> tiers = new ArrayList<>();
      // Every tier of the page carries its layout, as the segment's own PNG does: `ocr` reads them
      // by their font.
      java.util.Optional<PageLabel> label = memory.png("mira", first.id())
          .flatMap(PageLabel::fromPng);
      for (Tier t : new Tier[] {Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY}) {
        var image = memory.operations().image("mira", first.id(), t);
        if (image.isPresent()) {
          BufferedImage page = PageImages.decode(image.get());
          tiers.add(page);
          byte[] png = PageImages.encodePng(page);
          Files.write(pages.resolve("facts-page-" + t.name().toLowerCase() + ".png"),
              label.map(l -> l.addTo(png)).orElse(png));
          written++;
        }
      }
      if (tiers.size() == 4) {
        Files.write(pages.resolve("tiers-closeup.png"), PageImages.encodePng(closeup(tiers)));
        written++;
      }
      o.println("  * stored: text and every tier's image; the demo keeps them all (Retention.KEEP)"
          + " to show each tier and to measure fidelity");
      err.printf("2/4 wrote %d page images to %s%n", written, pages);

      // 3. What each reader would pay for the conversation within the budget.
      o.printf("%nContext within %d tokens, per reader (the whole conversation as text: %d tokens):%n",
          budget, memory.stats("mira").textTokens());
      o.printf("  %-19s %7s %7s %7s %12s %10s%n", "reader", "total", "text", "images", "compression",
          "shows");
      for (String name : DEMO_READERS) {
        AssembledContext c = ContextAssembler.builder().memory(memory)
            .reader(VisionReader.named(name)).build().assemble("mira", budget);
        o.printf("  %-19s %7d %7d %7d %11.1fx %5d/%d turns%n", name, c.totalTokens(),
            c.textTokens(), c.imageTokens(), c.compression(), c.coveredTurns(), c.turns());
      }
      o.flush();
      err.println("3/4 assembled contexts for " + DEMO_READERS.size() + " readers");

      // 4. Recall the planted facts from the aged pages' decoded text.
      o.printf("%nRecalling the planted facts (the matching lines, from each page's text as the"
          + " memory decoded it in the background: its page reader, PP-OCR for lines it cannot"
          + " read):%n");
      int found = 0;
      for (int i = 0; i < FACTS.size(); i++) {
        Fact fact = FACTS.get(i);
        err.printf("4/4 recalling %d/%d: %s%n", i + 1, FACTS.size(), fact.query());
        List<Recollection> r = memory.recall("mira", RecallRequest.of(fact.query()).k(1));
        if (r.isEmpty()) {
          o.printf("  \"%s\": nothing found%n", fact.query());
          continue;
        }
        Recollection best = r.get(0);
        boolean ok = best.text().contains(fact.answer());
        found += ok ? 1 : 0;
        o.printf("  \"%s\" -> page %d at %s, answer %s %s%n", fact.query(), best.index(),
            best.tier(), fact.answer(), ok ? "recovered" : "NOT recovered");
        for (String line : best.text().strip().split("\n")) {
          o.printf("      | %s%n", line);
        }
        if (best.tier().isImage()) {
          // Measured when the page was decoded in the background (the demo keeps the source).
          o.printf("      whole-page fidelity at %s: precision %.3f, word accuracy %.3f (the page's"
              + " decoded text against its source text)%n", best.tier(),
              best.fidelity().orElse(Double.NaN), best.wordAccuracy().orElse(Double.NaN));
        }
        o.flush();
      }
      o.printf("%nDone in %.0f s: %d segments (%s), %d of %d planted facts recovered from aged"
          + " pages.%nPages: %s%nMemory: %s.mv.db (H2; inspect with ./optical-memory stats --db %s"
          + " --conversation mira)%n", (System.nanoTime() - start) / 1e9, segments.size(),
          memory.stats("mira").tiers(), found, FACTS.size(), pages.toAbsolutePath(),
          out.resolve("memory").toAbsolutePath(), out.resolve("memory"));
    }
    return 0;
  }

  /**
   * The same corner of a page at each tier (top left, 45% x 18% of the page), enlarged to one size
   * with nearest-neighbour so that each tier's pixels show, side by side, labelled.
   */
  static BufferedImage closeup(List<BufferedImage> tiers) {
    int w = 560;
    int h = 230;
    int label = 28;
    BufferedImage out = new BufferedImage(w * 2 + 10, (h + label) * 2 + 10,
        BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    String[] names = {"LARGE 1280 px, 400 tokens", "BASE 1024 px, 256", "SMALL 640 px, 100",
        "TINY 512 px, 64"};
    for (int i = 0; i < 4; i++) {
      BufferedImage page = tiers.get(i);
      int cw = (int) (page.getWidth() * 0.45);
      int ch = (int) (page.getHeight() * 0.18);
      int x = (i % 2) * (w + 10);
      int y = (i / 2) * (h + label + 10);
      g.setColor(Color.BLACK);
      g.drawString(names[i], x + 4, y + 20);
      g.drawImage(page.getSubimage(0, 0, cw, ch), x, y + label, x + w, y + label + h, 0, 0, cw, ch,
          null);
      g.setColor(Color.GRAY);
      g.drawRect(x, y + label, w - 1, h - 1);
    }
    g.dispose();
    return out;
  }

  /** Removes what an earlier demo wrote into {@code dir} (its database and pages), nothing else. */
  private static final java.util.regex.Pattern DEMO_FILES = java.util.regex.Pattern.compile(
      "page-\\d+-[A-Za-z]+\\.png|facts-page-[A-Za-z]+\\.png|tiers-closeup\\.png");

  private static void clear(Path dir) throws IOException {
    TextFiles.writableFolder(dir);
    for (String name : List.of("memory.mv.db", "memory.trace.db")) {
      Files.deleteIfExists(dir.resolve(name));
    }
    Path pages = dir.resolve("pages");
    if (Files.isDirectory(pages)) {
      try (Stream<Path> files = Files.list(pages)) {
        // Only the files a demo writes: anything else in the folder is the user's.
        for (Path p : files.filter(f -> DEMO_FILES.matcher(f.getFileName().toString()).matches())
            .toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
