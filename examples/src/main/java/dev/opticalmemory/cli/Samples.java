package dev.opticalmemory.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Texts that ship with the command line (examples/samples, on the classpath under samples/). */
final class Samples {
  private Samples() {}

  static String text(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("sample " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sample " + name, e);
    }
  }
}
