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

  /**
   * The command line run as its own JVM, on this class path, as a user or a client starts it.
   *
   * @param args the command's arguments
   * @return the command to give a {@link ProcessBuilder}
   */
  static java.util.List<String> command(String... args) {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        OpticalMemoryCli.class.getName()));
    command.addAll(java.util.List.of(args));
    return command;
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
