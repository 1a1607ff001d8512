package dev.opticalmemory.memory;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.FontSet;
import dev.opticalmemory.renderer.PageEncoding;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * A memory's settings, checked and frozen by {@link OpticalMemoryBuilder#build()}: the internals
 * read them here, never from the builder, so a builder changed after {@code build()} changes
 * nothing. Optional parts are empty where the memory makes its own (the OCR engine, the executor,
 * the embedder, the token counter, the fonts).
 */
record Settings(
    StoreSettings store,
    boolean backgroundWork,
    Duration lease,
    AgingPolicy policy,
    Retention retention,
    Optional<OcrEngine> ocr,
    boolean measureFidelity,
    boolean decodeInBackground,
    boolean readOwnPages,
    boolean regionMarks,
    Retrieval retrieval,
    Salience salience,
    boolean rehearsal,
    Optional<Embedder> embedder,
    Optional<TokenCounter> tokenCounter,
    Clock clock,
    Optional<Executor> executor,
    List<TransitionListener> listeners,
    long cacheBytes,
    int maxTurnChars,
    Duration quietPeriod,
    Duration maxDeferral,
    Optional<FontSet> fonts,
    float pageFontSize,
    Map<Tier, PageEncoding> encodings,
    java.util.function.LongSupplier ticker) {

  Settings {
    listeners = List.copyOf(listeners);
    encodings = Map.copyOf(encodings);
  }

  /** The stored encoding of an image tier. */
  PageEncoding encoding(Tier tier) {
    return encodings.get(tier);
  }

  /** The memory's tiers from LARGE down, each as it stores them, as its page reader reads them. */
  java.util.List<dev.opticalmemory.renderer.PageReader.Step> chain() {
    java.util.List<dev.opticalmemory.renderer.PageReader.Step> chain = new java.util.ArrayList<>();
    for (Tier tier = Tier.LARGE; tier.isImage(); tier = tier.next()) {
      chain.add(new dev.opticalmemory.renderer.PageReader.Step(tier.mode().pixels(),
          encoding(tier)));
    }
    return chain;
  }

  /** Where a memory keeps its segments: one case per kind of store, each with what it needs. */
  sealed interface StoreSettings {
    /** Opens the store. */
    MemoryStore open();

    /**
     * An H2 database file; {@code scheme} is H2's file system ({@code file}, or a test's), and
     * {@code ticker} times its maintenance.
     */
    record H2File(Path path, String scheme, java.util.function.LongSupplier ticker)
        implements StoreSettings {
      @Override
      public MemoryStore open() {
        return H2Store.open(path, null, scheme, ticker);
      }
    }

    /** An H2 database in memory, gone when the memory closes. */
    record H2InMemory(String url) implements StoreSettings {
      @Override
      public MemoryStore open() {
        return H2Store.open(null, url, "file");
      }
    }

    /** A PostgreSQL server by URL, through a pool the memory owns. */
    record PostgresUrl(String url, String password, int maxConnections) implements StoreSettings {
      @Override
      public MemoryStore open() {
        requirePostgres(true);
        return PostgresStore.open(url, password, maxConnections);
      }

      @Override
      public String toString() {
        return "PostgresUrl[" + JdbcUrls.redact(url) + ", maxConnections=" + maxConnections
            + "]";
      }
    }

    /** A PostgreSQL server through the application's pool, which the memory does not close. */
    record PostgresPool(DataSource dataSource) implements StoreSettings {
      @Override
      public MemoryStore open() {
        requirePostgres(false);
        return PostgresStore.open(dataSource);
      }
    }

    /**
     * Checks that PostgreSQL's optional dependencies are present before any class that names them
     * loads, so that their absence is an error naming what to add.
     */
    private static void requirePostgres(boolean ownPool) {
      java.util.List<String> missing = new java.util.ArrayList<>();
      if (ownPool) {
        present("org.postgresql.Driver", "org.postgresql:postgresql", missing);
        present("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP", missing);
      }
      present("org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
          "org.flywaydb:flyway-database-postgresql", missing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("a PostgreSQL store needs the optional "
            + (missing.size() == 1 ? "dependency " : "dependencies ") + String.join(", ", missing)
            + " (their versions are in optical-memory-bom)");
      }
    }

    private static void present(String className, String artifact, java.util.List<String> missing) {
      try {
        Class.forName(className, false, Settings.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(artifact);
      }
    }
  }
}
