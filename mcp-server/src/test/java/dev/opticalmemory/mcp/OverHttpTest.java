package dev.opticalmemory.mcp;

import dev.opticalmemory.memory.OpticalMemory;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.nio.file.Path;
import java.time.Duration;

/** The server's promises through the SDK's client over streamable HTTP, in process. */
class OverHttpTest extends ServerContract {
  private OpticalMemory memory;
  private McpHttpServer http;

  @Override
  McpSyncClient start(Path db) {
    memory = Fixtures.memory(db);
    http = OpticalMcpServer.builder(memory).build().serveHttp(HttpOptions.builder().build());
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + http.port()).endpoint("/mcp").build())
        .requestTimeout(Duration.ofMinutes(2)).build();
    client.initialize();
    return client;
  }

  @Override
  void stop() {
    if (http != null) {
      http.close();
    }
    if (memory != null) {
      memory.close();
    }
  }
}
