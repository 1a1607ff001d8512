package dev.opticalmemory.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Strict reading of user files, with errors that name the file and what is wrong. */
final class TextFiles {
  private TextFiles() {}

  /** Reads a UTF-8 text file, refusing malformed UTF-8 with the offset of the first bad byte. */
  static String readUtf8(Path file) {
    byte[] bytes = readBytes(file);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new CliException(file + ": not valid UTF-8 text (bad byte 0x"
          + String.format("%02X", bytes[in.position()] & 0xFF) + " at offset " + in.position() + ")");
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static byte[] readBytes(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new CliException(file + ": is a directory, not a file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CliException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Creates the folder if needed and checks that files can be written in it. */
  static Path writableFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CliException(folder + ": cannot create output folder (" + reason(e) + ")", e);
    }
    if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
      throw new CliException(folder + ": output folder is not writable");
    }
    return folder;
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new CliException(file + ": cannot write (" + reason(e) + ")", e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such folder: " + e.getMessage();
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
