package dev.opticalmemory.memory;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The embedded database's connections, kept open and handed out again, each with its parsed
 * statements.
 *
 * <p>H2's own {@code JdbcConnectionPool} rolls every connection back when it is given back, and a
 * rollback empties the session's cache of parsed statements ({@code QUERY_CACHE_SIZE}): every
 * statement of every request was parsed again, a visible share of a chat request's time in a
 * profile. Here a connection given back in auto-commit mode,
 * where no transaction can be open, is kept as it is; one given back with auto-commit off is
 * rolled back and set to auto-commit, as before. HikariCP, which the PostgreSQL store uses, would
 * do the same but logs through SLF4J, which would print a warning in every application without an
 * SLF4J provider.
 *
 * <p>At most {@code max} connections are open; a caller past that waits for one (30 s by default).
 * Thread-safe.
 */
final class H2ConnectionPool implements DataSource {
  private final String url;
  private final int max;
  private final java.time.Duration wait;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private int open;
  private boolean disposed;

  H2ConnectionPool(String url, int max) {
    this(url, max, java.time.Duration.ofSeconds(30));
  }

  H2ConnectionPool(String url, int max, java.time.Duration wait) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    this.url = url;
    this.max = max;
    this.wait = wait;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (true) {
        if (disposed) {
          throw new SQLException("the connection pool of " + url + " is closed");
        }
        Connection c = idle.pollFirst();
        if (c != null) {
          if (c.isClosed()) {
            open--;
            continue;
          }
          return handle(c);
        }
        if (open < max) {
          open++;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SQLTimeoutException("no database connection free within " + wait.toMillis()
              + " ms (all " + max + " in use)");
        }
        try {
          released.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for a database connection", e);
        }
      }
    } finally {
      lock.unlock();
    }
    try {
      return handle(DriverManager.getConnection(url, "sa", ""));
    } catch (SQLException | RuntimeException e) {
      lock.lock();
      try {
        open--;
        released.signal();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** Gives a connection back: kept where no transaction can be open, else rolled back first. */
  private void release(Connection c) {
    boolean keep;
    try {
      keep = !c.isClosed();
      if (keep && !c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      keep = false;
    }
    lock.lock();
    try {
      if (keep && !disposed) {
        idle.addFirst(c);
        released.signal();
        return;
      }
      open--;
      released.signal();
    } finally {
      lock.unlock();
    }
    closeQuietly(c);
  }

  /** Closes the connections not in use; those in use are closed as they are given back. */
  void dispose() {
    ArrayDeque<Connection> toClose;
    lock.lock();
    try {
      disposed = true;
      toClose = new ArrayDeque<>(idle);
      open -= idle.size();
      idle.clear();
      released.signalAll();
    } finally {
      lock.unlock();
    }
    toClose.forEach(H2ConnectionPool::closeQuietly);
  }

  /** Connections open now, in use or idle. */
  int open() {
    lock.lock();
    try {
      return open;
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // The database is gone already; nothing is left to release.
    }
  }

  /** A connection whose close gives the underlying one back; closed handles refuse every call. */
  private Connection handle(Connection physical) {
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              synchronized (closed) {
                if (!closed[0]) {
                  closed[0] = true;
                  release(physical);
                }
              }
              return null;
            case "isClosed":
              synchronized (closed) {
                return closed[0] || physical.isClosed();
              }
            case "equals":
              return proxy == args[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            case "toString":
              return "pooled " + physical;
            default:
              synchronized (closed) {
                if (closed[0]) {
                  throw new SQLException("the connection was given back to the pool (" + method.getName()
                      + " after close)");
                }
              }
              return invoke(physical, method, args);
          }
        });
  }

  private static Object invoke(Connection physical, Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(physical, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the pool's connections have one user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // nothing is logged
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // connections are embedded: there is no login to wait for
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the pool logs nothing");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
