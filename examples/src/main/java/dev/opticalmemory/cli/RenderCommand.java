package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.renderer.PageLabel;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.RenderedPage;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code render}: text files to page PNGs. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
        "Renders UTF-8 text files to page images, one PNG per page (NAME-p001.png, ...).",
        "Text that overflows a page continues on the next."})
final class RenderCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--mode", defaultValue = "base",
      description = "Page size: tiny (512 px), small (640), base (1024) or large (1280). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--font-size", paramLabel = "PX",
      description = "Font size in pixels. Default: the page side / 64 (16 px at base).")
  Float fontSize;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNGs (created if needed).")
  Path out;

  @Option(names = "--json", description = "Print one JSON object per page on its own line.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    VisionMode visionMode = parseMode(mode);
    RenderSpec.Builder builder = RenderSpec.builder().mode(visionMode);
    if (fontSize != null) {
      builder.fontSize(fontSize);
    }
    RenderSpec renderSpec;
    try {
      renderSpec = builder.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--font-size " + fontSize + ": " + e.getMessage(), e);
    }
    Map<String, Path> stems = new HashMap<>();
    for (Path file : files) {
      Path previous = stems.putIfAbsent(stem(file), file);
      if (previous != null) {
        throw new CliException(file + " and " + previous + " would write pages of the same name "
            + stem(file) + "-pNNN.png; rename one");
      }
    }
    for (Path file : files) {
      // Before the output folder is made: a missing input leaves nothing behind.
      if (!java.nio.file.Files.exists(file)) {
        throw new CliException(file + ": no such file");
      }
    }
    // Every input is read and laid out before the output folder is made: an input refused (too
    // large, not text, empty) leaves nothing behind.
    PageRenderer renderer = PageRenderer.java2d(renderSpec);
    java.util.Map<Path, List<PageLayout>> laidOut = new java.util.LinkedHashMap<>();
    for (Path file : files) {
      String text = TextFiles.readUtf8(file, TextFiles.TEXT_LIMIT);
      List<PageLayout> pages = renderer.layout(List.of(Turn.plain(text)));
      if (pages.isEmpty()) {
        throw new CliException(file + ": empty, nothing to render");
      }
      laidOut.put(file, pages);
    }
    Path folder = TextFiles.writableFolder(out);
    ObjectMapper mapper = new ObjectMapper();
    PrintWriter stdout = spec.commandLine().getOut();
    for (Path file : files) {
      List<PageLayout> pages = laidOut.get(file);
      for (PageLayout layout : pages) {
        RenderedPage page = renderer.render(layout);
        Path png = folder.resolve(String.format("%s-p%03d.png", stem(file), layout.index() + 1));
        // The page carries its layout, so that `ocr` reads it by its font.
        TextFiles.write(png, PageLabel.describable(renderSpec)
            ? PageLabel.of(renderSpec, page).toPng(page.image()) : page.toPng());
        if (json) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("file", png.toString());
          row.put("width", page.width());
          row.put("height", page.height());
          row.put("mode", visionMode.name().toLowerCase(java.util.Locale.ROOT));
          row.put("chars", layout.sourceChars());
          row.put("visionTokens", visionMode.visionTokens());
          stdout.println(mapper.writeValueAsString(row));
        } else {
          stdout.printf("%s  %dx%d  %d chars%s%n", png, page.width(), page.height(),
              layout.sourceChars(),
              layout.missingGlyphs() > 0 ? "  (" + layout.missingGlyphs() + " glyphs drawn as boxes)" : "");
        }
      }
    }
    stdout.flush();
    return 0;
  }

  static VisionMode parseMode(String name) {
    try {
      return VisionMode.parse(name);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--mode: " + e.getMessage(), e);
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
