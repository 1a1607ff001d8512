package dev.opticalmemory.ocr;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.FinishReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;

/** The DeepSeek-OCR client: one chat request per page, then the repetition guard. */
final class DeepSeekOcrEngine implements OcrEngine {
  private final DeepSeekOcr.Builder settings;
  private final ChatModel chat;
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * Runs each request, so that the caller can stop waiting at the deadline: the HTTP client's own
   * timeout ends when the headers arrive, and a server that stalls in the body would otherwise hang
   * the page forever.
   */
  private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "deepseek-ocr-request");
    t.setDaemon(true);
    return t;
  });

  DeepSeekOcrEngine(DeepSeekOcr.Builder settings) {
    this.settings = settings;
    OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
        .baseUrl(settings.baseUrl)
        .apiKey(settings.apiKey)
        .modelName(settings.model)
        .temperature(0.0)
        .maxTokens(settings.maxOutputTokens)
        .timeout(settings.timeout)
        .maxRetries(settings.maxRetries);
    if (!settings.extraParameters.isEmpty()) {
      builder.customParameters(Map.copyOf(settings.extraParameters));
    }
    this.chat = builder.build();
  }

  @Override
  public String name() {
    return "deepseek";
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public Recognition read(BufferedImage image) {
    if (closed.get()) {
      throw new IllegalStateException("the DeepSeek-OCR engine is closed");
    }
    PaddleOcrEngine.checkImage(image);
    Map<String, Duration> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    String png = Base64.getEncoder().encodeToString(png(image));
    long t1 = System.nanoTime();
    stages.put("preprocess", Duration.ofNanos(t1 - t0));
    ChatRequest request = ChatRequest.builder()
        .messages(UserMessage.from(ImageContent.from(png, "image/png"),
            TextContent.from(settings.prompt)))
        .parameters(OpenAiChatRequestParameters.builder()
            .modelName(settings.model)
            .maxOutputTokens(settings.maxOutputTokens)
            .temperature(0.0)
            .build())
        .build();
    ChatResponse response;
    Future<ChatResponse> call = requests.submit(() -> chat.chat(request));
    try {
      response = call.get(settings.timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new OcrException("DeepSeek-OCR at " + settings.baseUrl + " (model " + settings.model
          + ") sent no complete answer within " + describe(settings.timeout) + " (the deadline"
          + " covers the whole response, body and retries included)", e, true);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new OcrException("interrupted while waiting for DeepSeek-OCR at " + settings.baseUrl,
          e, true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (closedEarly(cause)) {
        throw new OcrException("DeepSeek-OCR at " + settings.baseUrl + " (model " + settings.model
            + ") closed the connection without answering; check that the URL names an"
            + " OpenAI-compatible server (host, port and the /v1 path)", cause, true);
      }
      if (refused(cause)) {
        throw new OcrException("DeepSeek-OCR at " + settings.baseUrl + " (model " + settings.model
            + ") cannot be reached: the connection was refused; check that the server is running"
            + " and that the URL (host, port and the /v1 path) is right", cause, true);
      }
      throw new OcrException("DeepSeek-OCR at " + settings.baseUrl + " (model " + settings.model
          + ") failed: " + failure(cause), cause, cause instanceof RetriableException);
    }
    long t2 = System.nanoTime();
    stages.put("recognize", Duration.ofNanos(t2 - t1));
    String text = response.aiMessage() == null || response.aiMessage().text() == null
        ? "" : response.aiMessage().text();
    List<String> warnings = new ArrayList<>();
    RepetitionGuard.Cut cut = RepetitionGuard.cut(text, settings.repetitionSpan);
    if (cut.repeats() > 0) {
      warnings.add("repetition guard: cut " + cut.repeats() + " back-to-back repeats of \""
          + abbreviate(cut.unit()) + "\" (" + (text.length() - cut.text().length())
          + " characters dropped)");
      text = cut.text();
    }
    if (response.finishReason() == FinishReason.LENGTH) {
      warnings.add("output cap: the server stopped at maxOutputTokens = "
          + settings.maxOutputTokens + "; the page may be cut short");
    }
    text = text.strip();
    List<RecognizedLine> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(new RecognizedLine(line.strip(), null, Double.NaN));
      }
    }
    stages.put("postprocess", Duration.ofNanos(System.nanoTime() - t2));
    return new Recognition(text, lines, stages, warnings);
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** The server accepted the connection, then ended it before any answer. */
  private static boolean closedEarly(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof java.io.EOFException || m.contains("header parser received no bytes")
          || (m.contains("Connection reset") && !(t instanceof java.net.ConnectException))) {
        return true;
      }
    }
    return false;
  }

  /** What went wrong, never empty: an HTTP status with what the server said, or the first message. */
  private static String failure(Throwable cause) {
    if (cause instanceof dev.langchain4j.exception.HttpException http) {
      int status = http.statusCode();
      String body = http.getMessage() == null ? "" : abbreviate(http.getMessage());
      return "HTTP " + status + (status >= 300 && status < 400 ? " (a redirect, which is not"
          + " followed: give the URL the server redirects to, or fix a redirect loop)" : "")
          + (body.isEmpty() ? "" : ": " + body);
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return cause.getClass().getSimpleName() + " without a message";
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String abbreviate(String s) {
    String oneLine = s.replace('\n', ' ').strip();
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }

  private static byte[] png(BufferedImage image) {
    BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(),
        BufferedImage.TYPE_BYTE_GRAY);
    GrayImage g = GrayImage.of(image);
    gray.getRaster().setDataElements(0, 0, g.width, g.height, g.pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(gray, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      requests.shutdownNow();
    }
  }
}
