package io.csfle.connect.adversarial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds typed plaintexts byte by byte, well-formed or not, so that tests can say exactly which
 * rule of docs/FORMAT.md section 3 a hostile payload breaks.
 */
final class Payload {
  static final int NULL = 0x00;
  static final int BOOLEAN = 0x01;
  static final int INT8 = 0x02;
  static final int INT32 = 0x04;
  static final int INT64 = 0x05;
  static final int STRING = 0x08;
  static final int BYTES = 0x09;
  static final int ARRAY = 0x0A;
  static final int MAP = 0x0B;
  static final int STRUCT = 0x0C;
  static final int DECIMAL = 0x0D;
  static final int TIME = 0x0F;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A payload that starts with the marker {@code 0xFF} and format version {@code 0x01}. */
  static Payload typed() {
    return new Payload().raw(0xFF, 0x01);
  }

  /** A payload with no header at all. */
  static Payload bare() {
    return new Payload();
  }

  Payload raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  Payload raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** Unsigned LEB128 of the 32 bits of {@code value}. */
  Payload varint(int value) {
    long v = value & 0xFFFFFFFFL;
    while (v >= 0x80) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  Payload int32(int value) {
    return raw(value >>> 24, value >>> 16, value >>> 8, value);
  }

  Payload int64(long value) {
    return int32((int) (value >>> 32)).int32((int) value);
  }

  /** A STRING body: the byte length, then the bytes (which need not be UTF-8). */
  Payload utf8(byte[] bytes) {
    return varint(bytes.length).raw(bytes);
  }

  Payload utf8(String text) {
    return utf8(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A tagged STRING value. */
  Payload string(String text) {
    return raw(STRING).utf8(text);
  }

  Payload repeat(int times, int... bytes) {
    for (int i = 0; i < times; i++) {
      raw(bytes);
    }
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
