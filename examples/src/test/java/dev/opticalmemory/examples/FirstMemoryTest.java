package dev.opticalmemory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java API example runs and recalls what it remembered. */
class FirstMemoryTest {
  @TempDir Path tmp;

  @Test
  void the_readme_java_example_recalls_the_locker_code_and_prices_a_context() {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      FirstMemory.run(tmp);
    } finally {
      System.setOut(out);
    }
    List<String> printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .toList();
    assertThat(printed.get(0)).startsWith("page 0 at TEXT: ").contains("4417");
    assertThat(printed.get(printed.size() - 1)).matches("\\d+ tokens for gpt-4o");
    assertThat(tmp.resolve("memory.mv.db")).exists();
  }
}
