package dev.opticalmemory.eval;

import dev.opticalmemory.renderer.FontSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a report records so that a run can be repeated: command, versions, engine, fonts, seed. */
final class Provenance {
  private Provenance() {}

  static Map<String, String> of(String commandLine, String engine, FontSet fonts, long seed,
      Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command line", commandLine == null ? "(library call)" : commandLine);
    p.put("run at", Instant.now().toString());
    String version = Provenance.class.getPackage().getImplementationVersion();
    p.put("optical memory", version != null ? version : "development build (classes, not a jar)");
    p.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors()
        + " cores");
    p.put("ocr engine", engine);
    p.put("fonts", String.valueOf(fonts));
    p.put("seed", Long.toString(seed));
    p.putAll(extra);
    return p;
  }
}
