package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reading a page's turns back by page and turn number, as the read tool does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadTest {
  OpticalMemory memory;
  List<MemoryTurn> script = Conversations.harbour(500, 11);

  @BeforeAll
  void open(@TempDir Path tmp) {
    memory = Conversations.agedHarbour(tmp.resolve("m"), script);
    memory.append("other", MemoryTurn.user("Eve", "The vault code is 9182."));
  }

  @AfterAll
  void close() {
    memory.close();
  }

  private Segment at(Tier tier) {
    return Conversations.firstClosedAt(memory, tier);
  }

  @Test
  void a_page_kept_as_text_reads_back_as_written_with_its_turn_numbers() {
    Segment text = memory.segments("c").get(memory.segments("c").size() - 1);
    Passage p = memory.read("c", text.index(), text.firstTurn(), text.firstTurn() + 2);

    assertThat(p.decoded()).isFalse();
    assertThat(p.wordAccuracy()).isEmpty();
    assertThat(p.turns()).extracting(RecalledTurn::turn)
        .containsExactly(text.firstTurn(), text.firstTurn() + 1, text.firstTurn() + 2);
    assertThat(p.turns().get(0).text()).isEqualTo(script.get(text.firstTurn()).labelledText());
    assertThat(p.text()).startsWith("turn " + text.firstTurn() + ": ");
  }

  @Test
  void an_aged_page_reads_back_decoded_and_says_so_and_its_own_font_reads_it_exactly() {
    Segment small = at(Tier.SMALL);
    Passage p = memory.read("c", small.index(), small.firstTurn(), small.lastTurn());

    assertThat(p.decoded()).isTrue();
    assertThat(p.tier()).isEqualTo(Tier.SMALL);
    assertThat(p.turns()).hasSize(small.lastTurn() - small.firstTurn() + 1);
    for (RecalledTurn t : p.turns()) {
      assertThat(t.text().strip()).as("turn %d", t.turn())
          .isEqualTo(script.get(t.turn()).labelledText());
    }
  }

  @Test
  void pages_and_turns_out_of_range_forgotten_pages_and_unknown_conversations_are_one_line_errors() {
    int pages = memory.segments("c").size();
    Segment base = at(Tier.BASE);
    Segment gone = at(Tier.FORGOTTEN);

    assertThatThrownBy(() -> memory.read("c", pages, 0, 0))
        .hasMessage("page must be between 0 and " + (pages - 1) + " in 'c', but is: " + pages);
    assertThatThrownBy(() -> memory.read("c", -1, 0, 0))
        .hasMessageStartingWith("page must be between 0 and");
    assertThatThrownBy(() -> memory.read("c", base.index(), base.lastTurn(), base.lastTurn() + 1))
        .hasMessage("turns " + base.lastTurn() + "-" + (base.lastTurn() + 1) + " are not on page "
            + base.index() + " of 'c', which holds turns " + base.firstTurn() + "-"
            + base.lastTurn());
    assertThatThrownBy(() -> memory.read("c", base.index(), base.firstTurn() + 1,
        base.firstTurn())).hasMessageContaining("are not on page");
    assertThatThrownBy(() -> memory.read("c", gone.index(), gone.firstTurn(), gone.firstTurn()))
        .hasMessage("page " + gone.index() + " of 'c' (turns " + gone.firstTurn() + "-"
            + gone.lastTurn() + ") is forgotten: nothing of it is left to read");
    assertThatThrownBy(() -> memory.read("nobody", 0, 0, 0))
        .hasMessage("conversation is unknown: 'nobody'");
    assertThatThrownBy(() -> memory.read("other", base.index(), base.firstTurn(),
        base.firstTurn())).as("another conversation's numbers read nothing of this one")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(memory.read("other", 0, 0, 0).text()).isEqualTo("turn 0: Eve: The vault code is"
        + " 9182.\n");
  }

  @Test
  void a_storm_of_reads_changes_nothing_but_one_rehearsal_of_the_page_read() {
    Segment base = at(Tier.BASE);
    List<Segment> before = memory.segments("c");
    for (int i = 0; i < 10_000; i++) {
      memory.read("c", base.index(), base.firstTurn(), base.firstTurn());
    }
    memory.append("storm", MemoryTurn.user("Ann", "after the storm"));
    memory.operations().awaitIdle(java.time.Duration.ofSeconds(30));
    List<Segment> after = memory.segments("c");

    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      Segment b = before.get(i);
      Segment a = after.get(i);
      assertThat(a.tier()).isEqualTo(b.tier());
      assertThat(a.importance().rehearsals()).as("segment %d", i)
          .isBetween(b.importance().rehearsals(), b.importance().rehearsals()
              + (a.id() == base.id() ? 1 : 0));
    }
  }

  @Test
  void a_long_chinese_japanese_or_korean_turn_that_wraps_reads_back_without_spaces_it_did_not_have(
      @TempDir Path tmp) {
    org.assertj.core.api.Assumptions.assumeThat(dev.opticalmemory.renderer.FontSet.findCjkFont())
        .as("needs Noto Sans CJK (Debian fonts-noto-cjk, installed by .ci/run)").isPresent();
    List<MemoryTurn> cjk = List.of(
        MemoryTurn.user("Mira", "我们明天早上九点在码头见面，储物柜密码是四四一七，备用钥匙放在船锚下面。"
            .repeat(4)),
        MemoryTurn.user("Mira", "明日は駅の近くの喫茶店で十時に会いましょう。傘を忘れないでください。"
            .repeat(4)),
        MemoryTurn.user("Mira", "내일 오후 세 시에 회의실에서 만나요. 우산을 잊지 마세요. ".repeat(6).strip()));
    try (OpticalMemory cjkMemory = OpticalMemory.builder().path(tmp.resolve("cjk"))
        .fonts(dev.opticalmemory.renderer.FontSet.defaults()).executor(Runnable::run)
        .agingPolicy(AgingPolicy.fixed(Tier.SMALL)).build()) {
      Conversations.harbourWith(cjk).forEach(t -> cjkMemory.append("c", t));
      Segment first = cjkMemory.segments("c").get(0);
      assertThat(first.open()).isFalse();
      Passage p = cjkMemory.read("c", first.index(), first.firstTurn(), first.lastTurn());
      assertThat(p.decoded()).isTrue();
      for (MemoryTurn turn : cjk) {
        assertThat(p.turns()).extracting(RecalledTurn::text).as("read back as written")
            .contains(turn.labelledText());
      }
    }
  }
}
