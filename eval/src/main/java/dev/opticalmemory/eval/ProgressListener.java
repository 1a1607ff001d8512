package dev.opticalmemory.eval;

/** Told how an experiment advances; the command line draws a bar from it. */
@FunctionalInterface
public interface ProgressListener {
  /** {@code done} of {@code total} steps of {@code stage} are finished. */
  void progress(String stage, int done, int total);

  static ProgressListener none() {
    return (stage, done, total) -> { };
  }
}
