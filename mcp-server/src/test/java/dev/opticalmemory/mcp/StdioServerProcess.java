package dev.opticalmemory.mcp;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;

/**
 * A server process for the stdio tests: the memory on the H2 file named by the first argument,
 * fixed to the conversation named by the second where there is one, served on stdin and stdout.
 */
public final class StdioServerProcess {
  private StdioServerProcess() {}

  public static void main(String[] args) throws Exception {
    try (OpticalMemory memory = OpticalMemory.builder().path(Path.of(args[0]))
        .fonts(FontSet.latinOnly()).decodeInBackground(false).agingPolicy(Fixtures.AGING).build()) {
      OpticalMcpServer server = OpticalMcpServer.builder(memory)
          .conversation(args.length > 1 ? args[1] : null).build();
      try (StdioSession session = server.serveStdio(System.in, System.out)) {
        session.awaitEnd();
      }
    }
  }
}
