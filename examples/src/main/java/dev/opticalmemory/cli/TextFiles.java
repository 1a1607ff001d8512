package dev.opticalmemory.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Strict, bounded reading of user files, with errors that name the file and what is wrong. Every
 * read has a size limit, checked against the file's size before reading where it has one, and
 * counted while reading where it has not ({@code /dev/zero}, a pipe): a file over the limit is a
 * one-line error, never an {@code OutOfMemoryError}.
 */
final class TextFiles {
  /** A text file to render. */
  static final long TEXT_LIMIT = 64L << 20;
  /** A JSONL turn file, read a line at a time. */
  static final long JSONL_LIMIT = 256L << 20;
  /** One line of a JSONL file: a turn of 1 Mi characters escaped as JSON fits. */
  static final int JSONL_LINE_LIMIT = 16 << 20;
  /** A LoCoMo conversation file (JSON, read whole). */
  static final long LOCOMO_LIMIT = 256L << 20;
  /** An image file to decode (its pixels have their own limit, 64 megapixels). */
  static final long IMAGE_LIMIT = 256L << 20;

  private TextFiles() {}

  /** Reads a UTF-8 text file of at most {@code limit} bytes; a leading BOM is dropped. */
  static String readUtf8(Path file, long limit) {
    byte[] bytes = readBytes(file, limit);
    CharsetDecoder decoder = decoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw notUtf8(file.toString(), bytes[in.position()], in.position());
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Reads a file of at most {@code limit} bytes. */
  static byte[] readBytes(Path file, long limit) {
    try (InputStream in = open(file, limit)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** A line of a text file: its number from 1 and its text, without the line ending. */
  record Line(int number, String text) {}

  /**
   * Reads a UTF-8 file a line at a time: LF, CRLF and CR all end a line, a leading BOM is dropped,
   * the file may hold at most {@code limit} bytes and a line at most {@code lineLimit} characters.
   */
  static void forEachLine(Path file, long limit, int lineLimit, Consumer<Line> action) {
    try (InputStream in = open(file, limit)) {
      forEachLine(file.toString(), in, lineLimit, action);
    } catch (IOException e) {
      throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** The same over a stream; {@code name} names it in errors. */
  static void forEachLine(String name, InputStream in, int lineLimit, Consumer<Line> action)
      throws IOException {
    CharsetDecoder decoder = decoder();
    ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    CharBuffer chars = CharBuffer.allocate(64 * 1024);
    StringBuilder line = new StringBuilder();
    long offset = 0; // bytes decoded before the start of the buffer
    int number = 1;
    boolean afterCr = false;
    boolean first = true;
    boolean eof = false;
    while (true) {
      if (!eof && bytes.hasRemaining()) {
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
          eof = true;
        } else {
          bytes.position(bytes.position() + n);
        }
      }
      bytes.flip();
      int before = bytes.position();
      CoderResult result = decoder.decode(bytes, chars, eof);
      if (result.isError()) {
        throw notUtf8(name + ":" + number, bytes.get(bytes.position()),
            offset + bytes.position());
      }
      offset += bytes.position() - before;
      bytes.compact();
      boolean done = eof && !result.isOverflow();
      if (done) {
        decoder.flush(chars);
      }
      chars.flip();
      while (chars.hasRemaining()) {
        char c = chars.get();
        if (first) {
          first = false;
          if (c == '\uFEFF') {
            continue;
          }
        }
        if (c == '\n' && afterCr) {
          afterCr = false;
          continue;
        }
        afterCr = c == '\r';
        if (c == '\n' || c == '\r') {
          action.accept(new Line(number++, line.toString()));
          line.setLength(0);
        } else {
          if (line.length() >= lineLimit) {
            throw new CliException(name + ":" + number + ": the line is longer than "
                + lineLimit / (1 << 20) + " Mi characters, the limit for one line");
          }
          line.append(c);
        }
      }
      chars.clear();
      if (done) {
        break;
      }
    }
    if (line.length() > 0) {
      action.accept(new Line(number, line.toString()));
    }
  }

  /**
   * Opens a file for reading at most {@code limit} bytes: a regular file larger than that is refused
   * before reading, any other file (a device, a pipe) when the limit is passed.
   */
  static InputStream open(Path file, long limit) {
    try {
      if (Files.isDirectory(file)) {
        throw new CliException(file + ": is a directory, not a file");
      }
      if (Files.isRegularFile(file) && Files.size(file) > limit) {
        throw tooLarge(file, limit, Files.size(file) + " bytes");
      }
      InputStream in = Files.newInputStream(file);
      return new InputStream() {
        long read;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, (int) Math.min(len, limit + 1 - read));
          if (n > 0) {
            read += n;
            if (read > limit) {
              throw tooLarge(file, limit, "it goes on past the limit");
            }
          }
          return n;
        }

        @Override
        public void close() throws IOException {
          in.close();
        }
      };
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CliException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static CliException tooLarge(Path file, long limit, String size) {
    return new CliException(file + ": too large (" + size + "); the limit for this kind of file is "
        + (limit >> 20) + " MB");
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static CliException notUtf8(String where, byte bad, long offset) {
    return new CliException(where + ": not valid UTF-8 text (bad byte 0x"
        + String.format("%02X", bad & 0xFF) + " at offset " + offset + ")");
  }

  /** Creates the folder if needed and checks that files can be written in it. */
  static Path writableFolder(Path folder) {
    if (folder.toString().isEmpty()) {
      throw new CliException("the output folder must not be empty");
    }
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
