package dev.opticalmemory.memory;

/** The store contract on an H2 in-memory database, a fresh one per test. */
class H2InMemoryMemoryTest extends MemoryContractTest {
  @Override
  OpticalMemoryBuilder store() {
    return OpticalMemory.builder().decodeInBackground(false)
        .jdbcUrl("jdbc:h2:mem:contract" + NAMES.incrementAndGet());
  }
}
