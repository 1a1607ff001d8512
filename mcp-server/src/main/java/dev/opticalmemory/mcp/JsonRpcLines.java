package dev.opticalmemory.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A stdio client's input with every line that is not a JSON-RPC message left out, each with one
 * warning naming the line. The SDK's stdio transport stops reading for good at the first line it
 * cannot parse, which would leave the client waiting on a server that no longer listens. Each
 * message is shown to {@link Cancellations} on its way.
 */
final class JsonRpcLines extends InputStream {
  private static final System.Logger LOG = System.getLogger(JsonRpcLines.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InputStream in;
  private final int maxLineBytes;
  private final Cancellations cancellations;
  private JsonNode message;
  private byte[] pending = new byte[0];
  private int next;
  private long lineNumber;
  private boolean ended;

  JsonRpcLines(InputStream in, int maxLineBytes, Cancellations cancellations) {
    this.in = new BufferedInputStream(in, 64 << 10);
    this.maxLineBytes = maxLineBytes;
    this.cancellations = cancellations;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return pending[next++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, pending.length - next);
    System.arraycopy(pending, next, b, off, n);
    next += n;
    return n;
  }

  @Override
  public int available() {
    return pending.length - next;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Makes bytes of the next message ready; false at the end of the input. */
  private boolean fill() throws IOException {
    while (next >= pending.length) {
      if (ended) {
        return false;
      }
      byte[] line = nextLine();
      if (line == null) {
        ended = true;
        return false;
      }
      String refusal = refusal(line);
      if (refusal == null) {
        if (cancellations.observe(message, null)) {
          line = JSON.writeValueAsBytes(message);
        }
        pending = java.util.Arrays.copyOf(line, line.length + 1);
        pending[line.length] = '\n';
        next = 0;
      } else if (!refusal.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "mcp: input line {0} left out: {1}", lineNumber,
            refusal);
      }
    }
    return true;
  }

  /** The next line without its end, or null at the end of the input; a long line is cut short. */
  private byte[] nextLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long length = 0;
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (length++ < maxLineBytes + 1L) {
        line.write(c);
      }
    }
    if (c < 0 && length == 0) {
      return null;
    }
    lineNumber++;
    byte[] bytes = line.toByteArray();
    if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }
    return bytes;
  }

  /** Why a line is not a message: null if it is one, empty for a blank line (left out quietly). */
  private String refusal(byte[] line) {
    if (line.length > maxLineBytes) {
      return "longer than " + maxLineBytes + " bytes";
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
    } catch (CharacterCodingException e) {
      return "not UTF-8";
    }
    if (text.isBlank()) {
      return "";
    }
    try {
      message = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return "not JSON (" + e.getOriginalMessage() + "), starts: " + start(text);
    }
    if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText())) {
      return "not a JSON-RPC 2.0 object, starts: " + start(text);
    }
    JsonNode id = message.get("id");
    if (id != null && !id.isTextual() && !id.isIntegralNumber() && !id.isNull()) {
      return "its id is neither a string nor an integer, starts: " + start(text);
    }
    boolean call = message.path("method").isTextual();
    boolean answer = message.has("id") && (message.has("result") || message.has("error"));
    if (!call && !answer) {
      return "neither a request, a notification nor a response, starts: " + start(text);
    }
    return null;
  }

  private static String start(String text) {
    String s = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    StringBuilder printable = new StringBuilder();
    s.codePoints().forEach(cp -> printable.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return printable.toString();
  }
}
