package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the simulated agent of optical+read and optical+rag+read turns its pointing into reads. */
class PointerReadsTest {

  @Test
  void each_region_pointed_at_is_read_with_the_two_after_it_but_not_past_the_turns_sent() {
    // Regions 0-3 are turns 10-13 on one page sent, regions 4-6 turns 40-42 on another.
    List<Integer> regionTurn = List.of(10, 11, 12, 13, 40, 41, 42);

    assertThat(TurnHistory.readOn(List.of(1), regionTurn)).containsExactly(1, 2, 3);
    assertThat(TurnHistory.readOn(List.of(3), regionTurn)).as("turns 14-39 were not sent")
        .containsExactly(3);
    assertThat(TurnHistory.readOn(List.of(5, 0), regionTurn)).containsExactly(5, 6, 0, 1, 2);
    assertThat(TurnHistory.readOn(List.of(), regionTurn)).isEmpty();
  }

  @Test
  void a_turn_both_recalled_and_read_comes_first_and_a_turn_read_twice_counts_once() {
    List<Integer> regionTurn = List.of(10, 11, 12, 40);
    // Recall ranks turns 7, 40, 3; the pointer reads regions 0, 1, 2 then 3 and region 1 again.
    List<Integer> order = TurnHistory.recalledAndRead(List.of(7, 40, 3), List.of(0, 1, 2, 3, 1),
        regionTurn);

    assertThat(order.get(0)).as("turn 40, in both lists").isEqualTo(40);
    assertThat(order).containsExactlyInAnyOrder(40, 7, 10, 11, 3, 12);
    assertThat(order.indexOf(7)).isLessThan(order.indexOf(11));
    assertThat(order.indexOf(10)).isLessThan(order.indexOf(3));
  }
}
