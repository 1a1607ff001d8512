package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2ConnectionPoolTest {
  @TempDir Path dir;
  private H2ConnectionPool pool;

  @BeforeEach
  void open() throws SQLException {
    pool = new H2ConnectionPool("jdbc:h2:file:" + dir.resolve("pool") + H2Store.FILE_SETTINGS, 2,
        Duration.ofMillis(300));
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INT)");
    }
  }

  @AfterEach
  void close() {
    pool.dispose();
  }

  private static Object session(Connection c) throws SQLException {
    return c.unwrap(JdbcConnection.class).getSession();
  }

  private int rows() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void a_connection_given_back_in_auto_commit_mode_is_handed_out_again_with_its_session()
      throws SQLException {
    Object first;
    try (Connection c = pool.getConnection()) {
      first = session(c);
    }
    try (Connection c = pool.getConnection()) {
      assertThat(session(c)).isSameAs(first);
    }
    assertThat(pool.open()).isEqualTo(1);
  }

  @Test
  void writes_left_uncommitted_are_rolled_back_when_the_connection_is_given_back()
      throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO t VALUES (1)");
    }
    assertThat(rows()).isZero();
    try (Connection c = pool.getConnection()) {
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void committed_writes_stay() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("INSERT INTO t VALUES (1)");
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void a_handle_refuses_calls_after_close_and_a_second_close_is_harmless() throws SQLException {
    Connection c = pool.getConnection();
    c.close();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
        .hasMessageContaining("createStatement after close");
    assertThat(pool.open()).isEqualTo(1);
  }

  @Test
  void a_caller_past_the_limit_waits_for_a_connection_and_gets_the_one_given_back()
      throws Exception {
    Connection a = pool.getConnection();
    Connection b = pool.getConnection();
    Object sessionOfA = session(a);
    CompletableFuture<Object> third = CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return session(c);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(50);
    assertThat(third).isNotDone();
    a.close();
    assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(sessionOfA);
    b.close();
    assertThat(pool.open()).isEqualTo(2);
  }

  @Test
  void a_caller_past_the_limit_gets_a_timeout_that_says_how_many_are_in_use() throws SQLException {
    try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
      assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTimeoutException.class)
          .hasMessageContaining("all 2 in use").hasMessageContaining("300 ms");
    }
  }

  @Test
  void after_dispose_idle_connections_are_closed_busy_ones_on_give_back_and_none_is_handed_out()
      throws SQLException {
    Connection busy = pool.getConnection();
    try (Connection idle = pool.getConnection()) {
      assertThat(pool.open()).isEqualTo(2);
    }
    pool.dispose();
    assertThat(pool.open()).isEqualTo(1);
    Connection physical = busy.unwrap(JdbcConnection.class);
    busy.close();
    assertThat(physical.isClosed()).isTrue();
    assertThat(pool.open()).isZero();
    assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void a_connection_closed_underneath_is_not_handed_out_again() throws SQLException {
    Object first;
    try (Connection c = pool.getConnection()) {
      first = session(c);
      c.unwrap(JdbcConnection.class).close();
    }
    try (Connection c = pool.getConnection()) {
      assertThat(session(c)).isNotSameAs(first);
      assertThat(c.isValid(1)).isTrue();
    }
    assertThat(pool.open()).isEqualTo(1);
  }

  @Test
  void a_limit_below_one_is_refused_with_the_value() {
    assertThatThrownBy(() -> new H2ConnectionPool("jdbc:h2:mem:x", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max").hasMessageContaining("0");
  }
}
