package dev.opticalmemory.memory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The embedded default: H2 in one file (or in memory, for tests), with nothing to configure.
 *
 * <p>Commits are written to the file at once ({@code WRITE_DELAY 0}): an acknowledged append
 * survives the process being killed. H2's MVStore writes append-only chunks, so a kill during a
 * write leaves the last committed state readable. One store owns a file in a JVM; H2 itself refuses
 * a second process.
 */
final class H2Store extends SqlStore {
  /**
   * The H2 settings of a file database, chosen so that the file stays proportional to its data and
   * nothing is written beside it:
   * <ul>
   *   <li>{@code RETENTION_TIME=0}: space of chunks with no live data is reused at once. H2 keeps
   *       old chunks 45 s by default in case the operating system reorders writes at a power loss,
   *       which with one commit per append made files many times their data. The memory never
   *       promised power-loss durability (H2 does not fsync each commit); a killed process loses
   *       nothing acknowledged either way ({@code CrashTest}).
   *   <li>{@code MAX_COMPACT_TIME=1000}: up to 1 s of compaction when the database closes (H2's
   *       default is 200 ms).
   *   <li>{@code TRACE_LEVEL_FILE=0}, {@code TRACE_LEVEL_SYSTEM_OUT=0}: no {@code .trace.db} file and
   *       nothing on stdout; errors reach the caller as {@link MemoryException}s.
   *   <li>{@code QUERY_CACHE_SIZE=64}: parsed statements kept per connection (H2's default, 8, is
   *       fewer than the statements one chat request runs, so each was parsed again every time).
   * </ul>
   * Between those, {@link #maintain} frees dead space in the background.
   */
  static final String FILE_SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=0;MAX_COMPACT_TIME=1000"
      + ";TRACE_LEVEL_FILE=0;TRACE_LEVEL_SYSTEM_OUT=0;QUERY_CACHE_SIZE=64";

  /** The databases open in this JVM, by canonical file or URL: one owner each. */
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  private final H2ConnectionPool pool;
  private final String url;
  private final String owned;
  private final Object maintenance = new Object();
  private long lastMaintenanceNanos;
  private boolean maintained;
  private java.util.function.LongSupplier ticker = System::nanoTime;

  private H2Store(H2ConnectionPool pool, String url, String description, String owned) {
    super(SqlSession.Dialect.H2, description);
    this.pool = pool;
    this.url = url;
    this.owned = owned;
  }

  @Override
  DataSource dataSource() {
    return pool;
  }

  @Override
  public boolean shared() {
    return false;
  }

  /**
   * Opens a database file ({@code path}, H2's {@code .mv.db} suffix added) or an in-memory one.
   *
   * @param scheme H2's file system for the path: {@code file}, or a test's wrapper
   */
  static H2Store open(Path path, String memUrl, String scheme) {
    return open(path, memUrl, scheme, System::nanoTime);
  }

  /** The same, timing maintenance by {@code ticker} (nanoseconds; a test's moves on by hand). */
  static H2Store open(Path path, String memUrl, String scheme,
      java.util.function.LongSupplier ticker) {
    String url;
    String description;
    String owner;
    if (path != null) {
      Path file = Path.of(path + ".mv.db");
      checkPath(path, file);
      owner = canonical(file);
      url = "jdbc:h2:" + scheme + ":" + path + FILE_SETTINGS;
      description = file.toString();
    } else {
      url = memUrl + ";DB_CLOSE_DELAY=-1;TRACE_LEVEL_FILE=0;TRACE_LEVEL_SYSTEM_OUT=0"
          + ";QUERY_CACHE_SIZE=64";
      description = memUrl;
      owner = memUrl;
    }
    if (!OPEN.add(owner)) {
      throw new MemoryException("the memory database " + description + " is already open in this"
          + " JVM: share that OpticalMemory (it is thread-safe) instead of building a second one");
    }
    H2ConnectionPool pool = null;
    try {
      if (path != null) {
        checkHeader(Path.of(path + ".mv.db"));
      }
      pool = new H2ConnectionPool(url, 32);
      H2Store store = new H2Store(pool, url, description, owner);
      store.ticker = ticker;
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("SET WRITE_DELAY 0");
      }
      store.migrate();
      return store;
    } catch (SQLException | RuntimeException e) {
      if (pool != null) {
        pool.dispose();
      }
      OPEN.remove(owner);
      if (e instanceof MemoryException && e.getMessage().startsWith("cannot open")) {
        throw (MemoryException) e;
      }
      String hint = e instanceof SQLException && ((SQLException) e).getErrorCode() == 90020
          ? " (it is open in another process)" : "";
      throw new MemoryException("cannot open the memory database " + description + hint + ": "
          + oneLine(e), e);
    }
  }

  /** Refuses paths that H2 would turn into a surprising file: devices, existing files, no folder. */
  private static void checkPath(Path path, Path file) {
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new MemoryException("cannot open the memory database " + file + ": " + path
          + " is an existing " + (Files.isRegularFile(path) ? "file" : "special file") + "; the"
          + " path names the database without its .mv.db suffix, so give a new name");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new MemoryException("cannot open the memory database " + file
          + ": it exists and is not a regular file");
    }
    Path parent = path.getParent();
    if (parent != null) {
      if (Files.exists(parent) && !Files.isDirectory(parent)) {
        throw new MemoryException("cannot open the memory database " + file + ": " + parent
            + " is a file, not a folder");
      }
      try {
        Files.createDirectories(parent);
      } catch (java.io.IOException e) {
        throw new MemoryException("cannot open the memory database " + file
            + ": cannot create its folder (" + e + ")", e);
      }
    }
  }

  private static String canonical(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      return parent.toRealPath().resolve(file.getFileName()).toString();
    } catch (java.io.IOException e) {
      return file.toAbsolutePath().normalize().toString();
    }
  }

  /**
   * Refuses a file that is not an H2 database before H2 opens it for writing: H2 would rewrite the
   * header of a file it cannot read, and a failed open must leave a corrupt file as it was.
   */
  private static void checkHeader(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    byte[] head = new byte[4];
    int read;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (java.io.IOException e) {
      throw new MemoryException("cannot open the memory database " + file + ": cannot read it ("
          + e + ")", e);
    }
    if (read == 0) {
      return; // an empty file: H2 creates the database in it
    }
    if (read < head.length || !new String(head, StandardCharsets.ISO_8859_1).equals("H:2,")) {
      throw new MemoryException("cannot open the memory database " + file + ": it is not an H2"
          + " database file (its first bytes are not an H2 header); it was left as it is");
    }
  }

  /**
   * Frees dead space in the database file when most of its chunks are dead, at most once per
   * {@code every}: live pages of mostly dead chunks are rewritten ({@code MVStore.compact}, what H2's
   * own housekeeping thread does, which runs only with a write delay, and the memory commits every
   * append at once) and the old chunks are freed for the next writes. The file is shortened when
   * the database closes ({@code MAX_COMPACT_TIME}); moving chunks while it is open trips an
   * assertion inside H2 2.3.232, so that is left to the close. Reaches H2's engine classes, which
   * its JDBC API does not expose; if they change, maintenance is skipped with a warning.
   *
   * @return whether it rewrote anything
   */
  @Override
  public boolean maintain(java.time.Duration every) {
    if (closed.get() || url.startsWith("jdbc:h2:mem:")) {
      return false;
    }
    synchronized (maintenance) {
      long now = ticker.getAsLong();
      if (maintained && now - lastMaintenanceNanos < every.toNanos()) {
        return false;
      }
      maintained = true;
      lastMaintenanceNanos = now;
      try (Connection c = pool.getConnection()) {
        org.h2.mvstore.MVStore mv = mvStore(c);
        boolean compacted = false;
        // Live pages of mostly dead chunks are rewritten (what H2's own housekeeping does when it
        // runs); the commit after it frees the old chunks, whose space the next writes reuse.
        // Chunks are not moved while the database is open: H2 does that when it closes.
        for (int pass = 0; pass < 3 && mv.getFileStore().getChunksFillRate() < 60; pass++) {
          if (!mv.compact(80, 16 << 20)) {
            break;
          }
          mv.commit();
          compacted = true;
        }
        return compacted;
      } catch (SQLException | RuntimeException | LinkageError e) {
        if (!closed.get()) {
          System.getLogger(OpticalMemory.class.getName()).log(System.Logger.Level.WARNING,
              "compacting " + description() + " failed; it is retried later: " + oneLine(e));
        }
        return false;
      }
    }
  }

  private static org.h2.mvstore.MVStore mvStore(Connection c) throws SQLException {
    return ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession())
        .getDatabase().getStore().getMvStore();
  }

  /**
   * The share of the file that holds live data, 0 to 1, or 1 where it cannot be known (an
   * in-memory database, or H2's engine classes changed).
   */
  private static double liveShare(Connection c) {
    try {
      org.h2.mvstore.MVStore mv = mvStore(c);
      if (mv.getFileStore() == null) {
        return 1;
      }
      return mv.getFillRate() / 100.0 * mv.getFileStore().getChunksFillRate() / 100.0;
    } catch (SQLException | RuntimeException | LinkageError e) {
      return 1;
    }
  }

  /**
   * Closes the database once; later calls do nothing. Where less than 60% of the file is live
   * data, H2 rewrites it whole as it closes ({@code SHUTDOWN COMPACT}: a copy of the live data,
   * renamed over the file), so that a closed database is about the size of its data; otherwise it
   * only compacts for up to {@code MAX_COMPACT_TIME}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // One connection outside the pool keeps the database open while the pool lets go of its
      // own; then SHUTDOWN closes it, and nothing is left to close a second time.
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        pool.dispose();
        boolean compact = !url.startsWith("jdbc:h2:mem:") && liveShare(c) < 0.6;
        try (Statement s = c.createStatement()) {
          s.execute(compact ? "SHUTDOWN COMPACT" : "SHUTDOWN");
        }
      } catch (SQLException e) {
        // The database went away already (disk full, or closed by H2): nothing is left to flush.
      } finally {
        pool.dispose();
      }
    } finally {
      OPEN.remove(owned);
    }
  }
}
