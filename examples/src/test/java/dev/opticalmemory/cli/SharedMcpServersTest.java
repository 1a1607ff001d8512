package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.PostgresDatabase;
import dev.opticalmemory.memory.RecalledTurn;
import dev.opticalmemory.memory.Segment;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code mcp --http} server processes on one PostgreSQL memory, as behind a load balancer
 * (OPTICAL_MEMORY_TEST_PG_URL and PGPASSWORD, set by .ci/run).
 */
class SharedMcpServersTest {
  private static final PostgresDatabase DATABASE = new PostgresDatabase();
  private static final int PER_SERVER = 60;

  @TempDir Path tmp;

  @AfterAll
  static void drop() {
    DATABASE.dropAll();
  }

  @Test
  void turns_sent_through_two_servers_at_once_are_all_stored_once_even_when_a_retry_goes_to_the_other()
      throws Exception {
    String url = DATABASE.freshSchema();
    List<Process> servers = new ArrayList<>();
    List<McpSyncClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (String name : List.of("a", "b")) {
        ProcessBuilder builder = new ProcessBuilder(CliRun.command("mcp", "--db", url,
            "--http", "0"));
        builder.environment().put("PGPASSWORD", PostgresDatabase.password());
        Process p = builder.redirectError(tmp.resolve(name + ".err").toFile()).start();
        servers.add(p);
        URI uri = URI.create(McpCommandTest.firstLine(p).replaceFirst("^MCP ", ""));
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
            .builder("http://" + uri.getAuthority()).endpoint(uri.getPath()).build())
            .requestTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        clients.add(client);
      }
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        McpSyncClient client = clients.get(s);
        McpSyncClient other = clients.get(1 - s);
        String server = s == 0 ? "a" : "b";
        work.add(pool.submit(() -> {
          for (int i = 0; i < PER_SERVER; i++) {
            String key = server + i;
            remember(client, key);
            if (i % 6 == 0) {
              remember(other, key); // a retry that the balancer sent to the other server
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(5, TimeUnit.MINUTES);
      }

      Map<String, Integer> stored = new HashMap<>();
      try (OpticalMemory memory = OpticalMemory.builder().jdbcUrl(url)
          .password(PostgresDatabase.password()).backgroundWork(false).build()) {
        assertThat(memory.stats("shared").turns()).isEqualTo(2 * PER_SERVER);
        for (Segment seg : memory.segments("shared")) {
          for (RecalledTurn t : memory.read("shared", seg.index(), seg.firstTurn(), seg.lastTurn())
              .turns()) {
            stored.merge(t.text().replaceFirst("^.*?(Message \\w+) .*$", "$1"), 1, Integer::sum);
          }
        }
      }
      Map<String, Integer> expected = new HashMap<>();
      for (String server : List.of("a", "b")) {
        for (int i = 0; i < PER_SERVER; i++) {
          expected.put("Message " + server + i, 1);
        }
      }
      assertThat(stored).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
      clients.forEach(McpSyncClient::closeGracefully);
      for (int i = 0; i < servers.size(); i++) {
        Process p = servers.get(i);
        p.destroy();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String err = Files.readString(tmp.resolve((i == 0 ? "a" : "b") + ".err"));
        assertThat(ended).as(err).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        p.destroyForcibly();
      }
    }
  }

  private static void remember(McpSyncClient client, String key) {
    McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder()
        .name("remember").arguments(Map.of("conversation", "shared", "speaker", "Ines", "key", key,
            "text", "Message " + key + " about the spare sails in the boathouse.")).build());
    assertThat(r.isError()).as(String.valueOf(r.content())).isFalse();
  }
}
