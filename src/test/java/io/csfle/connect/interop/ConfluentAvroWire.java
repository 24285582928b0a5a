package io.csfle.connect.interop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's Avro message framing ({@code 0x00}, 4-byte big-endian schema id, Avro binary) for
 * flat records whose fields are all {@code string} or {@code bytes}: enough to hand our encrypted
 * values to Confluent's deserializer and to take Confluent's ciphertext out of its serializer's
 * output, without an Avro library. A field is a {@code String} or a {@code byte[]}.
 */
final class ConfluentAvroWire {
  private ConfluentAvroWire() {}

  /** A decoded message: its schema id and its field values in schema order. */
  record Message(int schemaId, List<Object> fields) {}

  static byte[] encode(int schemaId, List<Object> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    for (Object field : fields) {
      byte[] bytes =
          field instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) field;
      writeLong(out, bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** {@code isString[i]} says whether field {@code i} is an Avro string (else bytes). */
  static Message decode(byte[] message, boolean... isString) {
    ByteBuffer in = ByteBuffer.wrap(message);
    if (in.get() != 0) {
      throw new IllegalArgumentException("not Confluent's magic byte 0");
    }
    int schemaId = in.getInt();
    List<Object> fields = new ArrayList<>();
    for (boolean string : isString) {
      byte[] bytes = new byte[Math.toIntExact(readLong(in))];
      in.get(bytes);
      fields.add(string ? new String(bytes, StandardCharsets.UTF_8) : bytes);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the last field");
    }
    return new Message(schemaId, fields);
  }

  /** Avro's zig-zag varint. */
  private static void writeLong(ByteArrayOutputStream out, long value) {
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
  }

  private static long readLong(ByteBuffer in) {
    long n = 0;
    int shift = 0;
    int b;
    do {
      b = in.get() & 0xFF;
      n |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return (n >>> 1) ^ -(n & 1);
  }
}
