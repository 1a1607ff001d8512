package dev.opticalmemory.ocr;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Extracts ONNX Runtime's native libraries once, to a fixed cache folder, and points ONNX Runtime at
 * it. Left alone, ONNX Runtime unpacks them into a new temporary folder at every start and leaves the
 * folder behind. The folder is {@code $XDG_CACHE_HOME/optical-memory/onnxruntime/PLATFORM-CRC} (or
 * {@code ~/.cache/...}), keyed by the CRC of the library in the jar so a new version gets its own. If
 * anything goes wrong, ONNX Runtime's own loading is used. A user's {@code onnxruntime.native.path}
 * is never overridden.
 */
final class OrtNative {
  private static final System.Logger LOG = System.getLogger(OrtNative.class.getName());
  private static final String PROPERTY = "onnxruntime.native.path";
  private static volatile boolean done;

  private OrtNative() {}

  static synchronized void prepare() {
    if (done) {
      return;
    }
    done = true;
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    try {
      String platform = platform();
      if (platform == null) {
        return;
      }
      List<String> names = libraryNames(platform);
      String prefix = "ai/onnxruntime/native/" + platform + "/";
      URL main = OrtNative.class.getClassLoader().getResource(prefix + names.get(0));
      if (main == null) {
        return;
      }
      URLConnection connection = main.openConnection();
      long crc = connection instanceof JarURLConnection
          ? ((JarURLConnection) connection).getJarEntry().getCrc()
          : connection.getContentLengthLong();
      Path folder = cacheRoot().resolve(platform + "-" + Long.toHexString(crc));
      Files.createDirectories(folder);
      for (String name : names) {
        Path target = folder.resolve(name);
        URL url = OrtNative.class.getClassLoader().getResource(prefix + name);
        if (url == null) {
          return;
        }
        long size = url.openConnection().getContentLengthLong();
        if (!Files.isRegularFile(target) || Files.size(target) != size) {
          Path temp = Files.createTempFile(folder, name, ".part");
          try (InputStream in = url.openStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      System.setProperty(PROPERTY, folder.toString());
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG,
          "could not cache ONNX Runtime's native libraries; using its own loading", e);
    }
  }

  private static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("optical-memory").resolve("onnxruntime");
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    if (a == null) {
      return null;
    }
    if (os.contains("linux")) {
      return "linux-" + a;
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return "osx-" + a;
    }
    if (os.contains("win")) {
      return "win-" + a;
    }
    return null;
  }

  private static List<String> libraryNames(String platform) {
    if (platform.startsWith("osx")) {
      return List.of("libonnxruntime.dylib", "libonnxruntime4j_jni.dylib");
    }
    if (platform.startsWith("win")) {
      return List.of("onnxruntime.dll", "onnxruntime4j_jni.dll");
    }
    return List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
  }
}
