package io.csfle.connect.codec;

import java.nio.ByteBuffer;

/**
 * A growable byte buffer for the encoder's hot path: big-endian fixed-width numbers, unsigned
 * LEB128 varints and UTF-8 written straight into one array, with no streams and no boxing.
 */
final class ByteSink {
  /** Arrays a little below Integer.MAX_VALUE are the largest every JVM will allocate. */
  private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int size;

  ByteSink(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  byte[] toByteArray() {
    byte[] out = new byte[size];
    System.arraycopy(buf, 0, out, 0, size);
    return out;
  }

  void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void writeShort(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void writeInt(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  /** Unsigned LEB128 of the 32 bits of {@code v}: 1 to 5 bytes, low group first. */
  void writeVarint(int v) {
    ensure(5);
    while ((v & ~0x7F) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, size, length);
    size += length;
  }

  /** Varint length, then the bytes from the buffer's position to its limit; it is not moved. */
  void writeLengthPrefixed(ByteBuffer bytes) {
    int length = bytes.remaining();
    writeVarint(length);
    ensure(length);
    bytes.duplicate().get(buf, size, length);
    size += length;
  }

  /**
   * Varint UTF-8 length, then the UTF-8 bytes of {@code s}, encoded here rather than through {@code
   * String.getBytes}, which would silently turn an unpaired surrogate into {@code '?'}: a string
   * with no UTF-8 form is refused instead of being changed.
   */
  void writeUtf8(String s) {
    int chars = s.length();
    long length = chars;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          length += 1;
        } else if (!Character.isSurrogate(c)) {
          length += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < chars
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          length += 2; // two chars, four bytes
          i++;
        } else {
          throw new CodecException("a string holds an unpaired surrogate, so it has no UTF-8 form");
        }
      }
    }
    if (length > MAX_SIZE) {
      throw new CodecException("a string is too long to encode");
    }
    writeVarint((int) length);
    ensure((int) length);
    if (length == chars) {
      for (int i = 0; i < chars; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
      return;
    }
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[size++] = (byte) c;
      } else if (c < 0x800) {
        buf[size++] = (byte) (0xC0 | (c >>> 6));
        buf[size++] = (byte) (0x80 | (c & 0x3F));
      } else if (!Character.isSurrogate(c)) {
        buf[size++] = (byte) (0xE0 | (c >>> 12));
        buf[size++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        buf[size++] = (byte) (0x80 | (c & 0x3F));
      } else {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[size++] = (byte) (0xF0 | (cp >>> 18));
        buf[size++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        buf[size++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        buf[size++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
  }

  private void ensure(int more) {
    if (more <= buf.length - size) {
      return;
    }
    if (more > MAX_SIZE - size) {
      throw new CodecException("the encoded value would be larger than a Java array can hold");
    }
    int needed = size + more;
    int grown = buf.length > MAX_SIZE / 2 ? MAX_SIZE : Math.max(buf.length * 2, 16);
    byte[] bigger = new byte[Math.max(grown, needed)];
    System.arraycopy(buf, 0, bigger, 0, size);
    buf = bigger;
  }
}
