package dev.opticalmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a stdio server does with lines that are not JSON-RPC, and with the end of its input. */
class StdioInputTest {
  @TempDir
  Path tmp;

  @Test
  void lines_that_are_not_json_rpc_are_left_out_with_a_warning_and_the_next_request_is_served()
      throws Exception {
    Path err = tmp.resolve("server.err");
    Process p = new ProcessBuilder(OverStdioTest.javaCommand(), "-cp",
        System.getProperty("java.class.path"), "-Djava.awt.headless=true",
        StdioServerProcess.class.getName(), tmp.resolve("m").toString())
        .redirectError(err.toFile()).start();
    try {
      OutputStream in = p.getOutputStream();
      in.write(("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\n"
          + "\u0000\u00ff binary \n"
          + "{\"foo\":1}\n"
          + "42\n"
          + "\n"
          + "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}\n"
          + "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"" + "y".repeat(5 << 20) + "\"}\n"
          + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"
          + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      String answer = null;
      while ((line = out.readLine()) != null) {
        if (line.contains("\"id\":1")) {
          answer = line;
          break;
        }
      }
      assertThat(answer).contains("\"serverInfo\"").contains("optical-memory");
      assertThat(Files.readString(err)).contains("input line 1 left out: not JSON")
          .contains("input line 2 left out").contains("input line 3 left out: not a JSON-RPC")
          .contains("input line 4 left out: not a JSON-RPC").doesNotContain("input line 5 ")
          .contains("input line 6 left out: its id").contains("input line 7 left out: longer than");
      in.close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the server ends with its input").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
