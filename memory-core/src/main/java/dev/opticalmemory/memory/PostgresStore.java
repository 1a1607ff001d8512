package dev.opticalmemory.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * PostgreSQL, for many processes on one memory: agent instances that append and workers that do
 * the background work. Connections come from a HikariCP pool made from a JDBC URL, or from a
 * {@link DataSource} the application gives (which the store does not close).
 *
 * <p>What keeps several processes right is in the database, never in a JVM: an append locks its
 * conversation's row ({@code SELECT ... FOR UPDATE}) and reads the open segment under that lock;
 * a tier change or a rendered page is applied only if the segment is still in the state it was
 * read in, so two workers never apply one transition twice. Images go in {@code bytea}.
 */
final class PostgresStore extends SqlStore {
  private final DataSource dataSource;
  private final HikariDataSource owned;

  private PostgresStore(DataSource dataSource, HikariDataSource owned, String description) {
    super(SqlSession.Dialect.POSTGRESQL, description);
    this.dataSource = dataSource;
    this.owned = owned;
  }

  /**
   * Opens a store on {@code jdbc:postgresql://...}; the password, when not in the URL, comes from
   * {@code password} (the caller reads it from the environment, never from a command line).
   */
  static PostgresStore open(String url, String password, int maxConnections) {
    String description = JdbcUrls.redact(url);
    // One connection straight from the driver first: an unreachable server or a wrong password is
    // reported at once, in the driver's words, instead of after the pool's connection timeout.
    java.util.Properties properties = new java.util.Properties();
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "10");
    try (Connection c = new org.postgresql.Driver().connect(url, properties)) {
      if (c == null) {
        throw new MemoryException("cannot open the memory database " + description
            + ": not a PostgreSQL URL");
      }
    } catch (SQLException e) {
      throw new MemoryException("cannot open the memory database " + description + ": "
          + oneLine(e), e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (password != null && !password.isEmpty()) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maxConnections);
    config.setPoolName("optical-memory");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1); // failures are reported below, in our words
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new MemoryException("cannot open the memory database " + description + ": "
          + oneLine(e), e);
    }
    return start(pool, pool, description);
  }

  /** Opens a store on a data source the application owns. */
  static PostgresStore open(DataSource dataSource) {
    String description;
    try (Connection c = dataSource.getConnection()) {
      description = JdbcUrls.redact(c.getMetaData().getURL());
    } catch (SQLException | RuntimeException e) {
      throw new MemoryException("cannot open the memory database (the given DataSource): "
          + oneLine(e), e);
    }
    return start(dataSource, null, description);
  }

  private static PostgresStore start(DataSource dataSource, HikariDataSource owned,
      String description) {
    PostgresStore store = new PostgresStore(dataSource, owned, description);
    try {
      try (Connection c = dataSource.getConnection()) {
        String product = c.getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equals(product)) {
          throw new MemoryException("cannot open the memory database " + description + ": it is "
              + product + ", not PostgreSQL");
        }
      }
      store.migrate();
      return store;
    } catch (SQLException | RuntimeException e) {
      if (owned != null) {
        owned.close();
      }
      if (e instanceof MemoryException m && m.getMessage().contains(description)) {
        throw m;
      }
      throw new MemoryException("cannot open the memory database " + description + ": "
          + reason(e), e);
    }
  }

  /** The first line of the deepest useful cause: what the driver said. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t instanceof RuntimeException
        && !(t instanceof MemoryException)) {
      t = t.getCause();
    }
    return oneLine(t);
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && owned != null) {
      owned.close();
    }
  }
}
