package dev.opticalmemory.memory;

/** The store contract on an H2 in-memory database, a fresh one per test. */
class H2InMemoryStoreTest extends StoreContractTest {
  @Override
  MemoryStore open() {
    return H2Store.open(null, "jdbc:h2:mem:store" + MemoryContractTest.NAMES.incrementAndGet(),
        "file");
  }
}
