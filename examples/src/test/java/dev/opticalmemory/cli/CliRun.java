package dev.opticalmemory.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in this JVM, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = OpticalMemoryCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The JSON objects it printed, one per line, leaving out its other lines. */
  java.util.List<com.fasterxml.jackson.databind.JsonNode> jsonLines() throws java.io.IOException {
    java.util.List<com.fasterxml.jackson.databind.JsonNode> rows = new java.util.ArrayList<>();
    for (String line : out.lines().toList()) {
      if (line.startsWith("{")) {
        rows.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
      }
    }
    return rows;
  }
}
