package dev.opticalmemory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageLayout;
import dev.opticalmemory.renderer.PageRenderer;
import dev.opticalmemory.renderer.RenderSpec;
import dev.opticalmemory.renderer.Turn;
import dev.opticalmemory.renderer.VisionMode;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.LineBreakMeasurer;
import java.awt.font.TextAttribute;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench render}: pages per second on one thread at each mode, for our renderer (drawing alone,
 * layout and drawing, drawing and PNG encoding) and for the textbook Java2D approach (LineBreakMeasurer and TextLayout on an RGB image,
 * converted to gray) over the same text, fonts and page size.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Pages rendered per second at each mode on one thread, against a LineBreakMeasurer baseline.")
final class RenderBench implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per case (after an equal warm-up). Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(names = "--modes", split = ",", defaultValue = "tiny,small,base,large",
      description = "Modes to measure. Default: ${DEFAULT-VALUE}.")
  List<String> modes;

  @Option(names = "--json", description = "One JSON object per mode.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0 && seconds <= 600)) {
      throw CliException.usage("--seconds must be between 0 and 600, but is: " + seconds);
    }
    String text = (Samples.text("harbor-log.txt") + "\n").repeat(5);
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("Render benchmark: %s, one thread, %.1f s per case after warm-up%n",
          "examples/samples/harbor-log.txt x5", seconds);
      out.printf("%-6s %6s %12s %15s %14s %16s %8s%n", "mode", "pages", "draw /s",
          "layout+draw /s", "draw+PNG /s", "baseline /s", "ratio");
    }
    ObjectMapper mapper = new ObjectMapper();
    for (String name : modes) {
      VisionMode mode = RenderCommand.parseMode(name);
      RenderSpec renderSpec = RenderSpec.builder().mode(mode).fonts(FontSet.latinOnly()).build();
      PageRenderer renderer = PageRenderer.java2d(renderSpec);
      List<Turn> turns = List.of(Turn.plain(text));
      List<PageLayout> pages = renderer.layout(turns);
      int[] next = {0};
      double draw = rate(() -> {
        renderer.render(pages.get(next[0]++ % pages.size()));
        return 1;
      });
      double drawAndPng = rate(() -> {
        renderer.render(pages.get(next[0]++ % pages.size())).toPng();
        return 1;
      });
      double layoutAndDraw = rate(() -> {
        List<PageLayout> all = renderer.layout(turns);
        all.forEach(renderer::render);
        return all.size();
      });
      Font font = FontSet.latinOnly().fonts().get(0).deriveFont(renderSpec.fontSize());
      double baseline = rate(() -> baselinePages(text, renderSpec, font));
      double ratio = layoutAndDraw / baseline;
      // Each case does at least the work of the one before it, so a case measured faster than a
      // smaller one means the machine was busy while it ran: say so rather than print it silently.
      List<String> noise = new java.util.ArrayList<>();
      if (layoutAndDraw > draw * 1.05) {
        noise.add("layout+draw faster than draw alone");
      }
      if (drawAndPng > draw * 1.05) {
        noise.add("draw+PNG faster than draw alone");
      }
      if (json) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        row.put("pages", pages.size());
        row.put("drawPagesPerSecond", round(draw));
        row.put("layoutAndDrawPagesPerSecond", round(layoutAndDraw));
        row.put("drawAndPngPagesPerSecond", round(drawAndPng));
        row.put("baselinePagesPerSecond", round(baseline));
        row.put("ratioToBaseline", round(ratio));
        row.put("noise", noise);
        out.println(mapper.writeValueAsString(row));
      } else {
        out.printf("%-6s %6d %12.1f %15.1f %14.1f %16.1f %7.2fx%n",
            mode.name().toLowerCase(java.util.Locale.ROOT), pages.size(), draw, layoutAndDraw,
            drawAndPng, baseline, ratio);
      }
      if (!noise.isEmpty()) {
        spec.commandLine().getErr().printf("bench render: %s at %s: the machine was busy (another"
            + " process or the JIT); these figures are noise, run again on a quiet machine%n",
            String.join(", ", noise), mode.name().toLowerCase(java.util.Locale.ROOT));
        spec.commandLine().getErr().flush();
      }
      out.flush();
    }
    return 0;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** Runs the case for the warm-up, then measures; returns units (pages) per second. */
  private double rate(IntSupplier unitOfWork) {
    long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warmEnd) {
      unitOfWork.getAsInt();
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long units = 0;
    long now;
    do {
      units += unitOfWork.getAsInt();
      now = System.nanoTime();
    } while (now < end);
    return units / ((now - start) / 1e9);
  }

  /** The textbook approach: LineBreakMeasurer per paragraph, TextLayout.draw, RGB then gray. */
  static int baselinePages(String text, RenderSpec spec, Font font) {
    List<BufferedImage> pages = new ArrayList<>();
    BufferedImage page = null;
    Graphics2D g = null;
    float y = 0;
    float bottom = spec.height() - spec.margin();
    for (String paragraph : text.split("\n")) {
      if (paragraph.isEmpty()) {
        paragraph = " ";
      }
      AttributedString attributed = new AttributedString(paragraph);
      attributed.addAttribute(TextAttribute.FONT, font);
      if (g == null) {
        page = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
        g = newGraphics(page);
        y = spec.margin();
      }
      LineBreakMeasurer measurer =
          new LineBreakMeasurer(attributed.getIterator(), g.getFontRenderContext());
      while (measurer.getPosition() < paragraph.length()) {
        TextLayout line = measurer.nextLayout(spec.textWidth());
        if (y + line.getAscent() + line.getDescent() > bottom) {
          pages.add(toGray(page, g));
          page = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
          g = newGraphics(page);
          y = spec.margin();
        }
        y += line.getAscent();
        line.draw(g, spec.margin(), y);
        y += line.getDescent() + line.getLeading();
      }
    }
    if (g != null) {
      pages.add(toGray(page, g));
    }
    return pages.size();
  }

  private static Graphics2D newGraphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    return g;
  }

  private static BufferedImage toGray(BufferedImage rgb, Graphics2D g) {
    g.dispose();
    BufferedImage gray = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D gg = gray.createGraphics();
    gg.drawImage(rgb, 0, 0, null);
    gg.dispose();
    return gray;
  }
}
