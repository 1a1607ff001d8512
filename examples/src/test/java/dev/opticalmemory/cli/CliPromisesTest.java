package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line keeps the word of its help and of the README. */
class CliPromisesTest {
  @TempDir Path tmp;

  @Test
  void bad_option_values_and_a_missing_subcommand_are_usage_errors_with_exit_code_two() {
    String[][] usage = {
        {"render", "--mode", "huge", "--out", tmp.resolve("o").toString(), "x.txt"},
        {"ocr", "--engine", "foo", "x.png"},
        {"context", "--db", tmp.resolve("db").toString(), "--conversation", "c", "--reader", "gpt"},
        {"worker", "--db", tmp.resolve("db").toString(), "--poll", "PT0S"},
        {"demo", "--budget", "10"},
        {},
        {"bench"},
    };
    for (String[] args : usage) {
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
    }
    CliRun demo = CliRun.of("demo", "--budget", "10", "--out", tmp.resolve("demo").toString());
    assertThat(demo.err().strip()).isEqualTo("demo: --budget must be between 1000 and 1000000,"
        + " but is: 10 (see 'optical-memory demo --help')");
    assertThat(tmp.resolve("demo")).as("checked before any work").doesNotExist();
    assertThat(CliRun.of().err()).startsWith("optical-memory: a subcommand is required");
  }

  @Test
  void a_missing_input_file_leaves_no_output_folder_behind() {
    CliRun run = CliRun.of("render", "--out", tmp.resolve("pages").toString(),
        tmp.resolve("missing.txt").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("missing.txt: no such file");
    assertThat(tmp.resolve("pages")).doesNotExist();
  }

  @Test
  void the_demo_never_deletes_files_it_did_not_write() throws Exception {
    Path pages = Files.createDirectories(tmp.resolve("demo/pages"));
    Path mine = Files.writeString(pages.resolve("holiday.png"), "not a demo page");
    Path old = Files.writeString(pages.resolve("page-03-base.png"), "an old demo page");
    java.lang.reflect.Method clear = DemoCommand.class.getDeclaredMethod("clear", Path.class);
    clear.setAccessible(true);
    clear.invoke(null, tmp.resolve("demo"));
    assertThat(mine).exists();
    assertThat(old).doesNotExist();
  }

  /** The JSON fields the README documents after {@code marker}, in order. */
  private static List<String> documented(String readme, String marker) {
    int at = readme.indexOf(marker);
    assertThat(at).as("the README documents %s", marker).isPositive();
    Matcher m = Pattern.compile("`(\\{[^`]*\\}|\\[[^`]*\\])`").matcher(readme.substring(at));
    assertThat(m.find()).isTrue();
    List<String> fields = new ArrayList<>();
    Matcher f = Pattern.compile("\"([A-Za-z]+)\"").matcher(m.group(1));
    while (f.find()) {
      if (!fields.contains(f.group(1))) {
        fields.add(f.group(1)); // each name once: "segment" names an item's and a choice's
      }
    }
    return fields;
  }

  /** The field names of a documented shape, in order. */
  private static List<String> fields(String shape) {
    List<String> fields = new ArrayList<>();
    Matcher f = Pattern.compile("\"([A-Za-z]+)\"").matcher(shape);
    while (f.find()) {
      if (!fields.contains(f.group(1))) {
        fields.add(f.group(1)); // each name once: "segment" names an item's and a choice's
      }
    }
    return fields;
  }

  /** Every field name in a JSON value: objects' keys, and the keys of arrays' elements, once. */
  private static Set<String> fields(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        names.add(e.getKey());
        names.addAll(fields(e.getValue()));
      });
    } else if (node.isArray()) {
      node.forEach(element -> names.addAll(fields(element)));
    }
    return names;
  }

  /** The README's shape, the help's shape and the output's fields are the same. */
  private static void sameShape(String readme, String marker, String shape, String command,
      JsonNode output) {
    assertThat(fields(shape)).as("the README documents %s as the code does", marker)
        .isEqualTo(documented(readme, marker));
    String help = CliRun.of(command, "--help").out().replaceAll("\\s+", " ");
    assertThat(help).as("%s --help", command).contains(shape.replaceAll("\\s+", " "));
    assertThat(fields(output)).as("%s prints what is documented", marker)
        .containsExactlyInAnyOrderElementsOf(fields(shape));
  }

  @Test
  void the_json_shapes_of_the_readme_and_the_help_are_the_ones_the_commands_print()
      throws Exception {
    String readme = Files.readString(Path.of("..", "docs", "cli.md"));
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      jsonl.append("{\"speaker\":\"Ines\",\"text\":\"Message ").append(i)
          .append(" about the regatta schedule and the spare sails in the boathouse.\"}\n");
    }
    Path file = Files.writeString(tmp.resolve("chat.jsonl"), jsonl);
    String db = tmp.resolve("db").toString();
    assertThat(CliRun.of("ingest", "--db", db, "--conversation", "c", "--jsonl", file.toString())
        .exitCode()).isZero();
    ObjectMapper json = new ObjectMapper();

    JsonNode stats = json.readTree(CliRun.of("stats", "--db", db, "--conversation", "c", "--json")
        .out());
    sameShape(readme, "`stats --json` prints", MemoryCommands.Stats.JSON_SHAPE, "stats", stats);

    JsonNode recall = json.readTree(CliRun.of("recall", "--db", db, "--conversation", "c",
        "--query", "regatta", "--k", "1", "--json").out());
    sameShape(readme, "`recall --json` prints", MemoryCommands.Recall.JSON_SHAPE, "recall", recall);
    int segments = stats.get("segments").asInt();
    assertThat(recall.get(0).get("segment").asInt()).as("one numbering: 0 to %d", segments - 1)
        .isBetween(0, segments - 1);

    JsonNode context = json.readTree(CliRun.of("context", "--db", db, "--conversation", "c",
        "--budget", "1500", "--reader", "openai", "--json").out());
    assertThat(context.get("items").findValuesAsText("kind")).as("text and images")
        .contains("text", "image");
    assertThat(context.get("choices")).as("why pages were sent lower").isNotEmpty();
    sameShape(readme, "`context --json` prints", ContextCommand.JSON_SHAPE, "context", context);

    CliRun none = CliRun.of("recall", "--db", db, "--conversation", "c", "--query", "zeppelin");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEqualTo("no matches for 'zeppelin' in 'c'" + System.lineSeparator());
  }
}
