package dev.opticalmemory.cli;

import dev.opticalmemory.memory.MemoryException;
import dev.opticalmemory.memory.MemoryWorker;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worker}: only background work (rendering and aging), for a memory that agent processes
 * share, until stopped. It polls for conversations with work left, claims each segment with a lease
 * and does its work; on SIGTERM (or Ctrl-C) it finishes the step in hand, gives its leases back and
 * exits 0.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Runs only the background work (page rendering and aging) of a shared memory until"
        + " stopped; SIGTERM finishes the step in hand and gives the leases back.")
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "URL|PATH",
      description = "The shared memory: a jdbc:postgresql:// URL (password from"
          + " OPTICAL_MEMORY_DB_PASSWORD or PGPASSWORD), or an H2 file.")
  String db;

  @Option(names = "--poll", defaultValue = "PT1S", paramLabel = "DURATION",
      description = "How often to look for work when there is none (ISO-8601). Default: ${DEFAULT-VALUE}.")
  Duration poll;

  @Option(names = "--lease", paramLabel = "DURATION",
      description = "How long a claimed segment stays this worker's, on a PostgreSQL store that"
          + " workers share (ISO-8601). Default: PT60S.")
  Duration lease;

  @Option(names = "--age-every", defaultValue = "PT1M", paramLabel = "DURATION",
      description = "How often to ask the aging policy about every conversation, for policies by"
          + " time (appends ask on their own). Default: ${DEFAULT-VALUE}.")
  Duration ageEvery;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve the memory's meters in Prometheus format at"
          + " http://127.0.0.1:PORT/metrics (0: any free port); the address is printed on stdout"
          + " as METRICS <url>.")
  Integer metricsPort;

  @Option(names = "--log-transitions", description = "Print each tier change on stdout:"
      + " TRANSITION <conversation> <segment> <from> <to>.")
  boolean logTransitions;

  @Option(names = "--region-marks", description = "Draw each turn's number before its first line"
      + " on the pages this process draws, so that a model can name the turn it wants read back;"
      + " it puts more text on each page (docs/benchmarks.md).")
  boolean regionMarks;

  @Override
  public Integer call() throws Exception {
    if (poll.isNegative() || poll.isZero() || poll.compareTo(Duration.ofMinutes(10)) > 0) {
      throw CliException.usage("--poll must be between 1 ms and 10 minutes, but is: " + poll);
    }
    if (ageEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw CliException.usage("--age-every must be at least 1 s, but is: " + ageEvery);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AtomicLong transitions = new AtomicLong();
    MemoryCommands.refuseInMemory(db);
    OpticalMemoryBuilder builder = MemoryCommands.builder(db, false).listener(t -> {
      transitions.incrementAndGet();
      if (logTransitions) {
        synchronized (out) {
          out.println("TRANSITION " + t.conversation() + " " + t.segment() + " " + t.from()
              + " " + t.to());
          out.flush();
        }
      }
    });
    builder.regionMarks(regionMarks);
    try {
      if (lease != null) {
        builder.lease(lease);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--lease: " + e.getMessage(), e);
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw CliException.usage("--metrics-port must be between 0 and 65535, but is: "
          + metricsPort);
    }
    WorkerMetrics metrics = metricsPort == null ? null : WorkerMetrics.serve(metricsPort,
        transitions);
    if (metrics != null) {
      synchronized (out) {
        out.println("METRICS " + metrics.uri());
        out.flush();
      }
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Thread main = Thread.currentThread();
    // SIGTERM and Ctrl-C are handled here rather than by the JVM's shutdown, whose hooks all start
    // at once: ONNX Runtime's frees its native environment while a page may still be decoding,
    // which crashed the worker (exit 139). Here the worker finishes the step in hand, closes the
    // memory and returns 0; the JVM's hooks run after, with nothing left running.
    sun.misc.SignalHandler stop = signal -> {
      stopping.set(true);
      main.interrupt();
    };
    sun.misc.SignalHandler term = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
    sun.misc.SignalHandler interrupt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
    RuntimeException fault = null;
    try {
      work(builder, err, stopping, metrics);
    } catch (RuntimeException e) {
      fault = e;
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), term);
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), interrupt);
      Thread.interrupted(); // the signal's interrupt, if it came after the last wait
    }
    if (fault != null) {
      err.println("worker: " + MemoryCommands.redact(String.valueOf(fault.getMessage())));
    }
    err.printf("worker: stopped after %d tier changes; leases given back%n", transitions.get());
    err.flush();
    if (fault != null) {
      return 1;
    }
    return 0;
  }

  /**
   * Opens the memory and works until told to stop. A database that cannot be reached (at the start
   * or later) is retried with backoff from 1 s to 30 s, with one line when the outage starts and
   * one when the database is back; a fault no retry can mend (a refused password, a missing
   * database, a schema newer than this version reads) ends the worker.
   */
  private void work(OpticalMemoryBuilder builder, PrintWriter err, AtomicBoolean stopping,
      WorkerMetrics metrics) {
    long outageSince = 0;
    long backoff = 1_000;
    while (!stopping.get()) {
      try (OpticalMemory memory = builder.build()) {
        if (outageSince != 0) {
          err.printf("worker: the database is back after %.0f s%n",
              (System.nanoTime() - outageSince) / 1e9);
          outageSince = 0;
          backoff = 1_000;
        } else {
          err.printf("worker: working on %s (poll %s, lease %s); stop with SIGTERM%n", memory,
              poll, lease == null ? Duration.ofSeconds(60) : lease);
        }
        err.flush();
        if (metrics != null) {
          metrics.measure(memory);
        }
        try {
          MemoryWorker.of(memory).poll(poll).ageEvery(ageEvery).run(stopping::get);
        } finally {
          if (metrics != null) {
            metrics.measure(null);
          }
        }
        return;
      } catch (MemoryException | IllegalStateException e) {
        if (!transient_(e)) {
          throw e;
        }
        if (outageSince == 0) {
          outageSince = System.nanoTime();
          err.println("worker: the database cannot be reached (" + MemoryCommands.redact(
              firstLine(e)) + "); retrying with backoff until it is back or SIGTERM");
          err.flush();
        }
        sleep(Duration.ofMillis(backoff), stopping);
        backoff = Math.min(30_000, backoff * 2);
      }
    }
  }

  /** Whether a failure is one a retry can mend: the database unreachable, not a refusal. */
  static boolean transient_(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("28") || state.startsWith("3D") || state.startsWith("42")) {
          return false; // a refused password, a missing database, a query this schema refuses
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true; // connection failures, and a server shutting down or starting up
        }
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return true;
      }
      String message = String.valueOf(t.getMessage());
      if (message.contains("newer than this version")) {
        return false;
      }
      if (message.contains("Connection refused") || message.contains("connection attempt failed")
          || message.contains("Connection is not available") || message.contains("I/O error")) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  private static void sleep(Duration poll, AtomicBoolean stopping) {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      if (!stopping.get()) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
