package dev.opticalmemory.memory.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.Role;
import dev.opticalmemory.memory.Segment;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextAssemblerTest {
  OpticalMemory memory;

  /** One aged conversation "c" for every test (they only read it); other tests use their own. */
  @BeforeAll
  void open(@TempDir Path tmp) {
    memory = OpticalMemory.builder().decodeInBackground(false)
        .path(tmp.resolve("m")).fonts(FontSet.latinOnly())
        .executor(Runnable::run)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build();
    for (MemoryTurn turn : Conversations.harbour(500, 11)) {
      memory.append("c", turn);
    }
  }

  @AfterAll
  void close() {
    memory.close();
  }

  private AssembledContext assemble(VisionReader reader, int budget) {
    return ContextAssembler.builder().memory(memory).reader(reader).build().assemble("c", budget);
  }

  private AssembledContext byRecency(VisionReader reader, int budget) {
    return ContextAssembler.builder().memory(memory).reader(reader).spending(Spending.RECENCY)
        .build().assemble("c", budget);
  }

  @Test
  void every_reader_gets_old_pages_as_images_oldest_first_then_recent_turns_within_the_budget() {
    assertThat(memory.stats("c").tiers().get(Tier.FORGOTTEN)).isPositive();
    for (String name : VisionReader.NAMES) {
      for (int budget : new int[] {1_500, 3_000, 6_000, 20_000}) {
        VisionReader reader = VisionReader.named(name);
        AssembledContext context = assemble(reader, budget);
        assertThat(context.totalTokens()).as("%s at %d", name, budget).isLessThanOrEqualTo(budget);
        int byTheRule = context.texts().stream().mapToInt(ContextItem::tokens).sum()
            + context.images().stream().mapToInt(i -> reader.price(i.side(), i.side(), i.detail())
                .tokens()).sum();
        assertThat(byTheRule).as("%s at %d, each page priced by its rule", name, budget)
            .isEqualTo(context.totalTokens()).isLessThanOrEqualTo(budget);
        List<Integer> order = context.items().stream().map(ContextItem::segmentIndex).toList();
        assertThat(order).as("%s at %d", name, budget).isSorted();
        assertThat(context.items()).noneMatch(i -> i.storedTier() == Tier.FORGOTTEN);
        assertThat(context.texts()).as("recent turns as text").isNotEmpty();
        assertThat(context.fullTextTokens()).isEqualTo(memory.stats("c").textTokens());
      }
    }
    AssembledContext roomy = assemble(VisionReader.deepSeekOcr(), 20_000);
    assertThat(roomy.images()).as("old segments as pages").hasSizeGreaterThan(3);
    assertThat(roomy.degraded()).isZero();
    assertThat(roomy.omitted()).isZero();
    assertThat(roomy.compression()).isGreaterThan(1.5);
  }

  @Test
  void by_recency_a_tight_budget_first_sends_old_text_as_pages_then_lowers_old_pages_before_leaving_any_out() {
    AssembledContext roomy = byRecency(VisionReader.deepSeekOcr(), 50_000);
    List<Long> textSegments = roomy.texts().stream().map(ContextItem::segment).distinct().toList();
    int textOfClosed = roomy.texts().stream().filter(t -> t.segment() == textSegments.get(0))
        .mapToInt(ContextItem::tokens).sum();
    // Just over what sending the closed text segment as a page saves: pages must give way too.
    int budget = roomy.totalTokens() - (textOfClosed - 421) - 150;
    AssembledContext tight = byRecency(VisionReader.deepSeekOcr(), budget);

    assertThat(tight.totalTokens()).isLessThanOrEqualTo(budget);
    assertThat(tight.images()).anyMatch(i -> i.segment() == textSegments.get(0)
        && i.storedTier() == Tier.TEXT);
    assertThat(tight.texts()).allMatch(t -> t.segment() != textSegments.get(0));
    assertThat(tight.degraded()).as("old pages sent at a lower tier").isPositive();
    assertThat(tight.images()).as("no page left out while one can still get cheaper")
        .hasSize(roomy.images().size() + 1);
    assertThat(tight.images().get(0).tier()).as("the oldest page goes down first")
        .isEqualTo(Tier.TINY);
  }

  @Test
  void by_recency_pages_are_left_out_oldest_first_only_once_every_page_is_at_its_cheapest_tier() {
    AssembledContext roomy = byRecency(VisionReader.deepSeekOcr(), 50_000);
    List<Long> stored = roomy.images().stream().map(ContextItem::segment).toList();
    int leftOut = 0;
    for (String name : List.of("deepseek-ocr", "gpt-4o", "claude", "qwen2.5-vl")) {
      VisionReader reader = VisionReader.named(name);
      int cheapest = reader.delivery(Tier.TINY).tokens();
      for (int budget = roomy.totalTokens(); budget >= 1_200; budget -= 150) {
        AssembledContext context = byRecency(reader, budget);
        List<PageItem> images = context.images();
        for (int i = 1; i < images.size(); i++) {
          assertThat(images.get(i - 1).tier().ordinal())
              .as("%s at %d: an older page is never sharper than a newer one", name, budget)
              .isGreaterThanOrEqualTo(images.get(i).tier().ordinal());
        }
        List<Long> kept = images.stream().map(ContextItem::segment).filter(stored::contains)
            .toList();
        if (kept.size() < stored.size()) {
          leftOut++;
          assertThat(images).as("%s at %d: pages left out only once all are cheapest", name,
              budget).allMatch(i -> i.tokens() == cheapest);
          assertThat(kept).as("%s at %d: the newest pages are the ones kept", name, budget)
              .isEqualTo(stored.subList(stored.size() - kept.size(), stored.size()));
        }
      }
    }
    assertThat(leftOut).as("the budgets tried are tight enough to leave pages out").isPositive();
  }

  @Test
  void by_importance_a_reader_that_reads_every_tier_alike_gets_every_page_at_its_cheapest_before_any_is_left_out() {
    AssembledContext roomy = assemble(VisionReader.openAi(), 50_000);
    int leftOut = 0;
    for (int budget = roomy.totalTokens(); budget >= 1_200; budget -= 150) {
      AssembledContext context = assemble(VisionReader.openAi(), budget);
      assertThat(context.totalTokens()).isLessThanOrEqualTo(budget);
      if (context.choices().stream().anyMatch(ContextChoice::leftOut)) {
        leftOut++;
        assertThat(context.images()).as("at %d: pages left out only once all are cheapest", budget)
            .allMatch(i -> i.tier() == Tier.TINY);
      }
      assertThat(context.choices()).as("at %d: every blurred or missing page explained", budget)
          .hasSize((int) (context.images().stream().filter(i -> i.tier() != i.storedTier())
              .count() + context.choices().stream().filter(ContextChoice::leftOut).count()))
          .allMatch(c -> !c.reason().isBlank());
    }
    assertThat(leftOut).isPositive();
  }

  @Test
  void by_importance_deepseek_ocr_gets_fewer_pages_left_sharp_rather_than_every_page_blurred_to_tiny() {
    AssembledContext roomy = assemble(VisionReader.deepSeekOcr(), 50_000);
    int budget = roomy.totalTokens() / 3;
    AssembledContext byImportance = assemble(VisionReader.deepSeekOcr(), budget);
    AssembledContext byAge = byRecency(VisionReader.deepSeekOcr(), budget);

    assertThat(byImportance.totalTokens()).isLessThanOrEqualTo(budget);
    assertThat(byImportance.images()).as("no page blurred to TINY while others are left out")
        .allMatch(i -> i.tier() != Tier.TINY || i.storedTier() == Tier.TINY);
    assertThat(byImportance.choices()).anyMatch(ContextChoice::leftOut)
        .allMatch(c -> c.reason().startsWith("importance: the least value lost per token saved")
            || c.storedTier() == Tier.TEXT);
    assertThat(byAge.images()).as("the recency rule blurs to TINY first")
        .anyMatch(i -> i.tier() == Tier.TINY && i.storedTier() != Tier.TINY);
    // What the Fox table says the reader still reads, weighed alike: more by importance.
    assertThat(legible(byImportance)).isGreaterThan(legible(byAge));
  }

  private double legible(AssembledContext context) {
    Legibility fox = Legibility.foxTable();
    Map<Long, Segment> byId = new java.util.HashMap<>();
    memory.segments("c").forEach(s -> byId.put(s.id(), s));
    return context.images().stream().mapToDouble(i -> fox.of(i.tier(),
        byId.get(i.segment()).textTokens())).sum();
  }

  @Test
  void when_text_does_not_fit_a_closed_segment_is_sent_as_its_rendered_page_instead() {
    AssembledContext roomy = assemble(VisionReader.deepSeekOcr(), 50_000);
    List<Long> textSegments = roomy.texts().stream().map(ContextItem::segment).distinct().toList();
    assertThat(textSegments).as("a closed TEXT segment and the open one").hasSizeGreaterThan(1);
    int budget = roomy.totalTokens() - 100;
    AssembledContext tight = assemble(VisionReader.deepSeekOcr(), budget);

    assertThat(tight.totalTokens()).isLessThanOrEqualTo(budget);
    PageItem page = tight.images().stream().filter(i -> i.storedTier() == Tier.TEXT)
        .findFirst().orElseThrow();
    assertThat(page.segment()).isEqualTo(textSegments.get(0));
    assertThat(page.tier()).isEqualTo(Tier.LARGE);
    assertThat(tight.texts()).noneMatch(t -> t.segment() == page.segment());
    assertThat(PageImages.decode(ContextAssembler.builder().memory(memory).build()
        .png("c", page)).getWidth()).isEqualTo(1280);
  }

  @Test
  void the_newest_turns_under_the_floor_always_stay_and_a_budget_below_them_is_refused() {
    ContextAssembler assembler = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).recentTurnsFloor(6).build();
    AssembledContext small = assembler.assemble("c", 400);
    List<MemoryTurn> newest = newestTurns(6);
    assertThat(small.texts().stream().map(TextItem::turn).toList()).endsWith(
        newest.toArray(new MemoryTurn[0]));
    assertThat(small.images()).isEmpty();

    assertThatThrownBy(() -> assembler.assemble("c", 20))
        .isInstanceOf(ContextBudgetException.class)
        .hasMessageStartingWith("budget of 20 tokens for gpt-4o is too small for conversation 'c':"
            + " its newest 6 turns (the floor) alone cost")
        .satisfies(e -> assertThat(((ContextBudgetException) e).floorTokens()).isGreaterThan(20));
    assertThatThrownBy(() -> assembler.assemble("c", 0))
        .hasMessage("budget must be at least 1 token, but is: 0");
    assertThatThrownBy(() -> assembler.assemble("nobody", 100))
        .hasMessage("conversation is unknown: 'nobody'");
  }

  private List<MemoryTurn> newestTurns(int n) {
    List<MemoryTurn> all = new ArrayList<>();
    for (Segment s : memory.segments("c")) {
      if (s.tier() == Tier.TEXT) {
        all.addAll(memory.operations().turns("c", s.id()));
      }
    }
    return all.subList(all.size() - n, all.size());
  }

  @Test
  void a_tool_call_and_its_results_stay_or_go_together() {
    Map<String, String> group = Map.of(ContextAssembler.GROUP_ATTRIBUTE, "call-1");
    memory.append("t", MemoryTurn.user("User", "What is the tide at noon?"));
    memory.append("t", new MemoryTurn(Role.ASSISTANT, "Assistant", "[calls tide_table(noon)]",
        null, group));
    memory.append("t", new MemoryTurn(Role.TOOL, "tide_table", "High water 12:04, 4.1 m.", null,
        group));
    memory.append("t", MemoryTurn.assistant("Assistant", "High water is at 12:04."));
    memory.append("t", MemoryTurn.user("User", "Thanks."));
    ContextAssembler assembler = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).recentTurnsFloor(1).build();
    int all = assembler.assemble("t", 10_000).totalTokens();
    for (int budget = 5; budget <= all; budget++) {
      AssembledContext context;
      try {
        context = assembler.assemble("t", budget);
      } catch (ContextBudgetException tooSmall) {
        continue;
      }
      long members = context.texts().stream()
          .filter(i -> "call-1".equals(i.turn().attributes().get(ContextAssembler.GROUP_ATTRIBUTE)))
          .count();
      assertThat(members).as("budget %d", budget).isIn(0L, 2L);
    }
  }

  @Test
  void an_image_item_is_sent_as_a_png_at_the_readers_size() {
    ContextAssembler assembler = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).build();
    PageItem base = assembler.assemble("c", 50_000).images().stream()
        .filter(i -> i.tier() == Tier.BASE).findFirst().orElseThrow();
    byte[] png = assembler.png("c", base);
    assertThat(PageImages.decode(png).getWidth()).isEqualTo(768);
    assertThat(base.tokens()).isEqualTo(765);
  }

  @Test
  void pages_are_sent_as_16_grey_levels_by_default_smaller_than_8_bit_and_other_forms_are_refused() {
    ContextAssembler sixteen = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).build();
    ContextAssembler eight = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).sentEncoding(dev.opticalmemory.renderer.PageEncoding.GRAY8_PNG)
        .build();
    PageItem page = sixteen.assemble("c", 50_000).images().get(0);
    byte[] small = sixteen.png("c", page);
    byte[] full = eight.png("c", page);
    assertThat(PageImages.isPng(small)).isTrue();
    assertThat(small[24]).as("the PNG's bit depth").isEqualTo((byte) 4);
    assertThat(full[24]).isEqualTo((byte) 8);
    assertThat(small.length).isLessThan(full.length);
    assertThat(PageImages.decode(small).getWidth()).isEqualTo(PageImages.decode(full).getWidth());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContextAssembler.builder()
        .sentEncoding(dev.opticalmemory.renderer.PageEncoding.BILEVEL_CONTEXT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encoding must be a PNG a model can read (GRAY8_PNG, GRAY16_PNG or GRAY4_PNG),"
            + " but is: BILEVEL_CONTEXT");
  }

  @Test
  void a_request_carries_no_more_images_than_the_limit_and_the_least_valuable_pages_leave_first() {
    ContextAssembler unlimited = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).build();
    AssembledContext all = unlimited.assemble("c", 50_000);
    assertThat(all.images().size()).as("the fixture sends several pages").isGreaterThan(2);
    ContextAssembler two = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).maxImages(2).build();
    AssembledContext limited = two.assemble("c", 50_000);
    assertThat(limited.images()).hasSize(2);
    assertThat(limited.choices()).filteredOn(c -> c.leftOut())
        .hasSize(all.images().size() - 2)
        .allSatisfy(c -> assertThat(c.reason()).startsWith("images: a request may carry 2 for"));
    assertThat(limited.totalTokens()).isLessThan(all.totalTokens());
    assertThat(VisionReader.named("claude").maxImagesPerRequest()).isEqualTo(100);
    assertThat(VisionReader.named("gpt-4o").maxImagesPerRequest()).isEqualTo(500);
    assertThat(VisionReader.named("qwen2.5-vl").maxImagesPerRequest()).isEqualTo(Integer.MAX_VALUE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContextAssembler.builder().maxImages(0))
        .hasMessage("maxImages must be at least 1, but is: 0");
  }

  /** A request's weight as sent: the base64 of each page's PNG, and each turn's text as UTF-8. */
  private static long requestBytes(ContextAssembler assembler, AssembledContext context) {
    long bytes = 0;
    for (ContextItem item : context.items()) {
      bytes += item instanceof PageItem page
          ? java.util.Base64.getEncoder().encode(assembler.png("c", page)).length
          : ((TextItem) item).text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return bytes;
  }

  @Test
  void a_request_weighs_no_more_than_its_byte_limit_and_the_least_valuable_pages_step_down_first() {
    ContextAssembler unlimited = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).build();
    AssembledContext all = unlimited.assemble("c", 50_000);
    long full = requestBytes(unlimited, all);
    assertThat(all.images().size()).as("the fixture sends several pages").isGreaterThan(2);
    long limit = full / 3;
    ContextAssembler light = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).maxRequestBytes(limit).build();
    AssembledContext limited = light.assemble("c", 50_000);
    assertThat(requestBytes(light, limited)).isLessThanOrEqualTo(limit).isGreaterThan(0);
    assertThat(limited.choices()).isNotEmpty().allSatisfy(c ->
        assertThat(c.reason()).startsWith("bytes: a request may weigh " + limit + " bytes for"));
    assertThat(limited.texts()).as("the text turns stay: only pages weigh much")
        .hasSameSizeAs(all.texts());
    assertThat(limited.totalTokens()).isLessThanOrEqualTo(all.totalTokens());
    assertThat(VisionReader.named("gemini-2.5").maxRequestBytes()).isEqualTo(20_000_000L);
    assertThat(VisionReader.named("claude").maxRequestBytes()).isEqualTo(32_000_000L);
    assertThat(VisionReader.named("gpt-4o").maxRequestBytes()).isEqualTo(50_000_000L);
    assertThat(VisionReader.named("qwen2.5-vl").maxRequestBytes()).isEqualTo(Long.MAX_VALUE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContextAssembler.builder()
        .maxRequestBytes(0)).hasMessage("maxRequestBytes must be at least 1, but is: 0");
  }

  @Test
  void a_byte_limit_the_request_is_well_within_leaves_the_context_as_it_was() {
    AssembledContext all = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).build().assemble("c", 50_000);
    AssembledContext roomy = ContextAssembler.builder().memory(memory)
        .reader(VisionReader.openAi()).maxRequestBytes(1L << 40).build().assemble("c", 50_000);
    assertThat(roomy.items()).isEqualTo(all.items());
  }
}
