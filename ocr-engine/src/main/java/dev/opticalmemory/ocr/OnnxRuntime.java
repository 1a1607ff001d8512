package dev.opticalmemory.ocr;

import ai.onnxruntime.OrtEnvironment;

/**
 * ONNX Runtime's process-wide environment, made safely. Every ONNX model of the process (PP-OCR's,
 * and the embedding model the memory uses) runs in it.
 *
 * <p>Creating the environment recursed some 12,000 native frames deep when the process's command
 * line was long (a class path of Maven repository paths, as in a test run), past the 1 MB stack of
 * a Java thread: the process died of SIGSEGV the first time a page was decoded on a background
 * thread (seen as a worker's exit code 139). It is therefore created once, on a thread of its own
 * with a 256 MB stack (address space reserved, not memory used), after ONNX Runtime's native
 * libraries are put in place.
 */
public final class OnnxRuntime {
  private static final long STACK_BYTES = 256L << 20;
  private static volatile OrtEnvironment environment;

  private OnnxRuntime() {}

  /**
   * The environment, created the first time on a thread with a large stack.
   *
   * @return ONNX Runtime's environment
   * @throws OcrException if ONNX Runtime cannot create it, with the cause
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env != null) {
      return env;
    }
    synchronized (OnnxRuntime.class) {
      if (environment == null) {
        OrtNative.prepare();
        Object[] made = new Object[1];
        Thread maker = new Thread(null, () -> {
          try {
            made[0] = OrtEnvironment.getEnvironment();
          } catch (Throwable e) {
            made[0] = e;
          }
        }, "onnxruntime-environment", STACK_BYTES);
        maker.start();
        boolean interrupted = false;
        while (true) {
          try {
            maker.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true; // the environment is made in well under a second
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        if (made[0] instanceof Throwable e) {
          throw new OcrException("ONNX Runtime cannot create its environment", e);
        }
        environment = (OrtEnvironment) made[0];
      }
      return environment;
    }
  }
}
