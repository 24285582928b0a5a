package io.csfle.connect.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over a decrypted payload. Every read checks what is left first, so
 * truncated or hostile input ends in a {@link CodecException}, never an index exception, and no
 * length is trusted before the bytes it announces are known to be there.
 */
final class ByteSource {
  private final byte[] buf;
  private int pos;

  ByteSource(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return buf.length - pos;
  }

  int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  short readShort() {
    need(2);
    int v = (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF);
    pos += 2;
    return (short) v;
  }

  int readInt() {
    need(4);
    int v =
        (buf[pos] & 0xFF) << 24
            | (buf[pos + 1] & 0xFF) << 16
            | (buf[pos + 2] & 0xFF) << 8
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long readLong() {
    long high = readInt() & 0xFFFFFFFFL;
    long low = readInt() & 0xFFFFFFFFL;
    return high << 32 | low;
  }

  /**
   * An unsigned LEB128 varint of at most 32 bits, returned as those 32 bits. Only the shortest form
   * is accepted, so every value has exactly one encoding.
   */
  int readVarint() {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      if (shift == 28 && (b & 0xF0) != 0) {
        throw malformed("a varint is longer than 32 bits");
      }
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw malformed("a varint is not in its shortest form");
        }
        return value;
      }
    }
    throw malformed("a varint is longer than 32 bits"); // unreachable: shift 28 checked above
  }

  /**
   * A varint count of items that each take at least {@code minItemSize} bytes; a count the
   * remaining bytes cannot hold is refused before anything is allocated for it.
   */
  int readCount(int minItemSize) {
    int count = readVarint();
    if (count < 0 || (long) count * minItemSize > remaining()) {
      throw malformed("a length or count exceeds the bytes that follow it");
    }
    return count;
  }

  byte[] readLengthPrefixed() {
    int length = readCount(1);
    byte[] out = new byte[length];
    System.arraycopy(buf, pos, out, 0, length);
    pos += length;
    return out;
  }

  /** A varint-length UTF-8 string; malformed UTF-8 is refused, never replaced. */
  String readUtf8() {
    int length = readCount(1);
    String s = new String(buf, pos, length, StandardCharsets.UTF_8);
    // The JDK decoder replaces malformed input with U+FFFD. That character is rare in real
    // text, so only strings that contain it pay for the strict check.
    if (s.indexOf('\uFFFD') >= 0) {
      checkUtf8(pos, length);
    }
    pos += length;
    return s;
  }

  /**
   * Whether the next {@code length}-prefixed UTF-8 string equals {@code expected}, consumed either
   * way. Struct field names are checked on every record, so ASCII names are compared byte by byte
   * without building a String.
   */
  boolean readUtf8Equals(String expected) {
    int start = pos;
    int length = readCount(1);
    if (length == expected.length()) {
      int i = 0;
      while (i < length && buf[pos + i] >= 0 && buf[pos + i] == expected.charAt(i)) {
        i++;
      }
      if (i == length) {
        pos += length;
        return true;
      }
    }
    pos = start;
    return readUtf8().equals(expected);
  }

  private void checkUtf8(int offset, int length) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, offset, length));
    } catch (CharacterCodingException e) {
      throw malformed("a string is not valid UTF-8");
    }
  }

  private void need(int n) {
    if (n > buf.length - pos) {
      throw malformed("the payload ends too early");
    }
  }

  CodecException malformed(String what) {
    return new CodecException("malformed typed payload at byte " + pos + ": " + what);
  }
}
