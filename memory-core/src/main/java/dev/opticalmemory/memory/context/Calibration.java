package dev.opticalmemory.memory.context;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * A reader's price as measured on a real server: the profile it started from and the factor by
 * which the server's bill differed, kept in a {@code .properties} file that {@link
 * VisionReader#named} takes wherever a reader name goes ({@code --reader my-server.properties}).
 *
 * @param reader the profile measured ({@link VisionReader#NAMES})
 * @param factor billed image tokens over the profile's, the largest seen, 0.1 to 10
 * @param model the model the server was asked for
 * @param url the server's address, without credentials
 * @param measured when, as an ISO date
 */
public record Calibration(String reader, double factor, String model, String url,
    String measured) {

  /**
   * Checks the fields.
   *
   * @param reader the profile measured
   * @param factor billed over priced, 0.1 to 10
   * @param model the model asked for
   * @param url the server's address
   * @param measured when
   * @throws IllegalArgumentException naming the field and its value
   */
  public Calibration {
    if (reader == null || reader.strip().endsWith(".properties")) {
      throw new IllegalArgumentException("reader must be a profile's name, but is: " + reader);
    }
    VisionReader.named(reader);
    if (!(factor >= 0.1 && factor <= 10)) {
      throw new IllegalArgumentException("factor must be 0.1 to 10, but is: " + factor);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank, but is: " + model);
    }
  }

  /**
   * The calibrated reader: the profile's prices times {@link #factor}, rounded up.
   *
   * @return the reader
   */
  public VisionReader toReader() {
    return VisionReader.named(reader).calibrated(factor, model + " at " + url + " on " + measured);
  }

  /**
   * Writes the calibration to {@code file}, whole or not at all (a temporary file moved in place).
   *
   * @param file where to keep it; its name must end in {@code .properties}
   * @throws IllegalArgumentException if the name does not end so
   * @throws java.io.UncheckedIOException if it cannot be written
   */
  public void save(Path file) {
    if (!file.getFileName().toString().endsWith(".properties")) {
      throw new IllegalArgumentException("file must end in .properties, but is: " + file);
    }
    Properties p = new Properties();
    p.setProperty("reader", reader);
    p.setProperty("factor", String.format(Locale.ROOT, "%.6f", factor));
    p.setProperty("model", model);
    p.setProperty("url", url);
    p.setProperty("measured", measured);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".calibration", ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "optical-memory reader calibration");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write the calibration to " + file, e);
    }
  }

  /**
   * Reads a calibration kept by {@link #save}.
   *
   * @param file the {@code .properties} file
   * @return the calibrated reader
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static VisionReader load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("reader file " + file + " cannot be read: " + e, e);
    }
    try {
      return new Calibration(p.getProperty("reader"),
          Double.parseDouble(String.valueOf(p.getProperty("factor"))), p.getProperty("model"),
          p.getProperty("url", ""), p.getProperty("measured", "")).toReader();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reader file " + file + " is not a calibration: "
          + e.getMessage(), e);
    }
  }
}
