package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.VisionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Both experiments end to end, small, on data the test writes, with the real PP-OCR engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentsTest {
  static final String[] WORDS = ("the ferry left harbour at dawn with passengers and cargo while"
      + " gulls followed the boat past the breakwater and the lighthouse keeper wrote the tide"
      + " table into his log before the storm warning reached the fish market near the quay")
      .split(" ");
  @TempDir Path tmp;
  OcrEngine ocr;

  @BeforeAll
  void open() {
    ocr = PaddleOcr.builder().build();
  }

  @AfterAll
  void close() {
    ocr.close();
  }

  static String prose(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = WORDS[random.nextInt(WORDS.length)];
      text.append(i % 12 == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w)
          .append(i % 12 == 11 ? ". " : " ");
    }
    return text.toString().strip();
  }

  @Test
  void compression_writes_rows_per_page_mode_and_path_with_a_summary_plot_and_report()
      throws Exception {
    Path corpus = tmp.resolve("corpus");
    Files.createDirectories(corpus);
    Files.writeString(corpus.resolve("harbour.txt"), prose(new Random(1), 4_000));
    Files.write(corpus.resolve("binary.bin"), new byte[] {(byte) 0xFF, 0, 1, 2});
    Path out = tmp.resolve("compression");
    List<int[]> progress = new java.util.ArrayList<>();

    CompressionExperiment.Result result = CompressionExperiment.builder().corpus(List.of(corpus))
        .engine("paddle", ocr).modes(List.of(VisionMode.SMALL, VisionMode.TINY)).pagesPerBucket(1)
        .limit(2).fonts(FontSet.latinOnly()).commandLine("optical-memory eval compression --test")
        .progress((stage, done, total) -> progress.add(new int[] {done, total})).build().run(out);

    assertThat(result.rows()).hasSize(2 * 2 * 3); // 2 pages, 2 modes, 3 paths
    assertThat(Files.readAllLines(result.csv()).get(0).split(","))
        .containsExactlyElementsOf(CompressionRow.COLUMNS.stream().map(Reports.Column::name)
            .toList());
    for (CompressionRow row : result.rows()) {
      assertThat(row.bucket()).get().isIn("600-700", "700-800");
      int tokens = row.textTokens();
      int vision = row.visionTokens();
      assertThat(vision).isEqualTo(row.mode().equals("small") ? 100 : 64);
      assertThat(row.compressionRatio()).isCloseTo(tokens / (double) vision,
          org.assertj.core.data.Offset.offset(0.01));
      assertThat(row.precision()).as("%s", row).isGreaterThan(0.9);
    }
    assertThat(Files.readString(result.summary())).contains("### paddle, downscaled")
        .contains("| 600-700 |");
    assertThat(PageImages.decode(Files.readAllBytes(result.plot())).getWidth()).isEqualTo(900);
    assertThat(Files.readString(result.html())).contains("optical-memory eval compression --test")
        .contains("compression-precision.png").contains("DeepSeek-OCR on Fox");
    assertThat(progress.get(progress.size() - 1)).containsExactly(12, 12);
  }

  @Test
  void memory_pages_score_what_a_real_memory_decoded_at_each_tier_and_a_rerun_replaces_them()
      throws Exception {
    Path corpus = tmp.resolve("memory-corpus");
    Files.createDirectories(corpus);
    Files.copy(locomo(40), corpus.resolve("7.json"));
    Path out = tmp.resolve("memory-pages-out");
    List<CompressionRow> memoryRows = null;
    for (int run = 0; run < 2; run++) {
      CompressionExperiment.Result result = CompressionExperiment.builder()
          .corpus(List.of(corpus)).engine("paddle", ocr).modes(List.of(VisionMode.TINY))
          .pagesPerBucket(1).limit(1).memoryPages(true).fonts(FontSet.latinOnly()).build()
          .run(out);
      List<CompressionRow> rows = result.rows().stream()
          .filter(r -> r.path().equals("memory")).toList();
      assertThat(rows).extracting(CompressionRow::mode).contains("base", "small", "tiny");
      for (CompressionRow row : rows) {
        assertThat(row.precision()).as("%s", row).isBetween(0.8, 1.0);
        assertThat(row.wordAccuracy().getAsDouble()).as("%s", row).isBetween(0.5, 1.0);
        assertThat(row.corpus()).isEqualTo("7");
      }
      if (memoryRows != null) {
        assertThat(rows).as("a rerun scores the same pages, not a conversation appended twice")
            .hasSameSizeAs(memoryRows);
      }
      memoryRows = rows;
      assertThat(Files.readString(result.summary())).contains("### The memory's own pages")
          .contains("| paddle, base |");
    }
    assertThat(out.resolve("memory-pages/paddle-TINY-7.mv.db")).exists();
  }

  /** A LoCoMo-format conversation: 3 sittings, facts planted in the first, questions about them. */
  Path locomo(int turnsPerSession) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ObjectNode conversation = root.putObject("conversation");
    conversation.put("speaker_a", "Mira");
    conversation.put("speaker_b", "Tomas");
    Random random = new Random(5);
    String[] facts = {"My locker code is 4417.", "The spare key hangs in the red boathouse.",
        "Grandma Ilse turns ninety in October."};
    for (int s = 1; s <= 3; s++) {
      conversation.put("session_" + s + "_date_time", "10:0" + s + " am on " + s + " May, 2023");
      ArrayNode turns = conversation.putArray("session_" + s);
      for (int t = 1; t <= turnsPerSession; t++) {
        ObjectNode turn = turns.addObject();
        turn.put("speaker", t % 2 == 0 ? "Tomas" : "Mira");
        turn.put("dia_id", "D" + s + ":" + t);
        String text = prose(random, 25 + random.nextInt(20));
        if (s == 1 && t <= facts.length) {
          text = text + " " + facts[t - 1];
        }
        turn.put("text", text);
      }
    }
    ArrayNode qa = root.putArray("qa");
    qa.addObject().put("question", "What is the locker code?").put("answer", "4417")
        .put("category", 1).putArray("evidence").add("D1:1");
    qa.addObject().put("question", "Where is the spare key?").put("answer", "red boathouse")
        .put("category", 2).putArray("evidence").add("D1:2");
    qa.addObject().put("question", "When is the birthday?").put("answer", "October")
        .put("category", 5).putArray("evidence").add("D1:3");
    qa.addObject().put("question", "Who paid?").put("answer", "nobody said")
        .put("category", 1).putArray("evidence").add("D1:4");
    Path file = tmp.resolve("fixture.json");
    Files.writeString(file, json.writeValueAsString(root));
    return file;
  }

  @Test
  void forgetting_probes_only_verbatim_answers_and_pages_outlive_a_text_window_of_equal_budget()
      throws Exception {
    Path file = locomo(50);
    Path out = tmp.resolve("forgetting");
    ForgettingExperiment.Result result = ForgettingExperiment.builder().locomo(List.of(file))
        .policies(List.of("text-window", "tier-small")).budgets(List.of(3_000)).ocr(ocr)
        .pageReader(AgedPageReader.deepSeekModelled(42))
        .checkpointEvery(50).fonts(FontSet.latinOnly()).commandLine("eval forgetting --test")
        .build().run(out);

    assertThat(result.rows()).extracting(r -> r.question()).containsOnly(0, 1);
    assertThat(result.rows()).hasSize(2 * 2 * 3 * 2); // readers x policies x checkpoints x questions
    Map<String, List<ForgettingRow>> byReader = result.rows().stream()
        .collect(Collectors.groupingBy(r -> r.reader()));
    assertThat(byReader).containsOnlyKeys("paddle", "deepseek-modelled");
    assertThat(byReader.get("deepseek-modelled")).allSatisfy(r ->
        assertThat(r.measured()).isFalse());
    for (int i = 0; i < byReader.get("paddle").size(); i++) {
      ForgettingRow measured = byReader.get("paddle").get(i);
      ForgettingRow modelled = byReader.get("deepseek-modelled").get(i);
      assertThat(modelled.sentAs()).isEqualTo(measured.sentAs());
      if (measured.sentAs().equals("SMALL")) {
        assertThat(modelled.compression().getAsDouble())
            .isEqualTo(modelled.pageTextTokens().getAsInt() / 100.0, within(0.05));
      } else {
        assertThat(modelled.survived()).isEqualTo(measured.survived());
      }
    }
    Map<String, List<ForgettingRow>> last = byReader.get("paddle").stream()
        .filter(r -> r.checkpoint() == 150)
        .collect(Collectors.groupingBy(r -> r.policy()));
    assertThat(last.get("text-window")).allSatisfy(r -> {
      assertThat(r.sentAs()).isEqualTo("LEFT_OUT");
      assertThat(r.survived()).isFalse();
    });
    assertThat(last.get("tier-small")).allSatisfy(r -> {
      assertThat(r.sentAs()).isEqualTo("SMALL");
      assertThat(r.survived() ? 1 : 0).as("answer %s read from a 640 px page", r.answer())
          .isEqualTo(1);
    });
    assertThat(result.costs()).allSatisfy(c ->
        assertThat(c.contextTokens()).isLessThanOrEqualTo(3_000));
    assertThat(Files.readAllLines(result.csv()).get(0).split(","))
        .containsExactlyElementsOf(ForgettingRow.COLUMNS.stream().map(Reports.Column::name).toList());
    assertThat(Files.readString(result.summary())).contains("tier-small @ 3000")
        .contains("deepseek-modelled (model, not measured) · tier-small")
        .contains("a model calibrated on a published table, not a measurement")
        .contains("### Answers readable at the end of each conversation, by budget");
    assertThat(PageImages.decode(Files.readAllBytes(result.curve())).getHeight()).isEqualTo(560);
    for (String plot : List.of("forgetting-curve-paddle.png", "forgetting-curve-deepseek-modelled.png",
        "forgetting-budget.png", "forgetting-tiers.png")) {
      assertThat(PageImages.decode(Files.readAllBytes(out.resolve(plot))).getWidth()).isEqualTo(900);
    }
    assertThat(Files.exists(result.cost())).isTrue();
    assertThat(Files.readString(result.html())).contains("eval forgetting --test")
        .contains("forgetting-curve.png").contains("not a measurement");
  }

  @Test
  void every_system_spends_at_most_the_budget_for_the_same_reader_and_retrieval_reaches_what_the_window_lost()
      throws Exception {
    Path file = locomo(50);
    List<String> systems = List.of("text-window", "full-text", "rag", "window+rag", "optical",
        "optical+rag", "optical+read", "optical+rag+read");
    ForgettingExperiment.Result result = ForgettingExperiment.builder().locomo(List.of(file))
        .policies(systems).budgets(List.of(1_000))
        .pageReader(AgedPageReader.deepSeekModelled(42)).pageReader(AgedPageReader.deepSeekBursts(42))
        .checkpointEvery(150).fonts(FontSet.latinOnly()).build().run(tmp.resolve("systems"));

    assertThat(result.rows()).extracting(r -> r.policy()).containsOnlyElementsOf(systems)
        .contains(systems.toArray(String[]::new));
    assertThat(result.rows()).filteredOn(r -> !r.policy().equals("full-text"))
        .allSatisfy(r -> assertThat(r.contextTokens()).as("%s", r)
            .isLessThanOrEqualTo(1_000));
    assertThat(result.rows()).filteredOn(r -> r.policy().equals("full-text"))
        .allSatisfy(r -> {
          assertThat(r.survived()).isTrue();
          assertThat(r.contextTokens()).isGreaterThan(1_000);
        });
    Map<String, List<ForgettingRow>> last = result.rows().stream()
        .filter(r -> r.checkpoint() == 150 && r.reader().equals(
            "deepseek-modelled")).collect(Collectors.groupingBy(r -> r.policy()));
    assertThat(last.get("text-window")).allSatisfy(r -> assertThat(r.survived()).isFalse());
    assertThat(last.get("rag")).as("the questions name the facts' own words").allSatisfy(r -> {
      assertThat(r.survived()).isTrue();
      assertThat(r.via()).isEqualTo("retrieved");
    });
    assertThat(last.get("optical+rag")).allSatisfy(r ->
        assertThat(r.survived()).isTrue());
    assertThat(last.get("optical+read")).allSatisfy(r ->
        assertThat(r.via()).isIn("context", "read"));
    assertThat(last.get("optical+rag+read")).allSatisfy(r -> {
      assertThat(r.survived()).isTrue();
      assertThat(r.via()).isIn("context", "read", "retrieved");
    });
    assertThat(Files.readString(result.summary()))
        .contains("### Answers available, every checkpoint pooled, by budget")
        .contains("deepseek-bursts (model, not measured) · optical+rag").contains("| rag (text) |")
        .contains("### Answers available by LoCoMo category");
    assertThat(PageImages.decode(Files.readAllBytes(tmp.resolve("systems/forgetting-systems.png")))
        .getWidth()).isEqualTo(900);
  }

  @Test
  void several_shares_are_each_reported_and_bad_settings_are_refused_with_their_value()
      throws Exception {
    assertThatThrownBy(() -> ForgettingExperiment.builder().policies(List.of("rag", "rag")))
        .hasMessage("policies must each be named once, but are: [rag, rag]");
    assertThatThrownBy(() -> ForgettingExperiment.builder().shares(List.of(0.5, 0.0)))
        .hasMessage("shares must each be above 0 and below 1, but are: [0.5, 0.0]");
    assertThatThrownBy(() -> ForgettingExperiment.builder().focus(-1))
        .hasMessage("focus must be between 0 and 1000, but is: -1.0");
    assertThatThrownBy(() -> ForgettingExperiment.builder().pageFontSize(4))
        .hasMessage("pageFontSize must be between 8 and 64 pixels, but is: 4.0");
    ForgettingExperiment.Result result = ForgettingExperiment.builder()
        .locomo(List.of(locomo(50))).policies(List.of("rag", "window+rag"))
        .shares(List.of(0.25, 0.75)).budgets(List.of(1_000))
        .pageReader(AgedPageReader.deepSeekModelled(42)).checkpointEvery(150)
        .fonts(FontSet.latinOnly()).build().run(tmp.resolve("shares"));
    assertThat(result.rows()).extracting(r -> r.policy()).containsOnly("rag",
        "window+rag R25%", "window+rag R75%");
  }

  @Test
  void a_retrieval_floor_as_large_as_the_budget_leaves_optical_rag_no_pages_and_optical_read_its_share()
      throws Exception {
    assertThatThrownBy(() -> ForgettingExperiment.builder().ragFloor(-1))
        .hasMessage("ragFloor must be between 0 and 1000000, but is: -1");
    ForgettingExperiment.Result result = ForgettingExperiment.builder()
        .locomo(List.of(locomo(50)))
        .policies(List.of("rag", "optical+rag", "optical+read", "optical+rag+read"))
        .budgets(List.of(1_000, 2_500)).ragFloor(1_000)
        .pageReader(AgedPageReader.deepSeekModelled(42)).checkpointEvery(150)
        .fonts(FontSet.latinOnly()).build().run(tmp.resolve("floor"));

    Map<String, List<ForgettingRow>> small = result.rows().stream()
        .filter(r -> r.budget() == 1_000).collect(Collectors.groupingBy(ForgettingRow::policy));
    assertThat(small.get("optical+rag")).isNotEmpty().allSatisfy(r -> {
      assertThat(r.imageTokens()).isZero();
      assertThat(r.sentAs()).isIn("TEXT", "LEFT_OUT");
    });
    assertThat(small.get("optical+rag")).extracting(ForgettingRow::survived)
        .containsExactlyElementsOf(small.get("rag").stream().map(ForgettingRow::survived)
            .toList());
    assertThat(small.get("optical+rag+read")).as("no page to read: recall alone")
        .allSatisfy(r -> assertThat(r.imageTokens()).isZero())
        .extracting(ForgettingRow::survived).containsExactlyElementsOf(small.get("rag").stream()
            .map(ForgettingRow::survived).toList());
    assertThat(small.get("optical+read")).anySatisfy(r ->
        assertThat(r.imageTokens()).isPositive());
    assertThat(result.rows()).filteredOn(r -> r.budget() == 2_500
        && r.policy().equals("optical+rag")).anySatisfy(r ->
            assertThat(r.imageTokens()).as("beyond the floor, pages").isPositive());
    assertThat(Files.readString(result.summary()))
        .contains("at least 1000 tokens for the systems that retrieve");
  }

  @Test
  void the_importance_policy_spends_the_modelled_readers_budget_on_fewer_sharper_pages_where_recency_blurs_to_tiny()
      throws Exception {
    Path file = locomo(50);
    ForgettingExperiment.Result result = ForgettingExperiment.builder().locomo(List.of(file))
        .policies(List.of("tiered", "importance")).budgets(List.of(700, 1_000, 1_500, 2_000))
        .pageReader(AgedPageReader.deepSeekModelled(42)).checkpointEvery(150)
        .fonts(FontSet.latinOnly()).build().run(tmp.resolve("importance"));

    Map<String, List<Object>> sent = result.rows().stream().collect(Collectors.groupingBy(
        r -> r.policy(), Collectors.mapping(r -> r.sentAs(),
            Collectors.toList())));
    assertThat(sent.get("tiered")).as("recency: every old page down to TINY").contains("TINY");
    assertThat(sent.get("importance")).as("importance, Fox legibility: no page at TINY")
        .doesNotContain("TINY").containsAnyOf("SMALL", "BASE", "LARGE");
    assertThat(result.costs()).allSatisfy(c -> assertThat(c.contextTokens())
        .isLessThanOrEqualTo(c.budget()));
  }

  @Test
  void bad_settings_and_files_are_refused_with_the_value() throws Exception {
    assertThatThrownBy(() -> ForgettingExperiment.builder().policies(List.of("lru")))
        .hasMessage("policy must be one of [full-text, rag, window+rag, optical, optical+rag,"
            + " optical+read, optical+rag+read] or [text-window, tier-large, tier-base, tier-small, tier-tiny, tiered,"
            + " importance, importance-no-salience, importance-no-rehearsal, importance-restart,"
            + " legibility-only], but is: lru");
    assertThatThrownBy(() -> ForgettingExperiment.builder().budgets(List.of(100)))
        .hasMessage("budgets must be at least 500 tokens each, but are: [100]");
    Path notLocomo = tmp.resolve("x.json");
    Files.writeString(notLocomo, "{\"hello\": 1}");
    assertThatThrownBy(() -> Locomo.read(notLocomo))
        .hasMessage(notLocomo + ": not a LoCoMo conversation (no session_N arrays)");
    Path broken = tmp.resolve("y.json");
    Files.writeString(broken, "{\"session_1\": [");
    assertThatThrownBy(() -> Locomo.read(broken)).hasMessageStartingWith(broken
        + ": not a readable JSON file");
    Path small = tmp.resolve("small.txt");
    Files.writeString(small, "too short");
    assertThatThrownBy(() -> CompressionExperiment.builder().corpus(List.of(small))
        .engine("paddle", ocr).build().run(tmp.resolve("o")))
        .hasMessageContaining("yields no page of 600 to 1300 text tokens");
    assertThatThrownBy(() -> CompressionExperiment.builder().pagesPerBucket(0))
        .hasMessage("pagesPerBucket must be between 1 and 100, but is: 0");
  }
}
