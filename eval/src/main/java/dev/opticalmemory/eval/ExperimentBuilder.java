package dev.opticalmemory.eval;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every experiment's builder takes: the fonts pages are drawn with, a progress listener, the
 * command line its report records, and (for the experiments on LoCoMo) the conversation files.
 *
 * @param <B> the experiment's own builder, which each setter returns
 */
public abstract class ExperimentBuilder<B extends ExperimentBuilder<B>> {
  FontSet fonts = FontSet.defaults();
  ProgressListener progress = ProgressListener.none();
  String commandLine;
  final List<Path> files = new ArrayList<>();

  ExperimentBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** LoCoMo conversation files, at least one (the experiments on LoCoMo). */
  B locomoFiles(List<Path> files) {
    if (files == null || files.isEmpty()) {
      throw new IllegalArgumentException("locomo must name at least one file");
    }
    this.files.addAll(files);
    return self();
  }

  /** The fonts pages are drawn with; default {@link FontSet#defaults()}. */
  public B fonts(FontSet fonts) {
    this.fonts = Objects.requireNonNull(fonts, "fonts");
    return self();
  }

  /** Where progress goes; default nowhere. */
  public B progress(ProgressListener progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
    return self();
  }

  /** The command line to record in the report. */
  public B commandLine(String commandLine) {
    this.commandLine = commandLine;
    return self();
  }
}
