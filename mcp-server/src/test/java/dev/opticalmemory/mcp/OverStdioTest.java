package dev.opticalmemory.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.file.Path;
import java.time.Duration;

/** The server's promises through the SDK's client over stdio, the server in a process of its own. */
class OverStdioTest extends ServerContract {
  @Override
  McpSyncClient start(Path db) {
    ServerParameters process = ServerParameters.builder(javaCommand())
        .args("-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true",
            StdioServerProcess.class.getName(), db.toString())
        .build();
    McpSyncClient client = McpClient.sync(new StdioClientTransport(process,
            new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper())))
        .requestTimeout(Duration.ofMinutes(2)).initializationTimeout(Duration.ofMinutes(1))
        .build();
    client.initialize();
    return client;
  }

  static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  void stop() {
  }
}
