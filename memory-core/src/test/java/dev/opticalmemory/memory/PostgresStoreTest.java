package dev.opticalmemory.memory;

import org.junit.jupiter.api.AfterAll;

/** The store contract on PostgreSQL, a fresh schema per test. */
class PostgresStoreTest extends StoreContractTest {
  static final PostgresDatabase DATABASE = new PostgresDatabase();

  @Override
  MemoryStore open() {
    return PostgresStore.open(DATABASE.freshSchema(), PostgresDatabase.password(), 4);
  }

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }
}
