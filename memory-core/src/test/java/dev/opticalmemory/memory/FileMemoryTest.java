package dev.opticalmemory.memory;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests on one memory in a fresh database file, with background work run inline. */
abstract class FileMemoryTest {
  @TempDir Path tmp;
  OpticalMemory memory;

  /** The memory of each test: a file {@code m} in the test's folder. */
  OpticalMemory open(Path db) {
    return OpticalMemory.builder().decodeInBackground(false)
        .path(db).fonts(FontSet.latinOnly()).executor(Runnable::run)
        .build();
  }

  @BeforeEach
  void open() {
    memory = open(tmp.resolve("m"));
  }

  @AfterEach
  void close() {
    memory.close();
  }
}
