package dev.opticalmemory.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/** A server serving one client over stdio; closing it stops serving. */
public final class StdioSession implements AutoCloseable {
  private final McpSyncServer server;
  private final EndOfInput input;

  StdioSession(McpSyncServer server, EndOfInput input) {
    this.server = server;
    this.input = input;
  }

  /**
   * Waits until the client closes the server's input, as a desktop client does when it stops the
   * server.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitEnd() throws InterruptedException {
    input.ended.await();
  }

  /** Stops serving, letting calls under way finish. */
  @Override
  public void close() {
    server.closeGracefully();
  }

  /** The client's input, which says when it ends (the SDK's transport does not). */
  static final class EndOfInput extends FilterInputStream {
    final CountDownLatch ended = new CountDownLatch(1);

    EndOfInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return seen(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return seen(super.read(b, off, len));
      } catch (IOException e) {
        ended.countDown();
        throw e;
      }
    }

    private int seen(int n) {
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      ended.countDown();
      super.close();
    }
  }
}
