package dev.opticalmemory.memory.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionTokenCost.Detail;
import org.junit.jupiter.api.Test;

class VisionReaderDetailTest {
  @Test
  void a_reader_for_a_client_without_detail_control_prices_every_page_at_high_detail() {
    VisionReader gpt4o = VisionReader.named("openai");
    assertThat(gpt4o.delivery(Tier.TINY).detail()).isEqualTo(Detail.LOW);
    VisionReader high = gpt4o.withHighDetailOnly();
    for (Tier tier : new Tier[] {Tier.LARGE, Tier.BASE, Tier.SMALL, Tier.TINY}) {
      VisionReader.Delivery d = high.delivery(tier);
      assertThat(d.detail()).isEqualTo(Detail.HIGH);
      assertThat(d.side()).isEqualTo(gpt4o.delivery(tier).side());
      assertThat(d.tokens()).isGreaterThanOrEqualTo(gpt4o.delivery(tier).tokens());
    }
    assertThat(high.delivery(Tier.TINY).tokens()).isGreaterThan(gpt4o.delivery(Tier.TINY).tokens());
  }

  @Test
  void a_reader_that_asks_for_no_low_detail_is_returned_as_it_is() {
    VisionReader deepSeek = VisionReader.deepSeekOcr();
    assertThat(deepSeek.withHighDetailOnly()).isSameAs(deepSeek);
  }
}
