package io.csfle.connect.codec;

import org.apache.kafka.connect.data.Schema;

/**
 * Typed plaintext, format v1: any Connect value, with or without a schema, as self-describing bytes
 * that the transforms encrypt exactly like a Confluent BYTES field, and back.
 *
 * <p>Layout: the marker byte {@code 0xFF}, the format version {@code 0x01}, then one tagged value
 * (tag numbers and bodies in {@code docs/FORMAT.md}). {@code 0xFF} never occurs in UTF-8, so after
 * decryption a typed payload cannot be mistaken for the UTF-8 plaintext of a Confluent STRING.
 *
 * <p>Encoding is deterministic: the same schema and value always give the same bytes, so AES-SIV
 * keeps equal record keys equal. Struct fields follow schema order and map entries the map's
 * iteration order, so two equal maps that iterate differently (two HashMaps with different
 * histories) may encode differently.
 *
 * <p>Everything {@link #encode} accepts, {@link #decode} with the same schema restores equal; what
 * could not be restored is refused when encoding. Decoding refuses anything but a well-formed
 * payload: wrong marker or version, unknown tags, truncated input, trailing bytes, lengths beyond
 * the input, non-minimal encodings, nesting deeper than {@link #MAX_DEPTH}.
 */
public final class TypedValueCodec {
  /** First byte of every typed payload; never a byte of valid UTF-8. */
  public static final byte MARKER = (byte) 0xFF;

  /** Second byte: the layout version this class writes and reads. */
  public static final byte FORMAT_VERSION = 0x01;

  /** Most containers (ARRAY, MAP, STRUCT) one value may nest; writers and readers both enforce. */
  public static final int MAX_DEPTH = 64;

  private static final int INITIAL_CAPACITY = 64;

  private TypedValueCodec() {}

  /**
   * The typed plaintext of {@code value}. With a schema, the schema decides the tags and the value
   * must be the Java type Connect uses for it (logical types included); with {@code schema} null,
   * the Java type decides: Boolean, Byte, Short, Integer, Long, Float, Double, String, byte[] or
   * ByteBuffer, List, Map, BigDecimal (DECIMAL), java.util.Date (TIMESTAMP), or a Struct (written
   * with its own schema).
   *
   * @throws CodecException if {@code value} is null (null is never encrypted), or is not a value of
   *     {@code schema}, or cannot be carried (see the class comment)
   */
  public static byte[] encode(Schema schema, Object value) {
    if (value == null) {
      throw new CodecException("null is never encoded: it passes through unencrypted");
    }
    ByteSink out = new ByteSink(INITIAL_CAPACITY);
    out.writeByte(MARKER);
    out.writeByte(FORMAT_VERSION);
    new TypedWriter(out).write(schema, value);
    return out.toByteArray();
  }

  /**
   * The value in a typed payload. With a schema: the Connect Java value for it (a Struct built with
   * that schema, java.util.Date for Date, Time and Timestamp, BigDecimal for Decimal, byte[] for
   * BYTES), and every tag must be the one the schema is written with. With {@code schema} null:
   * Boolean, Byte, Short, Integer, Long, Float, Double, String, byte[], ArrayList, LinkedHashMap,
   * BigDecimal or java.util.Date, and a STRUCT becomes a LinkedHashMap of field name to value.
   *
   * @throws CodecException if the payload is not well-formed typed plaintext v1, or does not fit
   *     {@code schema} (the message names the expected and the found tag, never a value)
   */
  public static Object decode(byte[] payload, Schema schema) {
    if (!isTyped(payload)) {
      throw new CodecException("not a typed payload: the first byte is not the marker 0xFF");
    }
    if (payload.length < 2 || payload[1] != FORMAT_VERSION) {
      throw new CodecException(
          payload.length < 2
              ? "a typed payload ends after its marker"
              : String.format("unsupported typed payload format version 0x%02X", payload[1]));
    }
    ByteSource in = new ByteSource(payload, 2);
    Object value = new TypedReader(in).readTopLevel(schema);
    if (in.remaining() != 0) {
      throw in.malformed(in.remaining() + " bytes follow the value");
    }
    return value;
  }

  /**
   * Whether decrypted plaintext is a typed payload rather than the UTF-8 bytes of a Confluent
   * STRING: its first byte is {@link #MARKER}.
   */
  public static boolean isTyped(byte[] plaintext) {
    return plaintext != null && plaintext.length > 0 && plaintext[0] == MARKER;
  }
}
