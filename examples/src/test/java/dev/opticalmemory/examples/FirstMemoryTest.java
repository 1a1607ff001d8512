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
    List<String> printed = FirstMemory.run(tmp);
    assertThat(printed.get(0)).startsWith("page 0 at TEXT: ").contains("4417");
    assertThat(printed.get(printed.size() - 1)).matches("\\d+ tokens for gpt-4o");
    assertThat(tmp.resolve("memory.mv.db")).exists();
  }
}
