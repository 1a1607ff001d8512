package dev.opticalmemory.memory;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 database file. */
class H2FileStoreTest extends StoreContractTest {
  @TempDir Path tmp;

  @Override
  MemoryStore open() {
    return H2Store.open(tmp.resolve("store"), null, "file");
  }
}
