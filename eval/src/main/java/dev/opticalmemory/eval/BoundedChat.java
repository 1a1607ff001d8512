package dev.opticalmemory.eval;

import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Chat requests with a deadline on the whole answer and retries with exponential backoff: the
 * HTTP client's own timeout ends when the headers arrive, so each request runs on a daemon thread
 * and the caller stops waiting at the deadline. Client errors (4xx but 429) are not retried.
 */
final class BoundedChat implements AutoCloseable {
  /** A request that failed for good: after its retries, or at once for a client error. */
  static final class ChatFailure extends RuntimeException {
    private final int attempts;

    ChatFailure(String message, Throwable cause, int attempts) {
      super(message, cause);
      this.attempts = attempts;
    }

    int attempts() {
      return attempts;
    }
  }

  private final ChatModel model;
  private final String where;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "eval-qa-request");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param where names the server in errors (its URL and model)
   */
  BoundedChat(ChatModel model, String where, Duration timeout, int retries, Duration backoff) {
    this.model = Objects.requireNonNull(model, "model");
    this.where = where;
    this.timeout = timeout;
    this.retries = retries;
    this.backoff = backoff;
  }

  /** The response, and how many attempts it took. */
  record Answer(ChatResponse response, int attempts) {}

  Answer chat(ChatRequest request) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= retries + 1; attempt++) {
      if (attempt > 1) {
        sleep(backoff.multipliedBy(1L << Math.min(attempt - 2, 10)));
      }
      Future<ChatResponse> call = requests.submit(() -> model.chat(request));
      try {
        return new Answer(call.get(timeout.toNanos(), TimeUnit.NANOSECONDS), attempt);
      } catch (TimeoutException e) {
        call.cancel(true);
        last = new ChatFailure(where + " sent no complete answer within " + describe(timeout)
            + " (attempt " + attempt + " of " + (retries + 1) + ")", e, attempt);
      } catch (InterruptedException e) {
        call.cancel(true);
        Thread.currentThread().interrupt();
        throw new ChatFailure("interrupted while waiting for " + where, e, attempt);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        if (refused(cause)) {
          message = "the connection was refused; check that the server is running and that the"
              + " URL (host, port and the /v1 path) is right";
        }
        last = new ChatFailure(where + " failed: " + message + " (attempt " + attempt + " of "
            + (retries + 1) + ")", cause, attempt);
        if (cause instanceof NonRetriableException) {
          break;
        }
      }
    }
    throw last;
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatFailure("interrupted while backing off", e, 0);
    }
  }

  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public void close() {
    requests.shutdownNow();
  }
}
