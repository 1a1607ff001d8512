package dev.opticalmemory.eval;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code qa.csv}, written a row at a time as questions are answered, so that an interrupted run
 * loses at most the row in flight, and read back to resume: answered and skipped rows are kept,
 * failed ones dropped (to be asked again).
 */
final class QaCsv implements AutoCloseable {
  private static final ObjectWriter ROW;

  static {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
    QaRow.names().forEach(schema::addColumn);
    ROW = new CsvMapper().writer(schema.build());
  }

  private final BufferedWriter writer;

  private QaCsv(BufferedWriter writer) {
    this.writer = writer;
  }

  /** Opens {@code csv} to append rows; {@code fresh} starts it anew, header first. */
  static QaCsv open(Path csv, boolean fresh) throws IOException {
    BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, fresh ? StandardOpenOption.TRUNCATE_EXISTING
            : StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    if (fresh) {
      w.write(String.join(",", QaRow.names()));
      w.newLine();
      w.flush();
    }
    return new QaCsv(w);
  }

  /** Writes a row and flushes it. */
  void append(QaRow row) throws IOException {
    writer.write(ROW.writeValueAsString(row.cells()));
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /**
   * The rows of an earlier run to keep (answered or skipped), by conversation/question/system; the
   * file is rewritten without the failed rows.
   *
   * @throws IllegalArgumentException if the file has other columns, is of another model or budget,
   *     or cannot be read
   */
  static Map<String, QaRow> resume(Path csv, String model, int budget) {
    Map<String, QaRow> kept = new LinkedHashMap<>();
    if (!Files.exists(csv)) {
      return kept;
    }
    List<QaRow> all = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
      while (it.hasNext()) {
        Map<String, String> r = it.next();
        if (!r.keySet().equals(new HashSet<>(QaRow.names()))) {
          throw new IllegalArgumentException(csv + " has other columns than this version writes;"
              + " give another --out");
        }
        if (!model.equals(r.get("model")) || !String.valueOf(budget).equals(r.get("budget"))) {
          throw new IllegalArgumentException(csv + " holds answers of model " + r.get("model")
              + " at budget " + r.get("budget") + ", not of model " + model + " at budget "
              + budget + "; give another --out to keep both");
        }
        all.add(QaRow.parse(r));
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(csv + " cannot be resumed from (" + e.getMessage()
          + "); move it away or give another --out", e);
    }
    for (QaRow r : all) {
      if (r.status() != QaRow.Status.ERROR) {
        kept.put(r.conversation() + "/" + r.question() + "/" + r.system(), r);
      }
    }
    try (QaCsv rewritten = open(csv, true)) {
      for (QaRow r : kept.values()) {
        rewritten.append(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + csv, e);
    }
    return kept;
  }
}
