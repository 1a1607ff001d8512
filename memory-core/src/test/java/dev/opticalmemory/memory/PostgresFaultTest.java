package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What goes wrong with a server, each a clear error naming the URL without its password. */
class PostgresFaultTest {
  static final PostgresDatabase DATABASE = new PostgresDatabase();

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }

  @Test
  void an_unreachable_server_is_a_clear_error_that_names_the_url_without_its_password() {
    String url = "jdbc:postgresql://127.0.0.1:1/memory?user=agent&password=hunter2";
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl(url).build())
        .isInstanceOf(MemoryException.class)
        .hasMessageStartingWith("cannot open the memory database"
            + " jdbc:postgresql://127.0.0.1:1/memory?user=agent&password=***: ")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("hunter2")
        .hasCauseInstanceOf(java.sql.SQLException.class);
  }

  @Test
  void wrong_credentials_are_a_clear_error() {
    String url = DATABASE.freshSchema();
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl(url).password("not-the-password")
        .build())
        .isInstanceOf(MemoryException.class)
        .hasMessageStartingWith("cannot open the memory database " + url + ": ")
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void a_database_at_a_newer_schema_version_is_refused_before_anything_is_written()
      throws Exception {
    String url = DATABASE.freshSchema();
    PostgresStore.open(url, PostgresDatabase.password(), 2).close();
    try (Connection c = PostgresDatabase.connect(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
          + " script, checksum, installed_by, execution_time, success) VALUES (99, '"
          + (SqlStore.SCHEMA_VERSION + 1) + "', 'from the future', 'SQL', 'V99__future.sql', 0,"
          + " 'test', 0, TRUE)");
    }
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl(url)
        .password(PostgresDatabase.password()).build())
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("has schema version " + (SqlStore.SCHEMA_VERSION + 1) + ", newer"
            + " than this version of Optical Memory reads (" + SqlStore.SCHEMA_VERSION + ")");
  }

  @Test
  void a_connection_dropped_mid_transaction_leaves_nothing_half_written() throws Exception {
    String url = DATABASE.freshSchema();
    try (MemoryStore store = PostgresStore.open(url, PostgresDatabase.password(), 2)) {
      Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
      store.write("a first turn", s -> {
        s.createConversation("c", t0);
        long id = s.createSegment("c", 0, 0, t0);
        s.insertPart("c", id, new MemoryStore.StoredPart(0, 0, Role.USER, "Ann", "kept", t0,
            null), 4, 1, null);
        s.updateConversation("c", new MemoryStore.Totals(1, 1, 1));
        return null;
      });
      assertThatThrownBy(() -> store.write("a turn cut off", s -> {
        long id = s.openSegment("c").orElseThrow().id();
        s.insertPart("c", id, new MemoryStore.StoredPart(1, 0, Role.USER, "Ann", "lost", t0,
            null), 4, 1, null);
        terminateTransactionsOtherThanThisTest(url);
        s.updateConversation("c", new MemoryStore.Totals(2, 2, 1));
        return null;
      })).isInstanceOf(MemoryException.class)
          .hasMessageStartingWith("database error while a turn cut off ("
              + JdbcUrls.redact(url) + "): ");
      // The pool drops the broken connection; the next write gets a new one.
      assertThat(store.read("after", (MemoryStore.Session s) -> s.conversation("c")))
          .contains(new MemoryStore.Totals(1, 1, 1));
      assertThat(store.read("after", (MemoryStore.Session s) -> s.parts(s.openSegment("c").orElseThrow().id())))
          .extracting(MemoryStore.StoredPart::text).containsExactly("kept");
    }
  }

  @Test
  void a_data_source_of_the_application_is_used_and_left_open() throws Exception {
    String url = DATABASE.freshSchema();
    org.postgresql.ds.PGSimpleDataSource pool = new org.postgresql.ds.PGSimpleDataSource();
    pool.setUrl(url);
    pool.setPassword(PostgresDatabase.password());
    try (OpticalMemory memory = OpticalMemory.builder().decodeInBackground(false).dataSource(pool)
        .fonts(dev.opticalmemory.renderer.FontSet.latinOnly()).backgroundWork(false).build()) {
      assertThat(memory.append("c", MemoryTurn.user("Ann", "through your pool"))).isZero();
      assertThat(memory.toString()).contains("currentSchema=").doesNotContain("password");
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT turns FROM conversations WHERE id = 'c'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isEqualTo(1);
    }
  }

  /** What a server restart or a network cut does to an open transaction. */
  private static void terminateTransactionsOtherThanThisTest(String url) {
    try (Connection c = PostgresDatabase.connect(url); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE state = 'idle in transaction' AND usename = current_user"
          + " AND pid <> pg_backend_pid()");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
