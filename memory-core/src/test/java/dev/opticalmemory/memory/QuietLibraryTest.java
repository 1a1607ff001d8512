package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library that talks unasked is a nuisance: a new database says nothing on stderr. */
class QuietLibraryTest {
  @TempDir Path tmp;

  @Test
  void opening_a_new_database_in_an_app_without_a_logging_setup_prints_nothing_on_stderr()
      throws Exception {
    // The user's app has slf4j-api (LangChain4j brings it) and no provider.
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("slf4j-nop") && !entry.contains("slf4j-simple"))
        .collect(Collectors.joining(File.pathSeparator));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Djava.awt.headless=true", "-cp", classpath, QuietChild.class.getName(),
        tmp.resolve("m").toString()).start();
    String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(out.strip()).as(err).isEqualTo("OK 1");
    assertThat(err).as("stderr").isEmpty();
  }
}
