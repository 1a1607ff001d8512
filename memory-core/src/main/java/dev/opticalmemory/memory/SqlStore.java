package dev.opticalmemory.memory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What both SQL stores share: transactions over a pooled {@link DataSource}, failures turned into
 * one-line {@link MemoryException}s, and the schema, versioned by Flyway from the SQL files under
 * {@code db/migration/<dialect>/} and, where both dialects read the same SQL (from version 5),
 * {@code db/migration/common/}.
 *
 * <p>Databases written before Flyway (schema version 1 and 2, kept in a table
 * {@code schema_version}) are taken over at their version (Flyway's baseline) and migrated on from
 * there. A database at a version newer than this code knows is refused before anything is written.
 */
abstract class SqlStore implements MemoryStore {
  /** The newest schema version this code writes: the last migration file of each dialect. */
  static final int SCHEMA_VERSION = 7;

  private final SqlSession.Dialect dialect;
  private final String description;
  final AtomicBoolean closed = new AtomicBoolean();

  SqlStore(SqlSession.Dialect dialect, String description) {
    this.dialect = dialect;
    this.description = description;
  }

  /** The pool the store's work runs on. */
  abstract DataSource dataSource();

  @Override
  public String description() {
    return description;
  }

  private void checkOpen(String what) {
    if (closed.get()) {
      throw new IllegalStateException("the memory database " + description + " is closed (while "
          + what + ")");
    }
  }

  @Override
  public <T> T write(String what, Work<T> work) {
    checkOpen(what);
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(new SqlSession(c, dialect));
        c.commit();
        // Back in auto-commit mode with nothing open: the pool keeps the connection as it is,
        // with its parsed statements (H2ConnectionPool).
        c.setAutoCommit(true);
        return result;
      } catch (RuntimeException e) {
        try {
          c.rollback();
          c.setAutoCommit(true);
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SqlSession.SqlFailure e) {
      throw failure(what, e.getCause());
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  @Override
  public <T> T read(String what, Work<T> work) {
    checkOpen(what);
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      return work.run(new SqlSession(c, dialect));
    } catch (SqlSession.SqlFailure e) {
      throw failure(what, e.getCause());
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  MemoryException failure(String what, SQLException e) {
    if (diskFull(e)) {
      return new MemoryException("the disk is full: cannot write " + description + " while "
          + what + "; nothing acknowledged before is lost; free space, then open the memory again",
          e);
    }
    if (closed.get()) {
      return new MemoryException("the memory database " + description + " is closed (while "
          + what + ")", e);
    }
    return new MemoryException("database error while " + what + " (" + description + "): "
        + oneLine(e), e);
  }

  /**
   * Brings the schema to {@link #SCHEMA_VERSION} with Flyway, taking over a database versioned by
   * the earlier hand-written table at its version.
   */
  void migrate() throws SQLException {
    int legacy;
    int newest;
    try (Connection c = dataSource().getConnection()) {
      legacy = legacyVersion(c);
      newest = newestApplied(c);
    }
    int current = Math.max(legacy, newest);
    if (current > SCHEMA_VERSION) {
      throw new MemoryException("the database " + description + " has schema version " + current
          + ", newer than this version of Optical Memory reads (" + SCHEMA_VERSION + ");"
          + " use a newer Optical Memory");
    }
    if (newest == SCHEMA_VERSION) {
      // Current already: Flyway would only check the applied files' checksums, and starting it
      // is a noticeable share of every open (a chat app's first reply waits for it).
      return;
    }
    quietFlyway();
    var config = Flyway.configure(getClass().getClassLoader())
        // Flyway takes a LogCreator class name: java.util.logging, quieted by quietFlyway().
        .loggers("org.flywaydb.core.internal.logging.javautil.JavaUtilLogCreator")
        .dataSource(dataSource())
        .locations("classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT),
            "classpath:db/migration/common")
        .table("flyway_schema_history")
        .validateMigrationNaming(true);
    if (legacy > 0 && newest == 0) {
      config = config.baselineOnMigrate(true).baselineVersion(MigrationVersion.fromVersion(
          Integer.toString(legacy))).baselineDescription("taken over from schema_version");
    }
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new MemoryException("cannot bring the schema of " + description + " to version "
          + SCHEMA_VERSION + ": " + oneLine(e), e);
    }
  }

  /** Held so that the level set on it is not lost when the logger would be collected. */
  private static final java.util.logging.Logger FLYWAY_LOG =
      java.util.logging.Logger.getLogger("org.flywaydb");

  /**
   * A library that talks unasked is a nuisance in its users' logs: Flyway's dozens of INFO lines on
   * every new database go to java.util.logging at WARNING and above, unless the application set
   * a level for {@code org.flywaydb} itself.
   */
  private static void quietFlyway() {
    synchronized (FLYWAY_LOG) {
      if (FLYWAY_LOG.getLevel() == null) {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
      }
    }
  }

  /** The version in the hand-written {@code schema_version} table of earlier releases, or 0. */
  private static int legacyVersion(Connection c) throws SQLException {
    if (!hasTable(c, "schema_version")) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** The newest version Flyway applied, or 0. */
  private static int newestApplied(Connection c) throws SQLException {
    if (!hasTable(c, "flyway_schema_history")) {
      return 0;
    }
    int newest = 0;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\""
            + " WHERE \"success\" AND \"version\" IS NOT NULL")) {
      while (r.next()) {
        try {
          newest = Math.max(newest, Integer.parseInt(r.getString(1)));
        } catch (NumberFormatException e) {
          newest = Integer.MAX_VALUE; // a version this code never wrote: newer, in any case
        }
      }
    }
    return newest;
  }

  private static boolean hasTable(Connection c, String name) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String schema = c.getSchema();
    for (String candidate : new String[] {name, name.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet r = meta.getTables(null, schema, candidate, new String[] {"TABLE"})) {
        if (r.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first line of an exception's message. */
  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip();
      if (message.endsWith(";")) {
        message = message.substring(0, message.length() - 1);
      }
    }
    return message;
  }

  /** Whether the cause of a failure is a full disk. */
  static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device")
          || m.contains("There is not enough space on the disk"))) {
        return true;
      }
    }
    return false;
  }
}
