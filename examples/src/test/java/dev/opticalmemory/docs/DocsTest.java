package dev.opticalmemory.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void the_readme_and_the_guides_have_not_drifted_from_the_code() throws Exception {
    DocsCheck check = new DocsCheck(ROOT);
    List<Path> files;
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      files = Stream.concat(Stream.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"),
          ROOT.resolve("eval/README.md")), docs.filter(p -> p.toString().endsWith(".md")))
          .toList();
    }
    for (Path f : files) {
      check.file(f);
    }
    check.options(ROOT.resolve("docs/cli.md"));
    assertThat(check.problems).as(String.join("\n", check.problems)).isEmpty();
  }

  @Test
  void the_readme_is_a_front_door_and_no_guide_runs_long() throws Exception {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(readme.size()).isLessThanOrEqualTo(300);
    assertThat(readme.indexOf("./optical-memory demo")).isBetween(0, 40);
    assertThat(readme.indexOf("```java")).isBetween(0, 120);
    assertThat(String.join("\n", readme)).as("the README names no issue or work session")
        .doesNotContainPattern("(?i)\\bissue \\d+|this session|development machine");
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      for (Path d : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        assertThat(Files.readAllLines(d).size()).as(d.toString()).isLessThanOrEqualTo(600);
        String text = Files.readString(d);
        assertThat(text).as(d + " names no issue or work session")
            .doesNotContainPattern("(?i)\\bissue \\d+|this session|development machine");
      }
    }
  }

  /** The check itself fails on each kind of drift, naming the file and line. */
  @Test
  void each_kind_of_drift_is_found_with_its_file_and_line(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("docs"));
    Files.createDirectories(tmp.resolve("m/src/main/java"));
    Files.writeString(tmp.resolve("m/src/main/java/A.java"),
        "class A {\n  // README:start\n  int x = 1;\n  // README:end\n}\n");
    Files.writeString(tmp.resolve("docs/guide.md"), String.join("\n",
        "# Guide",
        "A [link](missing.md) and an ![image](images/none.png) and [fine](guide.md#guide).",
        "An [anchor](cli.md#no-such-heading) and a [good one](cli.md#stats).",
        "```bash",
        "./optical-memory recall --db d --conversation c --query q --k many",
        "./optical-memory eval forgetting --locomo a.json --out o --policy importance-someday",
        "./optical-memory stats --db d --conversation c --no-such-option",
        "```",
        "Inline: `./optical-memory context --budget lots` and `./optical-memory mcp` alone.",
        "<!-- compiled: m/src/main/java/A.java -->",
        "```java",
        "int x = 2;",
        "```",
        ""));
    Files.writeString(tmp.resolve("docs/cli.md"), "# CLI\n\n### `stats`\n\n`--db` only.\n");
    DocsCheck check = new DocsCheck(tmp).file(tmp.resolve("docs/guide.md"))
        .options(tmp.resolve("docs/cli.md"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p)
        .startsWith("docs/guide.md:2: the link missing.md does not resolve"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p)
        .startsWith("docs/guide.md:2: the link images/none.png"));
    assertThat(check.problems).noneSatisfy(p -> assertThat(p).contains("guide.md#guide"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p)
        .startsWith("docs/guide.md:3: the link cli.md#no-such-heading names no heading"));
    assertThat(check.problems).noneSatisfy(p -> assertThat(p).contains("cli.md#stats"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p).startsWith("docs/guide.md:5:")
        .contains("does not parse").contains("--k"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p).startsWith("docs/guide.md:6:")
        .contains("importance-someday").contains("not among the values"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p).startsWith("docs/guide.md:7:")
        .contains("--no-such-option"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p).startsWith("docs/guide.md:9:")
        .contains("--budget"));
    assertThat(check.problems).as("a command named in prose needs no required option")
        .noneSatisfy(p -> assertThat(p).contains("./optical-memory mcp"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p).startsWith("docs/guide.md:12:")
        .contains("differs from m/src/main/java/A.java").contains("int x = 2;"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p)
        .contains("--conversation of `stats` is not documented"));
    assertThat(check.problems).anySatisfy(p -> assertThat(p)
        .contains("no section's heading names `ingest`"));
  }
}
