package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.ocr.PaddleOcr;
import dev.opticalmemory.ocr.Recognition;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageImages;
import dev.opticalmemory.renderer.PageLabel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages decoded once, in the background, at the tier they rest at: recall then reads stored text.
 * The real PP-OCR engine does the reading; {@link Counting} only counts its calls and can hold
 * the background thread's.
 */
@Timeout(600)
class BackgroundDecodeTest {
  private static OcrEngine paddle;
  @TempDir Path tmp;

  @BeforeAll
  static void loadEngine() {
    paddle = PaddleOcr.builder().build();
  }

  @AfterAll
  static void closeEngine() {
    paddle.close();
  }

  /** The real engine, counting its calls; calls from threads named "held-" wait for a latch. */
  static final class Counting implements OcrEngine {
    private final OcrEngine paddle;
    final AtomicInteger reads = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch holding = new CountDownLatch(1);

    Counting(OcrEngine paddle) {
      this.paddle = paddle;
    }

    @Override
    public String name() {
      return paddle.name();
    }

    @Override
    public Recognition read(BufferedImage image) {
      if (Thread.currentThread().getName().startsWith("held-")) {
        holding.countDown();
        try {
          release.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      reads.incrementAndGet();
      return paddle.read(image);
    }

    @Override
    public boolean isThreadSafe() {
      return paddle.isThreadSafe();
    }

    @Override
    public void close() {}
  }

  /** A memory whose pages the OCR engine reads (the page reader off unless turned on again). */
  private OpticalMemoryBuilder memory(Path path, OcrEngine ocr) {
    return OpticalMemory.builder().path(path).fonts(FontSet.latinOnly()).ocr(ocr)
        .readOwnPages(false).executor(Runnable::run).agingPolicy(AgingPolicy.fixed(Tier.SMALL));
  }

  @Test
  void a_segments_png_carries_its_layout_and_is_read_back_from_the_file_alone_by_its_font() {
    try (OpticalMemory memory = memory(tmp.resolve("png"), paddle).readOwnPages(true)
        .retention(Retention.KEEP).agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      Segment tiny = memory.segments("c").stream().filter(s -> s.tier() == Tier.TINY).findFirst()
          .orElseThrow();
      byte[] png = memory.png("c", tiny.id()).orElseThrow();

      PageLabel label = PageLabel.fromPng(png).orElseThrow();
      BufferedImage image = PageImages.decode(png);
      assertThat(image.getWidth()).isEqualTo(512);
      assertThat(label.fits(image)).isTrue();
      KnownPageDecoder.Lines lines = KnownPageDecoder.read(image, label.layout(), null,
          label.reader(dev.opticalmemory.ocr.KnownWords::contains), () -> {
            throw new AssertionError("the OCR engine was asked for");
          });
      assertThat(lines.byEngine()).isZero();
      // The file alone does not say how wrapped lines go on, so lines are compared, not joins.
      assertThat(lines.text().replaceAll("\\s+", " "))
          .isEqualTo(memory.decode("c", tiny.id()).text().replaceAll("\\s+", " "));
      assertThat(lines.text()).contains("4417");
    }
  }

  @Test
  void a_memory_drawing_with_a_font_file_of_its_own_gives_pngs_without_a_label() {
    java.util.Optional<Path> cjk = FontSet.findCjkFont();
    org.assertj.core.api.Assumptions.assumeThat(cjk)
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    try (OpticalMemory memory = memory(tmp.resolve("own-font"), paddle)
        .fonts(FontSet.builder().addFile(cjk.get()).addBundledLatin().build())
        .decodeInBackground(false).agingPolicy(AgingPolicy.fixed(Tier.BASE)).build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      Segment base = memory.segments("c").stream().filter(s -> s.tier() == Tier.BASE).findFirst()
          .orElseThrow();
      byte[] png = memory.png("c", base.id()).orElseThrow();
      assertThat(PageImages.decode(png).getWidth()).isEqualTo(1024);
      assertThat(PageLabel.fromPng(png)).isEmpty();
    }
  }

  @Test
  void a_memory_reads_its_own_pages_by_their_font_at_tiny_and_never_asks_the_ocr_engine() {
    Counting ocr = new Counting(paddle);
    try (OpticalMemory memory = memory(tmp.resolve("font"), ocr).readOwnPages(true)
        .retention(Retention.KEEP).agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      List<Segment> closed = memory.segments("c").stream().filter(s -> !s.open()).toList();
      assertThat(closed).isNotEmpty().allSatisfy(s -> {
        assertThat(s.tier()).isEqualTo(Tier.TINY);
        assertThat(s.wordAccuracy().get(Tier.TINY)).as("segment %d", s.id())
            .isGreaterThanOrEqualTo(0.99);
      });
      List<Recollection> found = memory.recall("c", RecallRequest.of("locker code spare key").k(1));
      assertThat(found.get(0).text()).contains("4417");
      assertThat(memory.decode("c", closed.get(0).id()).text()).contains("4417");
      assertThat(ocr.reads.get()).as("the OCR engine was never asked").isZero();
    }
  }

  @Test
  void a_line_with_a_character_the_page_reader_does_not_know_goes_to_the_ocr_engine() {
    Counting ocr = new Counting(paddle);
    try (OpticalMemory memory = memory(tmp.resolve("arrow"), ocr).readOwnPages(true)
        .fonts(FontSet.defaults()).retention(Retention.KEEP)
        .agingPolicy(AgingPolicy.fixed(Tier.LARGE)).build()) {
      List<MemoryTurn> turns = Conversations.harbour(80, 11);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        if (i == 3) {
          // The arrow is drawn by the Latin font but is not among the page reader's characters.
          memory.append("c", MemoryTurn.user("Mira", "Take the bus from gate 4 → gate 7."));
        }
      }
      Segment first = memory.segments("c").get(0);
      assertThat(first.open()).isFalse();
      String text = memory.decode("c", first.id()).text();
      assertThat(text).contains("gate 7").contains("4417");
      assertThat(ocr.reads.get()).as("the line with the arrow only").isEqualTo(1);
    }
  }

  @Test
  void chinese_japanese_and_korean_turns_are_read_back_as_written_at_tiny_without_the_ocr_engine() {
    org.assertj.core.api.Assumptions.assumeThat(FontSet.findCjkFont())
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    Counting ocr = new Counting(paddle);
    List<MemoryTurn> cjk = List.of(
        MemoryTurn.user("Mira", "我们明天早上九点在码头见面，储物柜密码是 4417。"),
        MemoryTurn.assistant("Agent", "好的，我会准时到。DeepSeek-OCR 的 3B 模型也会来吗？"),
        MemoryTurn.user("Mira", "明日は駅の近くの喫茶店で「十時」に会いましょう。"),
        MemoryTurn.user("Mira", "내일 오후 세 시에 회의실에서 만나요."));
    try (OpticalMemory memory = memory(tmp.resolve("cjk"), ocr).readOwnPages(true)
        .fonts(FontSet.defaults()).retention(Retention.KEEP)
        .agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      Conversations.harbourWith(cjk).forEach(t -> memory.append("c", t));
      Segment first = memory.segments("c").get(0);
      assertThat(first.open()).isFalse();
      assertThat(first.tier()).isEqualTo(Tier.TINY);
      String text = memory.decode("c", first.id()).text();
      for (MemoryTurn turn : cjk) {
        assertThat(text).contains(turn.text());
      }
      assertThat(ocr.reads.get()).as("the OCR engine was never asked").isZero();
    }
  }

  @Test
  void a_page_read_where_its_cjk_font_is_missing_goes_to_the_ocr_engine_and_says_so() {
    org.assertj.core.api.Assumptions.assumeThat(FontSet.findCjkFont())
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    Path path = tmp.resolve("moved");
    // Drawn where the CJK font is; not decoded there.
    try (OpticalMemory memory = memory(path, paddle).fonts(FontSet.defaults())
        .decodeInBackground(false).agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      List<MemoryTurn> turns = Conversations.harbour(80, 11);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        if (i == 3) {
          memory.append("c", MemoryTurn.user("Mira", "我们明天早上九点在码头见面。"));
        }
      }
    }
    // Read where it is not: the Chinese line goes to the OCR engine, and the recollection says so.
    Counting ocr = new Counting(paddle);
    try (OpticalMemory memory = memory(path, ocr).readOwnPages(true)
        .decodeInBackground(false).agingPolicy(AgingPolicy.fixed(Tier.TINY)).build()) {
      Recollection found = memory.recall("c", RecallRequest.of("码头").k(1)).get(0);
      assertThat(found.tier()).isEqualTo(Tier.TINY);
      assertThat(found.missingFonts()).singleElement().asString().contains("CJK");
      assertThat(found.fidelity()).isEmpty();
      assertThat(found.wordAccuracy()).isEmpty();
      assertThat(found.text()).contains("Mira:");
      assertThat(ocr.reads.get()).as("the Chinese line was read by the OCR engine").isEqualTo(1);
      // The tools' text tells the model so, in place of an accuracy measured with the font.
      assertThat(ToolText.recollections(List.of(found), t -> false))
          .startsWith("[page " + found.index() + ", turns " + found.firstTurn() + "-")
          .containsPattern("read at TINY; drawn with [^\\]]*CJK[^\\]]*, which this machine lacks")
          .doesNotContain("words intact");
      Passage passage = memory.read("c", found.index(), found.firstTurn(), found.lastTurn());
      assertThat(passage.decoded()).isTrue();
      assertThat(passage.missingFonts()).isEqualTo(found.missingFonts());
      assertThat(passage.wordAccuracy()).isEmpty();
      assertThat(ToolText.read(memory, "c", found.index(), found.firstTurn(), 20))
          .containsPattern("decoded from its TINY image; drawn with [^\\]]*CJK")
          .doesNotContain("words intact");
      Recollection latin = memory.recall("c", RecallRequest.of("locker code spare key").k(1))
          .get(0);
      assertThat(latin.text()).contains("4417");
    }
  }

  @Test
  void each_page_is_decoded_once_at_the_tier_it_rests_at_and_recall_then_runs_no_ocr() {
    Counting ocr = new Counting(paddle);
    Path path = tmp.resolve("m");
    try (OpticalMemory memory = memory(path, ocr).retention(Retention.KEEP).build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      List<Segment> closed = memory.segments("c").stream().filter(s -> !s.open()).toList();
      assertThat(closed).isNotEmpty().allSatisfy(s -> {
        assertThat(s.tier()).isEqualTo(Tier.SMALL);
        assertThat(s.fidelity()).as("measured against the kept source")
            .containsOnlyKeys(Tier.SMALL);
        assertThat(s.fidelity().get(Tier.SMALL)).isGreaterThan(0.95);
        assertThat(s.wordAccuracy()).containsOnlyKeys(Tier.SMALL);
        assertThat(s.wordAccuracy().get(Tier.SMALL)).isGreaterThan(0.9)
            .isLessThanOrEqualTo(1.0);
      });
      assertThat(ocr.reads.get()).as("once per page, at SMALL only").isEqualTo(closed.size());

      List<Recollection> found = memory.recall("c", RecallRequest.of("locker code spare key").k(2));
      assertThat(found.get(0).tier()).isEqualTo(Tier.SMALL);
      assertThat(found.get(0).text()).contains("4417");
      assertThat(found.get(0).text().lines().count()).isLessThanOrEqualTo(8);
      assertThat(found.get(0).wordAccuracy()).hasValue(closed.stream()
          .filter(s -> s.id() == found.get(0).segment()).findFirst().orElseThrow()
          .wordAccuracy().get(Tier.SMALL));
      assertThat(found.get(0).turns()).filteredOn(RecalledTurn::match)
          .anySatisfy(t -> assertThat(t.text()).contains("4417"));
      assertThat(memory.decode("c", closed.get(0).id()).text()).contains("4417");
      assertThat(ocr.reads.get()).as("no OCR on the request path").isEqualTo(closed.size());
    }
    Counting again = new Counting(paddle);
    try (OpticalMemory memory = memory(path, again).build()) {
      assertThat(memory.recall("c", RecallRequest.of("locker code").k(1)).get(0).text()).contains("4417");
      assertThat(again.reads.get()).as("the decoded lines were stored, not cached").isZero();
    }
  }

  @Test
  void with_background_decoding_off_recall_reads_its_lines_by_ocr_on_the_request_path() {
    Counting ocr = new Counting(paddle);
    try (OpticalMemory memory = memory(tmp.resolve("off"), ocr).decodeInBackground(false)
        .build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      assertThat(ocr.reads.get()).isZero();
      assertThat(memory.recall("c", RecallRequest.of("locker code spare key").k(1)).get(0).text()).contains("4417");
      assertThat(ocr.reads.get()).isEqualTo(1);
    }
  }

  @Test
  void recall_during_the_background_decode_of_the_same_page_reads_it_by_ocr_and_does_not_wait()
      throws Exception {
    Counting ocr = new Counting(paddle);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService background = Executors.newSingleThreadExecutor(r ->
        new Thread(r, "held-" + threads.incrementAndGet()));
    Path path = tmp.resolve("race");
    try (OpticalMemory memory = OpticalMemory.builder().path(path)
        .fonts(FontSet.latinOnly()).ocr(ocr).readOwnPages(false).executor(background)
        .yieldToAppends(Duration.ZERO, Duration.ZERO)
        .agingPolicy(AgingPolicy.fixed(Tier.SMALL)).build()) {
      for (MemoryTurn turn : Conversations.harbour(80, 11)) {
        memory.append("c", turn);
      }
      assertThat(ocr.holding.await(2, TimeUnit.MINUTES)).as("a background decode started").isTrue();
      List<Recollection> found = memory.recall("c", RecallRequest.of("locker code").k(1));
      assertThat(found.get(0).text()).contains("4417");
      assertThat(ocr.reads.get()).as("the recall's own OCR, the decode still held").isEqualTo(1);
      ocr.release.countDown();
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(5))).isTrue();
    } finally {
      ocr.release.countDown();
      background.shutdownNow();
    }
    Counting again = new Counting(paddle);
    try (OpticalMemory memory = memory(path, again).build()) {
      assertThat(memory.recall("c", RecallRequest.of("locker code").k(1)).get(0).text()).contains("4417");
      assertThat(again.reads.get()).as("the held decode finished and was stored").isZero();
    }
  }
}
