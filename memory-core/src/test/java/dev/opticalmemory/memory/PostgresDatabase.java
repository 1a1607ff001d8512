package dev.opticalmemory.memory;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests: {@code OPTICAL_MEMORY_TEST_PG_URL} (a {@code jdbc:postgresql}
 * URL with its user) and {@code PGPASSWORD}, which {@code .ci/run} sets after starting a cluster on
 * 127.0.0.1. Without them the PostgreSQL tests are skipped, saying why; under {@code CI=true} they
 * fail instead. Each test works in a schema of its own, dropped afterwards.
 */
public final class PostgresDatabase {
  public static final String URL_VARIABLE = "OPTICAL_MEMORY_TEST_PG_URL";

  private final List<String> schemas = new ArrayList<>();

  /** The server's URL, or the test is skipped (locally) or failed (in CI). */
  public static String url() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      String why = URL_VARIABLE + " is not set: no PostgreSQL server to test against (.ci/run"
          + " starts one and sets it)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; under CI=true a missing PostgreSQL is a failure, not a skip");
      }
      Assumptions.abort(why);
    }
    return url;
  }

  public static String password() {
    String password = System.getenv("PGPASSWORD");
    return password == null ? "" : password;
  }

  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, null, password());
  }

  /** A new empty schema; the URL that works in it. */
  public String freshSchema() {
    String base = url();
    String schema = "om_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = connect(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema on " + base + ": " + e, e);
    }
    schemas.add(schema);
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** A builder on a fresh schema. */
  public OpticalMemoryBuilder freshBuilder() {
    return OpticalMemory.builder().decodeInBackground(false)
        .jdbcUrl(freshSchema()).password(password());
  }

  /** Drops the schemas made so far. */
  public void dropAll() {
    if (schemas.isEmpty()) {
      return;
    }
    try (Connection c = connect(url()); Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
      schemas.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test schemas " + schemas + ": " + e, e);
    }
  }
}
