package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.TokenCounter;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reader of the context: how it counts image tokens, how it counts text tokens, and at what size
 * and detail each tier's page is sent to it.
 *
 * <p>The size is chosen per reader from how it bills (the README's "Context budgets" explains the
 * choice). DeepSeek-OCR's modes are the tiers. No other reader is sent more than 768 px: a reader
 * that bills by tile (OpenAI, Gemini) shrinks larger pages to 768 itself at the same price, and one
 * that bills by area (Anthropic, Qwen-VL) would pay more for a 1024 px page than for the text on it
 * (1,399 Claude tokens for about 1,000 text tokens), while 768 px still reads at 0.999 with PP-OCR
 * (640 px: 0.999, 512: 0.997). Below 768 each tier goes at its own size; a page is never enlarged.
 */
public final class VisionReader {
  /** The size and detail one tier's page is sent at, and what that costs. */
  public record Delivery(Tier tier, int side, Detail detail, int tokens) {}

  private final String name;
  private final VisionTokenCost cost;
  private final TokenCounter textCounter;
  private final Map<Tier, Delivery> deliveries;
  private final Legibility legibility;

  private VisionReader(String name, VisionTokenCost cost, TokenCounter textCounter,
      Map<Tier, int[]> sides, Map<Tier, Detail> details, Legibility legibility) {
    this.name = name;
    this.cost = cost;
    this.textCounter = textCounter;
    this.legibility = legibility;
    Map<Tier, Delivery> map = new EnumMap<>(Tier.class);
    for (Tier tier : Tier.values()) {
      if (tier.isImage()) {
        int side = sides.containsKey(tier) ? sides.get(tier)[0] : tier.mode().pixels();
        Detail detail = details.getOrDefault(tier, Detail.HIGH);
        map.put(tier, new Delivery(tier, side, detail, cost.tokens(side, side, detail)));
      }
    }
    this.deliveries = map;
  }

  /** The readers the command line knows, by name. */
  public static final List<String> NAMES =
      List.of("deepseek-ocr", "openai", "anthropic", "gemini", "qwen-vl");

  /**
   * A reader by its command-line name ({@link #NAMES}).
   *
   * @param name one of {@link #NAMES}
   * @return the reader
   * @throws IllegalArgumentException naming the known readers if {@code name} is not one
   */
  public static VisionReader named(String name) {
    switch (name == null ? "" : name) {
      case "deepseek-ocr":
        return deepSeekOcr();
      case "openai":
        return openAi();
      case "anthropic":
        return anthropic();
      case "gemini":
        return gemini();
      case "qwen-vl":
        return qwenVl();
      default:
        throw new IllegalArgumentException("reader must be one of " + NAMES + ", but is: " + name);
    }
  }

  /**
   * DeepSeek-OCR: each tier at its mode (Large 1280, Base 1024, Small 640, Tiny 512), counted as the
   * ids in the decoder's sequence (421, 273, 111, 73). Text is counted with o200k unless
   * {@link #withTextCounter} gives DeepSeek's own tokenizer.
   *
   * @return DeepSeek-OCR, by resolution mode
   */
  public static VisionReader deepSeekOcr() {
    return new VisionReader("deepseek-ocr", VisionTokenCost.deepSeekOcr(true), TokenCounter.o200k(),
        Map.of(), Map.of(), Legibility.foxTable());
  }

  /**
   * OpenAI GPT-4o family: LARGE and BASE at 768 px, high detail (765 tokens: OpenAI scales either to
   * 768 itself); SMALL at 512 px, high detail (one tile, 255); TINY at 512 px, low detail (85).
   *
   * @return OpenAI's GPT-4o family
   */
  public static VisionReader openAi() {
    return new VisionReader("openai", VisionTokenCost.openAi(), TokenCounter.o200k(),
        Map.of(Tier.LARGE, new int[] {768}, Tier.BASE, new int[] {768}, Tier.SMALL, new int[] {512}),
        Map.of(Tier.TINY, Detail.LOW), Legibility.uniform());
  }

  /**
   * Anthropic Claude: LARGE and BASE at 768 px (787 tokens), SMALL and TINY at their own size (547,
   * 350). Text counted with o200k as an estimate (Claude's tokenizer is not public).
   *
   * @return Anthropic's Claude
   */
  public static VisionReader anthropic() {
    return new VisionReader("anthropic", VisionTokenCost.anthropic(), TokenCounter.o200k(),
        Map.of(Tier.LARGE, new int[] {768}, Tier.BASE, new int[] {768}), Map.of(),
        Legibility.uniform());
  }

  /**
   * Google Gemini 2.x: LARGE and BASE at 768 px (one tile), SMALL and TINY at their own size: 258
   * tokens each. Every tier costs the same, so the assembler's only saving is to leave a page out.
   * Text counted with o200k as an estimate.
   *
   * @return Google's Gemini 2.x
   */
  public static VisionReader gemini() {
    return new VisionReader("gemini", VisionTokenCost.gemini(), TokenCounter.o200k(),
        Map.of(Tier.LARGE, new int[] {768}, Tier.BASE, new int[] {768}), Map.of(),
        Legibility.uniform());
  }

  /**
   * Qwen2-VL / Qwen2.5-VL: LARGE and BASE at 768 px (731 tokens), SMALL and TINY at their own size
   * (531, 326). Text counted with o200k as an estimate.
   *
   * @return Qwen2/2.5-VL
   */
  public static VisionReader qwenVl() {
    return new VisionReader("qwen-vl", VisionTokenCost.qwenVl(), TokenCounter.o200k(),
        Map.of(Tier.LARGE, new int[] {768}, Tier.BASE, new int[] {768}), Map.of(),
        Legibility.uniform());
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
    Objects.requireNonNull(cost, "cost must not be null");
    Objects.requireNonNull(textCounter, "textCounter must not be null");
    Map<Tier, int[]> s = new EnumMap<>(Tier.class);
    sides.forEach((tier, side) -> {
      if (!tier.isImage() || side < 16 || side > tier.mode().pixels()) {
        throw new IllegalArgumentException("sides: " + tier + " must be an image tier sent at 16 to "
            + (tier.isImage() ? tier.mode().pixels() : 0) + " px, but is " + side);
      }
      s.put(tier, new int[] {side});
    });
    Map<Tier, Detail> d = new EnumMap<>(Tier.class);
    d.putAll(details);
    return new VisionReader(name, cost, textCounter, s, d, Legibility.uniform());
  }

  /**
   * This reader, counting text with {@code counter} (for example DeepSeek's tokenizer).
   *
   * @param counter the text counter
   * @return a new reader
   */
  public VisionReader withTextCounter(TokenCounter counter) {
    Objects.requireNonNull(counter, "counter must not be null");
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
    Objects.requireNonNull(legibility, "legibility must not be null");
    return copy(textCounter, legibility);
  }

  private VisionReader copy(TokenCounter counter, Legibility legibility) {
    Map<Tier, int[]> sides = new EnumMap<>(Tier.class);
    Map<Tier, Detail> details = new EnumMap<>(Tier.class);
    deliveries.forEach((tier, d) -> {
      sides.put(tier, new int[] {d.side()});
      details.put(tier, d.detail());
    });
    return new VisionReader(name, cost, counter, sides, details, legibility);
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

  @Override
  public String toString() {
    return "VisionReader[" + name + ", " + deliveries.values() + "]";
  }
}
