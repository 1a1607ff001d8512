package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database file: its size, its neighbours, its owner, its path, a full disk, an old schema. */
class DatabaseFileTest {
  @TempDir Path tmp;

  @AfterEach
  void noLimit() {
    DiskFullFileSystem.LIMIT.set(Long.MAX_VALUE);
  }

  private OpticalMemoryBuilder builder(Path db) {
    return OpticalMemory.builder().decodeInBackground(false).path(db).fonts(FontSet.latinOnly());
  }

  @Test
  void the_file_stays_within_twice_the_stored_bytes_while_open_and_after_closing() throws Exception {
    Path db = tmp.resolve("size");
    Path file = Path.of(db + ".mv.db");
    List<MemoryTurn> turns = Conversations.harbour(3000, 11);
    long stored = 0;
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    OpticalMemoryBuilder timed = builder(db);
    timed.ticker = nanos::get;
    try (OpticalMemory memory = timed.build()) {
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c" + (i % 10), turns.get(i));
      }
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(5))).isTrue();
      for (String c : memory.conversations()) {
        stored += memory.stats(c).storedBytes();
      }
      // One more settle after the backlog: background work compacts at most every 2 s.
      nanos.addAndGet(java.time.Duration.ofMillis(2100).toNanos());
      memory.operations().age("c0");
      assertThat(memory.operations().awaitIdle(Duration.ofMinutes(1))).isTrue();
      // While open, dead space is reused but the file is not shortened (the README's figures:
      // 4.7 times here); before the settings and the maintenance it was 13 times.
      assertThat(Files.size(file)).as("file while open, stored %d", stored)
          .isLessThanOrEqualTo(8 * stored);
    }
    assertThat(Files.size(file)).as("file after close, stored %d", stored)
        .isLessThanOrEqualTo(2 * stored);
    try (OpticalMemory memory = builder(db).build()) {
      assertThat(memory.stats("c3").turns()).isEqualTo(300);
    }
    assertThat(Files.size(file)).isLessThanOrEqualTo(2 * stored);
  }

  @Test
  void nothing_is_written_beside_the_database_file_not_even_a_trace() {
    Path db = tmp.resolve("quiet");
    try (OpticalMemory memory = builder(db).executor(Runnable::run).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 3)) {
        memory.append("c", turn);
      }
    }
    try (OpticalMemory memory = builder(db).executor(Runnable::run).build()) {
      memory.append("c", MemoryTurn.user("Mira", "again"));
    }
    assertThat(tmp.toFile().list()).containsExactly("quiet.mv.db");
  }

  @Test
  void close_is_idempotent_and_safe_from_many_threads_at_once() throws Exception {
    OpticalMemory memory = builder(tmp.resolve("close")).build();
    memory.append("c", MemoryTurn.user("Mira", "hello"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> closes = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        closes.add(pool.submit(() -> {
          go.await();
          memory.close();
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : closes) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Mira", "late")))
        .isInstanceOf(IllegalStateException.class).hasMessage("the optical memory is closed");
    try (OpticalMemory again = builder(tmp.resolve("close")).build()) {
      assertThat(again.stats("c").turns()).isEqualTo(1);
    }
  }

  @Test
  void a_second_memory_on_the_same_file_in_one_jvm_is_refused_until_the_first_closes() {
    Path db = tmp.resolve("owned");
    OpticalMemory first = builder(db).build();
    try {
      assertThatThrownBy(() -> builder(tmp.resolve("sub/../owned.mv.db")).build())
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("owned.mv.db is already open in this JVM")
          .hasMessageContaining("share that OpticalMemory");
      first.append("c", MemoryTurn.user("Mira", "still mine"));
    } finally {
      first.close();
    }
    try (OpticalMemory second = builder(db).build()) {
      assertThat(second.stats("c").turns()).isEqualTo(1);
    }
  }

  @Test
  void paths_that_would_make_a_surprising_file_are_refused() throws Exception {
    assertThatThrownBy(() -> OpticalMemory.builder().path(Path.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must name a database file, but is: ''");
    assertThatThrownBy(() -> builder(Path.of("/dev/null")).build())
        .isInstanceOf(MemoryException.class)
        .hasMessage("cannot open the memory database /dev/null.mv.db: /dev/null is an existing"
            + " special file; the path names the database without its .mv.db suffix, so give a"
            + " new name");
    assertThat(Path.of("/dev/null.mv.db")).doesNotExist();
    Path readme = Files.writeString(tmp.resolve("README.md"), "# notes");
    assertThatThrownBy(() -> builder(readme).build()).isInstanceOf(MemoryException.class)
        .hasMessageContaining(readme + " is an existing file");
    assertThatThrownBy(() -> builder(readme.resolve("memory")).build())
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining(readme + " is a file, not a folder");
    assertThat(tmp.toFile().list()).containsExactly("README.md");
  }

  @Test
  void a_path_given_with_the_mv_db_suffix_names_that_file() {
    try (OpticalMemory memory = builder(tmp.resolve("named.mv.db")).executor(Runnable::run)
        .build()) {
      memory.append("c", MemoryTurn.user("Mira", "hello"));
    }
    assertThat(tmp.toFile().list()).containsExactly("named.mv.db");
  }

  @Test
  void a_file_that_is_not_a_database_is_refused_and_left_byte_for_byte_as_it_was() throws Exception {
    byte[] junk = new byte[20_000];
    new Random(7).nextBytes(junk);
    Path file = Files.write(tmp.resolve("junk.mv.db"), junk);
    assertThatThrownBy(() -> builder(tmp.resolve("junk")).build())
        .isInstanceOf(MemoryException.class)
        .hasMessage("cannot open the memory database " + file + ": it is not an H2 database file"
            + " (its first bytes are not an H2 header); it was left as it is");
    assertThat(Files.readAllBytes(file)).isEqualTo(junk);
  }

  @Test
  void a_full_disk_is_a_one_line_error_and_nothing_acknowledged_is_lost() throws Exception {
    DiskFullFileSystem.register();
    Path db = tmp.resolve("full");
    // No background work: only appends write, so the first write past the limit is an append's.
    OpticalMemoryBuilder full = builder(db).executor(task -> { });
    full.h2Scheme = "diskfull";
    int acknowledged = 0;
    MemoryException failure = null;
    OpticalMemory memory = full.build();
    try {
      memory.append("c", MemoryTurn.user("Mira", "first"));
      acknowledged = 1;
      DiskFullFileSystem.LIMIT.set(sizeOf(db) + 64 * 1024);
      List<MemoryTurn> turns = Conversations.harbour(3000, 5);
      for (int i = 0; i < turns.size(); i++) {
        memory.append("c", turns.get(i));
        acknowledged++;
      }
    } catch (MemoryException e) {
      failure = e;
    } finally {
      memory.close();
    }
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).startsWith("the disk is full: cannot write " + db
        + ".mv.db while ").doesNotContain("\n").contains("nothing acknowledged before is lost");
    assertThat(failure.getCause()).isNotNull();
    DiskFullFileSystem.LIMIT.set(Long.MAX_VALUE);
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try (OpticalMemory reopened = builder(db).executor(Runnable::run).build()) {
      assertThat(reopened.stats("c").turns()).isEqualTo(acknowledged);
      assertThat(reopened.append("c", MemoryTurn.user("Mira", "after"))).isEqualTo(acknowledged);
      assertThat(reopened.stats("c").turns()).isEqualTo(acknowledged + 1);
    } finally {
      System.setErr(stderr);
    }
    // After a full disk, H2 once printed its lob cleaner's stack trace on a later stats.
    assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
        .as("what the reopened memory printed on stderr").isEmpty();
    try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("files beside the database after the full disk").containsOnly("full.mv.db");
    }
  }

  private static long sizeOf(Path db) {
    try {
      return Files.size(Path.of(db + ".mv.db"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void a_damaged_database_that_fails_to_open_is_left_byte_for_byte_as_it_was() throws Exception {
    Path db = tmp.resolve("damaged");
    try (OpticalMemory memory = builder(db).executor(Runnable::run).build()) {
      for (MemoryTurn turn : Conversations.harbour(300, 4)) {
        memory.append("c", turn);
      }
    }
    Path file = Path.of(db + ".mv.db");
    byte[] original = Files.readAllBytes(file);
    Random random = new Random(3);
    // Both header copies after their first bytes, then 4 KB of noise at places through the file.
    long[] offsets = {-1, 8192, original.length / 3, original.length / 2, original.length - 4096};
    int failed = 0;
    for (long offset : offsets) {
      byte[] bytes = original.clone();
      if (offset < 0) {
        java.util.Arrays.fill(bytes, 8, 8192, (byte) 'x');
      } else {
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, bytes, (int) offset, 4096);
      }
      Files.write(file, bytes);
      try {
        builder(db).executor(Runnable::run).build().close();
      } catch (MemoryException e) {
        failed++;
        assertThat(e.getMessage()).startsWith("cannot open the memory database " + file)
            .doesNotContain("\n");
        assertThat(Files.readAllBytes(file)).as("the file after a failed open (damage at %d)",
            offset).isEqualTo(bytes);
      }
    }
    assertThat(failed).as("damages that made the open fail").isPositive();
  }

  @Test
  void a_database_written_by_schema_version_1_opens_upgrades_and_keeps_its_turns() throws Exception {
    Path file = tmp.resolve("v1.mv.db");
    try (InputStream in = getClass().getResourceAsStream("/schema-v1/memory.mv.db")) {
      Files.copy(in, file);
    }
    try (OpticalMemory memory = builder(tmp.resolve("v1")).executor(Runnable::run).build()) {
      assertThat(memory.stats("v1").turns()).isEqualTo(150);
      assertThat(memory.segments("v1")).hasSize(3);
      assertThat(memory.operations().turns("v1", memory.segments("v1").get(2).id()).get(0).text())
          .startsWith("Turn ");
      assertThat(memory.append("v1", MemoryTurn.user("Ann", "after the upgrade"), "m150"))
          .isEqualTo(150);
      assertThat(memory.append("v1", MemoryTurn.user("Ann", "after the upgrade"), "m150"))
          .isEqualTo(150);
    }
  }
}
