package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.renderer.PageImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void the_demo_ages_the_sample_through_every_tier_and_recovers_the_planted_facts_twice_over()
      throws Exception {
    Path out = tmp.resolve("demo");
    for (int run = 0; run < 2; run++) { // a second run replaces the first one's files
      CliRun demo = CliRun.of("demo", "--out", out.toString());
      assertThat(demo.exitCode()).as(demo.err()).isZero();
      assertThat(demo.out()).contains("4 of 4 planted facts recovered from aged pages")
          .contains("FORGOTTEN=1").contains("TINY=1").contains("page 1 at TINY")
          .contains("deepseek-ocr").contains("qwen-vl");
      assertThat(demo.err()).contains("1/4 ingesting [").contains("4/4 recalling 4/4");
    }
    int[] sides = {1280, 1024, 640, 512};
    String[] tiers = {"large", "base", "small", "tiny"};
    for (int i = 0; i < tiers.length; i++) {
      byte[] png = Files.readAllBytes(out.resolve("pages/facts-page-" + tiers[i] + ".png"));
      assertThat(PageImages.decode(png).getWidth()).isEqualTo(sides[i]);
    }
    assertThat(out.resolve("memory.mv.db")).exists();
  }
}
