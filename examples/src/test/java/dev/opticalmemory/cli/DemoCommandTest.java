package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
          .contains("deepseek-ocr").contains("deepseek-ocr:gundam").contains("qwen2.5-vl");
      assertThat(demo.err()).contains("1/4 ingesting [").contains("4/4 recalling 4/4");
      assertThat(demo.out()).doesNotContain("NaN").containsPattern("whole-page fidelity at"
          + " [A-Z]+: precision [01]\\.\\d{3}, word accuracy [01]\\.\\d{3}");
    }
    int[] sides = {1280, 1024, 640, 512};
    String[] tiers = {"large", "base", "small", "tiny"};
    for (int i = 0; i < tiers.length; i++) {
      byte[] png = Files.readAllBytes(out.resolve("pages/facts-page-" + tiers[i] + ".png"));
      assertThat(PageImages.decode(png).getWidth()).isEqualTo(sides[i]);
    }
    assertThat(out.resolve("memory.mv.db")).exists();
    // The demo keeps the source: each page's fidelity was measured where it rests, with its words.
    CliRun stats = CliRun.of("stats", "--db", out.resolve("memory").toString(), "--conversation",
        "mira", "--json");
    JsonNode fidelity = new ObjectMapper().readTree(stats.out()).get("fidelity");
    assertThat(fidelity.fieldNames()).toIterable().isNotEmpty()
        .allSatisfy(tier -> assertThat(tier).isIn("LARGE", "BASE", "SMALL", "TINY"));
    fidelity.forEach(f -> {
      assertThat(f.get("pages").asInt()).isPositive();
      assertThat(f.get("precision").asDouble()).isBetween(0.8, 1.0);
      assertThat(f.get("wordAccuracy").asDouble()).isBetween(0.5, 1.0);
    });
    assertThat(CliRun.of("stats", "--db", out.resolve("memory").toString(), "--conversation",
        "mira").out()).containsPattern("fidelity at [A-Z]+: precision [01]\\.\\d{4}, word accuracy"
            + " [01]\\.\\d{4} \\(\\d+ pages decoded against their source\\)");
  }
}
