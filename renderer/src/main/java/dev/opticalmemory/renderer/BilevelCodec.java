package dev.opticalmemory.renderer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Lossless black and white page coding in the manner of JBIG (ITU T.82) and JBIG2's generic region:
 * each pixel is coded by a binary range coder with a probability learnt, as it goes, for the
 * pattern of its 16 already-coded neighbours (JBIG2 template 0 shape). On text pages this is about
 * 1.7 times smaller than CCITT G4, which codes each row as edge offsets from the row above.
 *
 * <p>Written here because no Java library on Maven Central encodes JBIG or JBIG2 (PDFBox's and
 * levigo's plugins only decode). The stream is ours, not JBIG2: {@code OMB1}, width, height and
 * the CRC-32 of the pixels as big-endian ints, then the coded pixels (1 = ink), rows top to bottom.
 * The CRC makes a damaged stream an error instead of a wrong page.
 *
 * <p>The range coder is the carry-propagating one of LZMA (32-bit range, 12-bit probabilities);
 * probabilities come from counts per context (start 1:1, step 2, halved past 255).
 */
final class BilevelCodec {
  static final byte[] MAGIC = {'O', 'M', 'B', '1'};
  private static final int HEADER = 16;
  private static final int CONTEXTS = 1 << 16;
  private static final int PROB_BITS = 12;
  private static final int COUNT_LIMIT = 255;
  private static final int TOP = 1 << 24;
  /** Pixels of padding each side of a row, so the template never leaves the array. */
  private static final int PAD = 4;

  private BilevelCodec() {}

  static boolean isCoded(byte[] bytes) {
    if (bytes.length < HEADER) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Codes {@code ink[y * width + x]} (1 = ink, 0 = paper). */
  static byte[] encode(byte[] ink, int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, width * height / 40));
    CRC32 crc = new CRC32();
    crc.update(ink, 0, width * height);
    ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(width).putInt(height)
        .putInt((int) crc.getValue());
    out.write(header.array(), 0, HEADER);
    Encoder coder = new Encoder(out);
    Model model = new Model();
    int stride = width + 2 * PAD;
    byte[] rows = new byte[3 * stride]; // y-2, y-1, y
    for (int y = 0; y < height; y++) {
      shift(rows, stride);
      int cur = 2 * stride + PAD;
      for (int x = 0; x < width; x++) {
        int bit = ink[y * width + x];
        int context = context(rows, stride, x);
        coder.encode(model.probabilityOfZero(context), bit);
        model.update(context, bit);
        rows[cur + x] = (byte) bit;
      }
    }
    coder.finish();
    return out.toByteArray();
  }

  /**
   * Decodes a stream made by {@link #encode}.
   *
   * @throws IllegalArgumentException if the header is wrong or the size is beyond {@code maxPixels}
   */
  static BufferedImage decode(byte[] bytes, long maxPixels) {
    if (!isCoded(bytes)) {
      throw new IllegalArgumentException("bytes are not a bilevel page stream (no OMB1 header)");
    }
    ByteBuffer header = ByteBuffer.wrap(bytes, MAGIC.length, HEADER - MAGIC.length);
    int width = header.getInt();
    int height = header.getInt();
    int expectedCrc = header.getInt();
    if (width < 1 || height < 1 || (long) width * height > maxPixels) {
      throw new IllegalArgumentException("bilevel page stream has a bad size: " + width + "x"
          + height + " (at most " + maxPixels + " pixels)");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] gray = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    Decoder coder = new Decoder(bytes, HEADER);
    Model model = new Model();
    CRC32 crc = new CRC32();
    int stride = width + 2 * PAD;
    byte[] rows = new byte[3 * stride];
    for (int y = 0; y < height; y++) {
      shift(rows, stride);
      int cur = 2 * stride + PAD;
      for (int x = 0; x < width; x++) {
        int context = context(rows, stride, x);
        int bit = coder.decode(model.probabilityOfZero(context));
        model.update(context, bit);
        rows[cur + x] = (byte) bit;
        gray[y * width + x] = bit == 1 ? 0 : (byte) 255;
      }
      crc.update(rows, cur, width);
    }
    if ((int) crc.getValue() != expectedCrc) {
      throw new IllegalArgumentException("bilevel page stream is damaged or truncated (" + bytes.length
          + " bytes for a " + width + "x" + height + " page): its pixels fail the CRC check");
    }
    return image;
  }

  private static void shift(byte[] rows, int stride) {
    System.arraycopy(rows, stride, rows, 0, 2 * stride);
    java.util.Arrays.fill(rows, 2 * stride, 3 * stride, (byte) 0);
  }

  /** The 16 neighbours: 4 to the left on this row, 7 on the row above, 5 two rows up. */
  private static int context(byte[] r, int stride, int x) {
    int a = 2 * stride + PAD + x; // this row
    int b = stride + PAD + x;     // row above
    int c = PAD + x;              // two rows above
    return r[a - 1] | r[a - 2] << 1 | r[a - 3] << 2 | r[a - 4] << 3
        | r[b - 3] << 4 | r[b - 2] << 5 | r[b - 1] << 6 | r[b] << 7 | r[b + 1] << 8
        | r[b + 2] << 9 | r[b + 3] << 10
        | r[c - 2] << 11 | r[c - 1] << 12 | r[c] << 13 | r[c + 1] << 14 | r[c + 2] << 15;
  }

  /** Adaptive counts per context. */
  private static final class Model {
    private final short[] zeros = new short[CONTEXTS];
    private final short[] ones = new short[CONTEXTS];

    Model() {
      java.util.Arrays.fill(zeros, (short) 1);
      java.util.Arrays.fill(ones, (short) 1);
    }

    int probabilityOfZero(int context) {
      int z = zeros[context];
      int p = (z << PROB_BITS) / (z + ones[context]);
      return Math.max(1, Math.min((1 << PROB_BITS) - 1, p));
    }

    void update(int context, int bit) {
      int z = zeros[context] + (bit == 0 ? 2 : 0);
      int o = ones[context] + (bit == 1 ? 2 : 0);
      if (z + o > COUNT_LIMIT) {
        z = (z + 1) >> 1;
        o = (o + 1) >> 1;
      }
      zeros[context] = (short) z;
      ones[context] = (short) o;
    }
  }

  private static final class Encoder {
    private final ByteArrayOutputStream out;
    private long low;
    private int range = -1;
    private int cache;
    private long cacheSize = 1;

    Encoder(ByteArrayOutputStream out) {
      this.out = out;
    }

    void encode(int probabilityOfZero, int bit) {
      int bound = (range >>> PROB_BITS) * probabilityOfZero;
      if (bit == 0) {
        range = bound;
      } else {
        low += bound & 0xFFFFFFFFL;
        range -= bound;
      }
      while (Integer.compareUnsigned(range, TOP) < 0) {
        range <<= 8;
        shiftLow();
      }
    }

    private void shiftLow() {
      int high = (int) (low >>> 32);
      if (high != 0 || low < 0xFF000000L) {
        int carry = high;
        int temp = cache;
        do {
          out.write((temp + carry) & 0xFF);
          temp = 0xFF;
        } while (--cacheSize != 0);
        cache = (int) (low >>> 24) & 0xFF;
      }
      cacheSize++;
      low = (low & 0x00FFFFFFL) << 8;
    }

    void finish() {
      for (int i = 0; i < 5; i++) {
        shiftLow();
      }
    }
  }

  private static final class Decoder {
    private final byte[] in;
    private int pos;
    private int range = -1;
    private int code;

    Decoder(byte[] in, int start) {
      this.in = in;
      this.pos = start;
      for (int i = 0; i < 5; i++) {
        code = (code << 8) | next();
      }
    }

    private int next() {
      if (pos < in.length) {
        return in[pos++] & 0xFF;
      }
      return 0;
    }

    int decode(int probabilityOfZero) {
      int bound = (range >>> PROB_BITS) * probabilityOfZero;
      int bit;
      if (Integer.compareUnsigned(code, bound) < 0) {
        range = bound;
        bit = 0;
      } else {
        code -= bound;
        range -= bound;
        bit = 1;
      }
      while (Integer.compareUnsigned(range, TOP) < 0) {
        range <<= 8;
        code = (code << 8) | next();
      }
      return bit;
    }
  }
}
