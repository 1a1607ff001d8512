package dev.opticalmemory.memory;

import org.junit.jupiter.api.AfterAll;

/** The memory's contract on PostgreSQL, a fresh schema per test. */
class PostgresMemoryTest extends MemoryContractTest {
  static final PostgresDatabase DATABASE = new PostgresDatabase();
  /** The test's schema: a new test instance, and so a new schema, for each test. */
  private String url;

  @Override
  OpticalMemoryBuilder store() {
    if (url == null) {
      url = DATABASE.freshSchema();
    }
    return OpticalMemory.builder().decodeInBackground(false)
        .jdbcUrl(url).password(PostgresDatabase.password());
  }

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }
}
