package dev.opticalmemory.eval;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** CSV files, PNG plots and the HTML report of an experiment. */
final class Reports {
  private Reports() {}

  /**
   * A CSV column over typed rows: its header and how a row gives its cell.
   *
   * @param <T> the row type
   * @param name the header
   * @param value the cell of a row (written as its text; an empty string for none)
   */
  record Column<T>(String name, java.util.function.Function<T, Object> value) {}

  static <T> Column<T> column(String name, java.util.function.Function<T, Object> value) {
    return new Column<>(name, value);
  }

  /** Writes typed rows as CSV with a header, one column each as {@code columns} say. */
  static <T> void table(Path file, List<Column<T>> columns, List<T> rows) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(c -> schema.addColumn(c.name()));
    try (com.fasterxml.jackson.databind.SequenceWriter out = new CsvMapper()
        .writer(schema.build()).writeValues(file.toFile())) {
      for (T row : rows) {
        List<Object> cells = new ArrayList<>(columns.size());
        columns.forEach(c -> cells.add(c.value().apply(row)));
        out.write(cells);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Twelve colours that stay apart on white (Tableau 10 and two darker ones); XChart's default
   * palette has pale ones that a line on a white plot nearly disappears in.
   */
  private static final Color[] COLOURS = {new Color(0x4E79A7), new Color(0xF28E2B),
      new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948),
      new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x555555),
      new Color(0x1F3A93), new Color(0x8B0000)};

  /** One line of a plot: its name and its points, x ascending. */
  record Series(String name, List<double[]> points) {}

  /** A line plot with markers, written as PNG. */
  static void plot(Path png, String title, String xLabel, String yLabel, List<Series> series,
      Double yMin, Double yMax) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel).build();
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setSeriesColors(COLOURS);
    if (yMin != null) {
      chart.getStyler().setYAxisMin(yMin);
    }
    if (yMax != null) {
      chart.getStyler().setYAxisMax(yMax);
    }
    int added = 0;
    for (Series s : series) {
      if (s.points().isEmpty()) {
        continue;
      }
      double[] x = new double[s.points().size()];
      double[] y = new double[s.points().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = s.points().get(i)[0];
        y[i] = s.points().get(i)[1];
      }
      chart.addSeries(s.name(), x, y).setMarker(SeriesMarkers.CIRCLE);
      added++;
    }
    if (added == 0) {
      chart.addSeries("no data", new double[] {0}, new double[] {0});
    }
    try {
      BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("\\.png$", ""),
          BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  /** An HTML page: a title, a provenance table, then sections of raw HTML. */
  static void html(Path file, String title, Map<String, String> provenance, List<String> sections) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>" + escape(title) + "</title><style>body{font-family:sans-serif;max-width:1100px;"
        + "margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}"
        + "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th{background:#eee}"
        + "td:first-child{text-align:left}img{max-width:100%}</style></head><body>\n<h1>"
        + escape(title) + "</h1>\n");
    html.append("<table>");
    provenance.forEach((k, v) -> html.append("<tr><th>").append(escape(k)).append("</th><td>")
        .append(escape(v)).append("</td></tr>"));
    html.append("</table>\n");
    sections.forEach(s -> html.append(s).append('\n'));
    html.append("</body></html>\n");
    try {
      Files.writeString(file, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** An HTML table from a header and rows of cells. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder t = new StringBuilder("<table><tr>");
    header.forEach(h -> t.append("<th>").append(escape(h)).append("</th>"));
    t.append("</tr>");
    for (List<String> row : rows) {
      t.append("<tr>");
      row.forEach(c -> t.append("<td>").append(escape(c)).append("</td>"));
      t.append("</tr>");
    }
    return t.append("</table>").toString();
  }

  /** The same table in Markdown. */
  static String markdown(List<String> header, List<List<String>> rows) {
    StringBuilder t = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
    header.forEach(h -> t.append("---|"));
    t.append('\n');
    for (List<String> row : rows) {
      t.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return t.toString();
  }

  /** The value at quantile {@code p} (0 to 1) of ascending values, nearest rank; NaN if none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static List<String> list(String... items) {
    return new ArrayList<>(List.of(items));
  }
}
