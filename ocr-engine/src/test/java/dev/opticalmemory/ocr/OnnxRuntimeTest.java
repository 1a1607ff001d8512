package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OnnxRuntimeTest {

  @Test
  void the_environment_is_made_when_first_asked_on_a_1_mb_thread_of_a_process_with_a_long_command_line()
      throws Exception {
    // ONNX Runtime's environment, made on such a thread, overflowed its stack (SIGSEGV, exit 139)
    // once the command line passed some thousands of characters; a long class path does that.
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Dpad=" + "x".repeat(20_000), "-cp", System.getProperty("java.class.path"),
        OnnxRuntimeChild.class.getName()).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("environment made");
  }

  @Test
  void the_environment_is_made_once_and_shared() {
    assertThat(OnnxRuntime.environment()).isSameAs(OnnxRuntime.environment());
  }
}
