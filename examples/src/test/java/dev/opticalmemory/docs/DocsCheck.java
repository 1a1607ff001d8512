package dev.opticalmemory.docs;

import dev.opticalmemory.cli.OpticalMemoryCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Finds where the docs have drifted from the code, each problem as {@code file:line: what}:
 * relative links and images that do not resolve, {@code ./optical-memory} command lines that the
 * CLI does not parse (or whose values an option's help does not list), Java blocks marked
 * {@code <!-- compiled: PATH -->} that differ from that source, and options of the CLI that
 * {@code docs/cli.md} does not document in the command's section.
 */
final class DocsCheck {
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE = Pattern.compile("`(\\./optical-memory [^`]+)`");
  private static final Pattern COMPILED = Pattern.compile("<!-- compiled: (\\S+) -->");
  private static final Pattern CHOICES = Pattern.compile("\\(([a-z0-9+.-]+(, [a-z0-9+.-]+){2,})\\)");

  private final Path root;
  final List<String> problems = new ArrayList<>();

  DocsCheck(Path root) {
    this.root = root;
  }

  /** Checks one Markdown file's links, command lines and compiled blocks. */
  DocsCheck file(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String name = root.relativize(file).toString();
    boolean fenced = false;
    String compiledFrom = null;
    int blockStart = 0;
    StringBuilder block = new StringBuilder();
    StringBuilder command = null;
    int commandLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int n = i + 1;
      if (line.strip().startsWith("```")) {
        if (!fenced) {
          fenced = true;
          blockStart = n;
          block.setLength(0);
          if (compiledFrom != null && !line.strip().equals("```java")) {
            problems.add(name + ":" + n + ": a compiled mark must be followed by a ```java block");
            compiledFrom = null;
          }
        } else {
          fenced = false;
          if (compiledFrom != null) {
            compared(name, blockStart, block.toString(), compiledFrom);
            compiledFrom = null;
          }
        }
        continue;
      }
      if (fenced) {
        block.append(line).append('\n');
        int at = line.indexOf("./optical-memory ");
        if (command != null || at >= 0) {
          String part = command == null ? line.substring(at) : line;
          if (command == null) {
            command = new StringBuilder();
            commandLine = n;
          }
          boolean more = part.endsWith("\\");
          command.append(more ? part.substring(0, part.length() - 1) : part).append(' ');
          if (!more) {
            parses(name, commandLine, withoutComment(command.toString()), true);
            command = null;
          }
        }
        continue;
      }
      Matcher compiled = COMPILED.matcher(line);
      if (compiled.find()) {
        compiledFrom = compiled.group(1);
      }
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        resolves(name, n, file, link.group(1));
      }
      Matcher inline = INLINE.matcher(line);
      while (inline.find()) {
        parses(name, n, inline.group(1), false);
      }
    }
    return this;
  }

  private void resolves(String name, int n, Path file, String target) {
    if (target.matches("^(https?|mailto):.*")) {
      return;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
    if (!Files.exists(resolved)) {
      problems.add(name + ":" + n + ": the link " + target + " does not resolve");
      return;
    }
    if (hash >= 0 && resolved.toString().endsWith(".md")) {
      String anchor = target.substring(hash + 1);
      try {
        boolean found = Files.readAllLines(resolved).stream().filter(l -> l.startsWith("#"))
            .map(l -> slug(l.replaceFirst("^#+\\s*", ""))).anyMatch(anchor::equals);
        if (!found) {
          problems.add(name + ":" + n + ": the link " + target + " names no heading of "
              + (path.isEmpty() ? name : path));
        }
      } catch (IOException e) {
        problems.add(name + ":" + n + ": the link " + target + " cannot be read: " + e);
      }
    }
  }

  /** A heading's anchor as GitHub makes it: lower case, punctuation out, spaces to hyphens. */
  static String slug(String heading) {
    return heading.strip().toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  private static String withoutComment(String command) {
    int hash = command.indexOf(" #");
    return (hash < 0 ? command : command.substring(0, hash)).strip();
  }

  /**
   * A concrete command line must parse; a synopsis (with [ | ... or < >) is not one. In prose a
   * command may be named without its required options ({@code complete} false).
   */
  private void parses(String name, int n, String command, boolean complete) {
    if (command.contains("[") || command.contains("|") || command.contains("...")
        || command.contains("<") || command.contains("$(") || command.contains("${")) {
      return;
    }
    List<String> args = words(command.substring("./optical-memory".length()).strip());
    try {
      CommandLine.ParseResult result = new CommandLine(new OpticalMemoryCli()).parseArgs(
          args.toArray(String[]::new));
      while (result.hasSubcommand()) {
        result = result.subcommand();
      }
      for (OptionSpec option : result.matchedOptions()) {
        String listed = listedChoices(option);
        if (listed == null) {
          continue;
        }
        for (String given : result.matchedOption(option.longestName()).stringValues()) {
          for (String value : given.split(",")) {
            if (!List.of(listed.split(", ")).contains(value)) {
              problems.add(name + ":" + n + ": " + option.longestName() + " " + value + " is not"
                  + " among the values its --help lists (" + listed + "): " + command);
            }
          }
        }
      }
    } catch (CommandLine.MissingParameterException e) {
      if (complete) {
        problems.add(name + ":" + n + ": does not parse (" + e.getMessage() + "): " + command);
      }
    } catch (CommandLine.ParameterException e) {
      problems.add(name + ":" + n + ": does not parse (" + e.getMessage() + "): " + command);
    }
  }

  /** The values an option's help lists in parentheses, joined, or null if it lists none. */
  private static String listedChoices(OptionSpec option) {
    String description = String.join(" ", option.description());
    Matcher m = CHOICES.matcher(description);
    List<String> all = new ArrayList<>();
    while (m.find()) {
      all.add(m.group(1));
    }
    return all.isEmpty() ? null : String.join(", ", all);
  }

  /** Splits a command line into words as a shell would (quotes, no expansion). */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
      }
    }
    if (any || word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }

  private void compared(String name, int n, String shown, String source) throws IOException {
    Path file = root.resolve(source);
    if (!Files.isRegularFile(file) || !source.contains("/src/")) {
      problems.add(name + ":" + n + ": the compiled mark names " + source + ", not a source file"
          + " of a module");
      return;
    }
    String text = Files.readString(file);
    int start = text.indexOf("// README:start\n");
    int end = text.indexOf("// README:end");
    String region = start >= 0 && end > start ? text.substring(start + 16, end) : text;
    if (!dedent(region).equals(dedent(shown))) {
      List<String> a = dedent(shown).lines().toList();
      List<String> b = dedent(region).lines().toList();
      int at = 0;
      while (at < Math.min(a.size(), b.size()) && a.get(at).equals(b.get(at))) {
        at++;
      }
      problems.add(name + ":" + (n + 1 + at) + ": the java block differs from " + source
          + " here: '" + (at < a.size() ? a.get(at).strip() : "(end)") + "' against '"
          + (at < b.size() ? b.get(at).strip() : "(end)") + "'");
    }
  }

  private static String dedent(String text) {
    return text.stripIndent().strip();
  }

  /**
   * Every option of every command (help and version apart) is named in the section of
   * {@code cli} whose heading names the command in backticks.
   */
  DocsCheck options(Path cli) throws IOException {
    List<String> lines = Files.readAllLines(cli);
    String name = root.relativize(cli).toString();
    Map<String, CommandSpec> commands = new LinkedHashMap<>();
    collect(new CommandLine(new OpticalMemoryCli()).getCommandSpec(), commands);
    for (Map.Entry<String, CommandSpec> c : commands.entrySet()) {
      List<OptionSpec> options = c.getValue().options().stream()
          .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
      if (options.isEmpty()) {
        continue;
      }
      String section = section(lines, "`" + c.getKey() + "`");
      if (section == null) {
        problems.add(name + ":1: no section's heading names `" + c.getKey() + "`");
        continue;
      }
      for (OptionSpec o : options) {
        if (!section.contains(o.longestName())) {
          problems.add(name + ":1: " + o.longestName() + " of `" + c.getKey() + "` is not"
              + " documented in its section");
        }
      }
    }
    return this;
  }

  private static void collect(CommandSpec spec, Map<String, CommandSpec> into) {
    for (CommandLine sub : spec.subcommands().values()) {
      String qualified = sub.getCommandSpec().qualifiedName(" ");
      String name = qualified.substring(qualified.indexOf(' ') + 1);
      into.putIfAbsent(name, sub.getCommandSpec());
      collect(sub.getCommandSpec(), into);
    }
  }

  /** The text under the first heading that names {@code command}, to the next heading. */
  private static String section(List<String> lines, String command) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("#") && lines.get(i).contains(command)) {
        StringBuilder text = new StringBuilder();
        for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
          text.append(lines.get(j)).append('\n');
        }
        return text.toString();
      }
    }
    return null;
  }
}
