package dev.opticalmemory.ocr;

/** Run in a child JVM by {@link OnnxRuntimeTest}: asks for the environment from a 1 MB thread. */
public final class OnnxRuntimeChild {
  private OnnxRuntimeChild() {}

  public static void main(String[] args) throws Exception {
    String[] result = new String[1];
    Thread small = new Thread(null, () -> result[0] = String.valueOf(OnnxRuntime.environment()),
        "small-stack", 1L << 20);
    small.start();
    small.join();
    System.out.println(result[0] == null ? "no environment" : "environment made");
  }
}
