package dev.opticalmemory.eval;

import dev.opticalmemory.ocr.OcrEngine;
import dev.opticalmemory.renderer.PageImages;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A decoder run on the pixels, cached by the page's bytes (the same page recurs across policies).
 */
final class OcrPageReader implements AgedPageReader {
  private final String name;
  private final OcrEngine engine;
  private final Map<String, String> decoded = new ConcurrentHashMap<>();

  OcrPageReader(String name, OcrEngine engine) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but is: " + name);
    }
    this.name = name;
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return name + ": the " + engine.name() + " engine run on the page's pixels (measured)";
  }

  @Override
  public boolean measured() {
    return true;
  }

  @Override
  public String read(Page page) {
    String key;
    try {
      key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(page.png()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return decoded.computeIfAbsent(key, k -> engine.read(PageImages.decode(page.png())).text());
  }
}
