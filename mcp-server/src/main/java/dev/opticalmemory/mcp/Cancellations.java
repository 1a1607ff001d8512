package dev.opticalmemory.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The tool calls under way and whether their clients cancelled them. The SDK's synchronous server
 * neither tells a tool its request id nor hands it {@code notifications/cancelled}, so the
 * transports' input is watched here: each {@code tools/call} gets a key in its {@code _meta}, and a
 * cancellation naming its id sets the key's flag, which the tool reads between its steps.
 */
final class Cancellations {
  /** The {@code _meta} entry that carries a call's key to its tool. */
  static final String META_KEY = "dev.opticalmemory/call";

  private static final BooleanSupplier NEVER = () -> false;

  // Calls whose handlers never ran (refused before) expire instead of piling up.
  private final Cache<String, AtomicBoolean> calls = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();

  /**
   * Looks at one message from a client before the SDK does: a tool call is given its key, a
   * cancellation sets the flag of the call it names.
   *
   * @param message the JSON-RPC message, changed in place for a tool call
   * @param session the transport's session id, or null over stdio (one client)
   * @return whether the message was changed
   */
  boolean observe(JsonNode message, String session) {
    if (!(message instanceof ObjectNode object)) {
      return false;
    }
    String method = object.path("method").asText("");
    JsonNode id = object.get("id");
    if ("tools/call".equals(method) && id != null && object.path("params").isObject()) {
      String key = key(session, id);
      calls.put(key, new AtomicBoolean());
      ObjectNode params = (ObjectNode) object.get("params");
      JsonNode meta = params.get("_meta");
      if (meta == null || meta.isNull()) {
        meta = params.putObject("_meta");
      }
      if (meta instanceof ObjectNode metaObject) {
        metaObject.put(META_KEY, key);
        return true;
      }
      return false;
    }
    if ("notifications/cancelled".equals(method)) {
      JsonNode requestId = object.path("params").get("requestId");
      if (requestId != null) {
        AtomicBoolean flag = calls.getIfPresent(key(session, requestId));
        if (flag != null) {
          flag.set(true);
        }
      }
    }
    return false;
  }

  /**
   * Whether a call has been cancelled, asked as often as the tool likes.
   *
   * @param request the call as the tool got it
   * @return a flag that turns true when the client cancels the call
   */
  BooleanSupplier cancelled(CallToolRequest request) {
    AtomicBoolean flag = flag(request);
    return flag == null ? NEVER : flag::get;
  }

  /** Forgets a call once its tool has answered. */
  void finished(CallToolRequest request) {
    Object key = request.meta() == null ? null : request.meta().get(META_KEY);
    if (key instanceof String k) {
      calls.invalidate(k);
    }
  }

  private AtomicBoolean flag(CallToolRequest request) {
    Object key = request.meta() == null ? null : request.meta().get(META_KEY);
    return key instanceof String k ? calls.getIfPresent(k) : null;
  }

  /** A request id as JSON text, so that the id 1 and the id "1" stay apart, within its session. */
  private static String key(String session, JsonNode id) {
    return (session == null ? "" : session) + "|" + id;
  }
}
