package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A reader of the context: a model on a server, how it counts image tokens, how it counts text
 * tokens, and at what size and detail each tier's page is sent to it.
 *
 * <p>Readers are named by model and server, not by vendor ({@link #named}, {@link #NAMES}): two
 * models of one vendor can price one image tenfold apart (GPT-4o mini against GPT-4o), and one model
 * on two servers too (DeepSeek-OCR on a server that takes the mode per image, or on vLLM, whose
 * processor hard-codes Gundam). Each profile names its source and the date it was read ({@link
 * #source()}; {@code docs/readers.md} has the table).
 *
 * <p>The size is chosen per reader from how it bills. DeepSeek-OCR's modes are the tiers. A reader
 * that bills by tile (OpenAI's tile models) shrinks larger pages to 768 itself at the same price;
 * one that bills by area (Claude, OpenAI's patch models, Qwen-VL) pays more for a 1024 px page than
 * for the text on it; so no page goes to them over 768 px (768 px still reads at 0.999 with
 * PP-OCR). Gemini 2.x charges four tiles for anything between 385 and 1152 px and one for 384 px,
 * so its TINY pages go at 384. A reader whose every image costs the same (Gemini 3, a DeepSeek-OCR
 * server with a fixed mode) gets each tier at its own size. A page is never enlarged.
 */
public final class VisionReader {
  /** The size and detail one tier's page is sent at, and what that costs. */
  public record Delivery(Tier tier, int side, Detail detail, int tokens) {}

  /**
   * One image's price and the rule that gave it.
   *
   * @param tokens what the reader counts for the image
   * @param rule how, with the rule's intermediate figures
   */
  public record Price(int tokens, String rule) {}

  private final String name;
  private final String source;
  private final VisionTokenCost cost;
  private final TokenCounter textCounter;
  private final Map<Tier, Delivery> deliveries;
  private final Legibility legibility;
  private volatile int largest;

  private VisionReader(String name, String source, VisionTokenCost cost, TokenCounter textCounter,
      Map<Tier, Integer> sides, Map<Tier, Detail> details, Legibility legibility) {
    this.name = name;
    this.source = source;
    this.cost = cost;
    this.textCounter = textCounter;
    this.legibility = legibility;
    Map<Tier, Delivery> map = new EnumMap<>(Tier.class);
    for (Tier tier : Tier.values()) {
      if (tier.isImage()) {
        int side = sides.getOrDefault(tier, tier.mode().pixels());
        Detail detail = details.getOrDefault(tier, Detail.HIGH);
        map.put(tier, new Delivery(tier, side, detail, cost.tokens(side, side, detail)));
      }
    }
    this.deliveries = map;
  }

  private static final Map<String, Supplier<VisionReader>> PROFILES = profiles();

  /** Old vendor names, each kept for the model it priced exactly before readers were per model. */
  private static final Map<String, String> ALIASES = Map.of("openai", "gpt-4o",
      "anthropic", "claude", "gemini", "gemini-2.0", "qwen-vl", "qwen2.5-vl",
      "deepseek-ocr-vllm", "deepseek-ocr:gundam");

  /** The readers the command line and {@link #named} know, by model and server. */
  public static final List<String> NAMES = List.copyOf(PROFILES.keySet());

  /** Other names {@link #named} takes: old vendor names, each for one model. */
  public static final Map<String, String> ALIAS_NAMES = ALIASES;

  private static Map<String, Supplier<VisionReader>> profiles() {
    Map<String, Supplier<VisionReader>> p = new LinkedHashMap<>();
    p.put("deepseek-ocr", VisionReader::deepSeekOcr);
    for (String mode : List.of("tiny", "small", "base", "large", "gundam")) {
      p.put("deepseek-ocr:" + mode, () -> deepSeekOcrServer(mode));
    }
    String openAiDoc = "OpenAI images and vision guide, Calculating costs (read 2026-12-05)";
    tiles(p, "gpt-4o", 85, 170, openAiDoc);
    tiles(p, "gpt-4.1", 85, 170, openAiDoc);
    tiles(p, "gpt-4.5", 85, 170, openAiDoc);
    tiles(p, "gpt-4o-mini", 2833, 5667, openAiDoc);
    tiles(p, "o1", 75, 150, openAiDoc);
    tiles(p, "o3", 75, 150, openAiDoc);
    tiles(p, "gpt-5", 70, 140, openAiDoc);
    tiles(p, "gpt-5.1", 70, 140, openAiDoc);
    patches(p, "gpt-4.1-mini", 162, 1536, openAiDoc);
    patches(p, "gpt-4.1-nano", 246, 1536, openAiDoc);
    patches(p, "o4-mini", 172, 1536, openAiDoc);
    patches(p, "gpt-5-mini", 162, 1536, openAiDoc + "; servers were seen billing x1.2");
    patches(p, "gpt-5-nano", 246, 1536, openAiDoc + "; servers were seen billing x1.5");
    String fiveFour = openAiDoc + " and usage measured on the API (x1.2, 2,500 patches)";
    patches(p, "gpt-5.2", 120, 2500, fiveFour);
    patches(p, "gpt-5.4", 120, 2500, fiveFour);
    patches(p, "gpt-5.4-mini", 120, 2500, fiveFour);
    patches(p, "gpt-5.4-nano", 120, 2500, fiveFour);
    String claudeDoc = "Anthropic vision guide, image costs (read 2026-12-05)";
    p.put("claude", () -> areaBilled("claude", claudeDoc + ": 1568 px, 1,568 tokens",
        VisionTokenCost.claude(1568, 1568)));
    p.put("claude-4.7", () -> areaBilled("claude-4.7", claudeDoc
        + ": Claude Opus 4.7 and later, 2576 px, 4,784 tokens", VisionTokenCost.claude(2576, 4784)));
    String vertex = "Vertex AI image understanding, token calculation (read 2026-12-05)";
    p.put("gemini-2.0", () -> geminiTiles("gemini-2.0", vertex));
    p.put("gemini-2.5", () -> geminiTiles("gemini-2.5", vertex + "; default media resolution"));
    String mediaDoc = "Gemini API media resolution, token counts (read 2026-12-05)";
    p.put("gemini-2.5:low", () -> flat("gemini-2.5:low", mediaDoc, 64));
    p.put("gemini-2.5:medium", () -> flat("gemini-2.5:medium", mediaDoc, 256));
    p.put("gemini-2.5:high", () -> geminiTiles("gemini-2.5:high", vertex
        + "; priced as the default, no lower than the documented 256"));
    p.put("gemini-3", () -> flat("gemini-3", mediaDoc + "; default high", 1120));
    p.put("gemini-3:low", () -> flat("gemini-3:low", mediaDoc, 280));
    p.put("gemini-3:medium", () -> flat("gemini-3:medium", mediaDoc, 560));
    p.put("gemini-3:high", () -> flat("gemini-3:high", mediaDoc, 1120));
    p.put("gemini-3:ultra-high", () -> flat("gemini-3:ultra-high", mediaDoc, 2240));
    p.put("qwen2.5-vl", VisionReader::qwenVl);
    p.put("qwen2-vl", () -> areaBilled("qwen2-vl", QWEN_SOURCE, VisionTokenCost.qwenVl()));
    p.put("qwen2.5-vl:ollama", () -> areaBilled("qwen2.5-vl:ollama", "Ollama's qwen25vl image"
        + " processor, smart resize within 2 << 20 pixels (read 2026-12-05)",
        new ImageRules.QwenResize(56 * 56, 2L << 20, "ollama")));
    return p;
  }

  private static final String QWEN_SOURCE =
      "qwen-vl-utils smart_resize, default min and max pixels (read 2026-12-05)";

  private static void tiles(Map<String, Supplier<VisionReader>> p, String model, int base,
      int tile, String source) {
    p.put(model, () -> new VisionReader(model, source + ": tiles, base " + base + ", tile " + tile,
        VisionTokenCost.openAiTiles(base, tile), TokenCounter.o200k(),
        Map.of(Tier.LARGE, 768, Tier.BASE, 768, Tier.SMALL, 512), Map.of(Tier.TINY, Detail.LOW),
        Legibility.uniform()));
  }

  private static void patches(Map<String, Supplier<VisionReader>> p, String model, int multiplier,
      int budget, String source) {
    p.put(model, () -> areaBilled(model, source + ": patches x" + multiplier / 100.0 + ", budget "
        + budget, VisionTokenCost.openAiPatches(multiplier, budget, Integer.MAX_VALUE)));
  }

  private static VisionReader areaBilled(String name, String source, VisionTokenCost cost) {
    return new VisionReader(name, source, cost, TokenCounter.o200k(),
        Map.of(Tier.LARGE, 768, Tier.BASE, 768), Map.of(), Legibility.uniform());
  }

  private static VisionReader geminiTiles(String name, String source) {
    return new VisionReader(name, source, VisionTokenCost.gemini(), TokenCounter.o200k(),
        Map.of(Tier.LARGE, 768, Tier.BASE, 768, Tier.TINY, 384), Map.of(), Legibility.uniform());
  }

  private static VisionReader flat(String name, String source, int tokens) {
    return new VisionReader(name, source, VisionTokenCost.flat(tokens, name), TokenCounter.o200k(),
        Map.of(), Map.of(), Legibility.uniform());
  }

  /**
   * A reader by its name ({@link #NAMES}, or one of {@link #ALIAS_NAMES}), or a reader kept by
   * {@code optical-memory price --calibrate --keep FILE}: a path ending in {@code .properties}.
   *
   * @param name one of {@link #NAMES} or {@link #ALIAS_NAMES}, or a calibrated profile's file
   * @return the reader
   * @throws IllegalArgumentException naming the known readers if {@code name} is not one
   */
  public static VisionReader named(String name) {
    String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
    if (key.endsWith(".properties")) {
      return Calibration.load(java.nio.file.Path.of(name.strip()));
    }
    Supplier<VisionReader> profile = PROFILES.get(ALIASES.getOrDefault(key, key));
    if (profile == null) {
      throw new IllegalArgumentException("reader must be one of " + String.join(", ", NAMES)
          + " (or " + String.join(", ", new java.util.TreeSet<>(ALIASES.keySet()))
          + ", or a calibrated profile's .properties file), but is: " + name);
    }
    return profile.get();
  }

  /**
   * DeepSeek-OCR on a server that takes the mode per image: each tier at its mode (Large 1280, Base
   * 1024, Small 640, Tiny 512), counted as the ids in the decoder's sequence (421, 273, 111, 73).
   * Text is counted with o200k unless {@link #withTextCounter} gives DeepSeek's own tokenizer.
   * Stock vLLM does not take the mode per image: see {@link #deepSeekOcrServer(String)}.
   *
   * @return DeepSeek-OCR, by resolution mode
   */
  public static VisionReader deepSeekOcr() {
    return new VisionReader("deepseek-ocr", "DeepSeek-OCR paper (arXiv 2510.18234) and repository,"
        + " mode per image (read 2026-12-05)", VisionTokenCost.deepSeekOcr(true),
        TokenCounter.o200k(), Map.of(), Map.of(), Legibility.foxTable());
  }

  /**
   * DeepSeek-OCR on a server whose mode is fixed ({@link VisionTokenCost#deepSeekOcrServer}). With
   * tiny, small, base or large every page costs the same, and a page above the mode is read at the
   * mode (its legibility is the mode's). With gundam, vLLM's default, LARGE and BASE pages cost 693
   * and SMALL and TINY pages 273: TINY saves nothing over SMALL, so the assembler, which only moves
   * a page down when that saves tokens, skips it and leaves a page out instead. Gundam thus keeps
   * two of the forgetting mechanism's four steps.
   *
   * @param mode tiny, small, base, large or gundam
   * @return the reader
   */
  public static VisionReader deepSeekOcrServer(String mode) {
    VisionTokenCost cost = VisionTokenCost.deepSeekOcrServer(mode);
    Legibility fox = Legibility.foxTable();
    Tier cap = switch (mode) {
      case "tiny" -> Tier.TINY;
      case "small" -> Tier.SMALL;
      case "base" -> Tier.BASE;
      default -> Tier.LARGE;
    };
    Legibility legibility = (tier, textTokens) -> fox.of(cap.isAbove(tier) ? tier : cap, textTokens);
    return new VisionReader("deepseek-ocr:" + mode, "vLLM deepseek_ocr processor and DeepSeek-OCR"
        + " config.py, server mode " + mode + " (read 2026-12-05)", cost, TokenCounter.o200k(),
        Map.of(), Map.of(), legibility);
  }

  /**
   * OpenAI GPT-4o: LARGE and BASE at 768 px, high detail (765 tokens: OpenAI scales either to 768
   * itself); SMALL at 512 px, high detail (one tile, 255); TINY at 512 px, low detail (85).
   *
   * @return GPT-4o
   */
  public static VisionReader openAi() {
    return named("gpt-4o");
  }

  /**
   * Anthropic Claude before Opus 4.7: LARGE and BASE at 768 px (784 tokens), SMALL and TINY at their
   * own size (529, 361). Text counted with o200k as an estimate (Claude's tokenizer is not public).
   *
   * @return Claude
   */
  public static VisionReader anthropic() {
    return named("claude");
  }

  /**
   * Google Gemini 2.0: LARGE, BASE and SMALL at up to 768 px (four tiles, 1,032 tokens), TINY at 384
   * px (258). Text counted with o200k as an estimate.
   *
   * @return Gemini 2.0
   */
  public static VisionReader gemini() {
    return named("gemini-2.0");
  }

  /**
   * Qwen2-VL / Qwen2.5-VL through qwen-vl-utils: LARGE and BASE at 768 px (731 tokens), SMALL and
   * TINY at their own size (531, 326). Text counted with o200k as an estimate.
   *
   * @return Qwen2.5-VL
   */
  public static VisionReader qwenVl() {
    return areaBilled("qwen2.5-vl", QWEN_SOURCE, VisionTokenCost.qwenVl());
  }

  /**
   * A reader of your own.
   *
   * @param sides the side in pixels each image tier is sent at (default: the tier's own size)
   * @param details the detail each image tier is sent at (default HIGH)
   * @param name its name, for reports
   * @param cost what an image costs it
   * @param textCounter how it counts text
   * @return the reader
   */
  public static VisionReader of(String name, VisionTokenCost cost, TokenCounter textCounter,
      Map<Tier, Integer> sides, Map<Tier, Detail> details) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but is: " + name);
    }
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(textCounter, "textCounter");
    Map<Tier, Integer> s = new EnumMap<>(Tier.class);
    sides.forEach((tier, side) -> {
      if (!tier.isImage() || side < 16 || side > tier.mode().pixels()) {
        throw new IllegalArgumentException("sides: " + tier + " must be an image tier sent at 16 to "
            + (tier.isImage() ? tier.mode().pixels() : 0) + " px, but is " + side);
      }
      s.put(tier, side);
    });
    Map<Tier, Detail> d = new EnumMap<>(Tier.class);
    d.putAll(details);
    return new VisionReader(name, "given by the caller", cost, textCounter, s, d,
        Legibility.uniform());
  }

  /**
   * This reader with its image prices scaled by {@code factor} (rounded up), as measured on a
   * server by {@code optical-memory price --calibrate}.
   *
   * @param factor what the server billed over what this profile priced, 0.1 to 10
   * @param measuredOn the model and server it was measured on, for reports
   * @return a new reader named {@code NAME@calibrated}
   */
  public VisionReader calibrated(double factor, String measuredOn) {
    if (!(factor >= 0.1 && factor <= 10)) {
      throw new IllegalArgumentException("factor must be 0.1 to 10, but is: " + factor);
    }
    Map<Tier, Integer> sides = new EnumMap<>(Tier.class);
    Map<Tier, Detail> details = new EnumMap<>(Tier.class);
    deliveries.forEach((tier, d) -> {
      sides.put(tier, d.side());
      details.put(tier, d.detail());
    });
    return new VisionReader(name + "@calibrated", source + "; calibrated on " + measuredOn,
        new ImageRules.Calibrated(cost, factor, measuredOn), textCounter, sides, details,
        legibility);
  }

  /**
   * This reader, counting text with {@code counter} (for example DeepSeek's tokenizer).
   *
   * @param counter the text counter
   * @return a new reader
   */
  public VisionReader withTextCounter(TokenCounter counter) {
    Objects.requireNonNull(counter, "counter");
    return copy(counter, legibility);
  }

  /**
   * This reader, with {@code legibility} telling the {@link ContextAssembler} how well it reads
   * each tier. DeepSeek-OCR's is {@link Legibility#foxTable()}, from its paper; the other readers'
   * is {@link Legibility#uniform()}, for want of a published measure: the assembler then blurs
   * every page before it leaves one out.
   *
   * @param legibility how well it reads each tier
   * @return a new reader
   */
  public VisionReader withLegibility(Legibility legibility) {
    Objects.requireNonNull(legibility, "legibility");
    return copy(textCounter, legibility);
  }

  /**
   * This reader for a client that cannot ask for a detail level (Spring AI's media carry none, so
   * the server takes its default): every page is priced at high detail, never at a lower price the
   * request would not get.
   *
   * @return a new reader, or this one if it asks for no low detail
   */
  public VisionReader withHighDetailOnly() {
    if (deliveries.values().stream().allMatch(d -> d.detail() == Detail.HIGH)) {
      return this;
    }
    Map<Tier, Integer> sides = new EnumMap<>(Tier.class);
    deliveries.forEach((tier, d) -> sides.put(tier, d.side()));
    return new VisionReader(name, source + "; high detail only", cost, textCounter, sides,
        Map.of(), legibility);
  }

  private VisionReader copy(TokenCounter counter, Legibility legibility) {
    Map<Tier, Integer> sides = new EnumMap<>(Tier.class);
    Map<Tier, Detail> details = new EnumMap<>(Tier.class);
    deliveries.forEach((tier, d) -> {
      sides.put(tier, d.side());
      details.put(tier, d.detail());
    });
    return new VisionReader(name, source, cost, counter, sides, details, legibility);
  }

  /**
   * Where this profile's rule comes from, and the date it was read.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * One image's price for this reader, and the rule that gave it.
   *
   * @param width its width in pixels
   * @param height its height in pixels
   * @param detail the detail it is sent at
   * @return the price
   * @throws IllegalArgumentException naming the size if a side is below 1 or above 65,536
   */
  public Price price(int width, int height, Detail detail) {
    return new Price(cost.tokens(width, height, detail), cost.rule(width, height, detail));
  }

  /**
   * The most images one request may carry, as the vendor publishes it for its API: OpenAI models
   * 500, Claude 100, Gemini 3,000 (checked 2026-12-05); a self-hosted server (DeepSeek-OCR, Qwen)
   * publishes none, so none is assumed (set the server's own, such as vLLM's
   * {@code --limit-mm-per-prompt}, with {@link ContextAssembler.Builder#maxImages}).
   *
   * @return the limit, or {@link Integer#MAX_VALUE} where none is published
   */
  public int maxImagesPerRequest() {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.startsWith("gpt-") || n.startsWith("o1") || n.startsWith("o3") || n.startsWith("o4")
        || n.startsWith("openai")) {
      return 500;
    }
    if (n.startsWith("claude") || n.startsWith("anthropic")) {
      return 100;
    }
    if (n.startsWith("gemini")) {
      return 3_000;
    }
    return Integer.MAX_VALUE;
  }
  /**
   * The most bytes one request may weigh, as the vendor publishes it for its API (images as the
   * base64 that carries them): OpenAI 50 MB of image payload, Claude 32 MB, Gemini 20 MB inline
   * (checked 2026-12-06); a self-hosted server publishes none, so none is assumed (set one with
   * {@link ContextAssembler.Builder#maxRequestBytes}).
   *
   * @return the limit, or {@link Long#MAX_VALUE} where none is published
   */
  public long maxRequestBytes() {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.startsWith("gpt-") || n.startsWith("o1") || n.startsWith("o3") || n.startsWith("o4")
        || n.startsWith("openai")) {
      return 50_000_000L;
    }
    if (n.startsWith("claude") || n.startsWith("anthropic")) {
      return 32_000_000L;
    }
    if (n.startsWith("gemini")) {
      return 20_000_000L;
    }
    return Long.MAX_VALUE;
  }


  /**
   * The most this reader charges for one image of any size up to 8192 px a side (the largest any of
   * the profiled servers takes) at high detail: the price of an image whose size cannot be known.
   *
   * @return the largest image price
   */
  public int largestImageTokens() {
    int l = largest;
    if (l == 0) {
      for (int w = 64; w <= 8192; w += 64) {
        for (int h = 64; h <= 8192; h += 64) {
          l = Math.max(l, tokensOrZero(w, h));
        }
      }
      for (int[] edge : new int[][] {{768, 2048}, {2048, 768}, {1, 8192}, {8192, 1}}) {
        l = Math.max(l, tokensOrZero(edge[0], edge[1]));
      }
      largest = l;
    }
    return l;
  }

  /**
   * How well this reader reads each tier, as the assembler weighs it.
   *
   * @return its legibility
   */
  public Legibility legibility() {
    return legibility;
  }

  /**
   * Its name, as reports show it.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * What an image costs this reader.
   *
   * @return the cost function
   */
  public VisionTokenCost cost() {
    return cost;
  }

  /**
   * How this reader's text is counted.
   *
   * @return the counter
   */
  public TokenCounter textCounter() {
    return textCounter;
  }

  /**
   * How a page of {@code tier} is sent.
   *
   * @param tier an image tier
   * @return its size, detail and cost for this reader
   * @throws IllegalArgumentException for TEXT and FORGOTTEN, which have no page to send
   */
  public Delivery delivery(Tier tier) {
    Delivery d = tier == null ? null : deliveries.get(tier);
    if (d == null) {
      throw new IllegalArgumentException("tier must be an image tier, but is: " + tier);
    }
    return d;
  }

  private int tokensOrZero(int width, int height) {
    try {
      return cost.tokens(width, height, Detail.HIGH);
    } catch (IllegalArgumentException e) { // a shape the reader refuses costs nothing
      return 0;
    }
  }

  @Override
  public String toString() {
    return "VisionReader[" + name + ", " + deliveries.values() + "]";
  }
}
