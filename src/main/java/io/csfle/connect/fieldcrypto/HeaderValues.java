package io.csfle.connect.fieldcrypto;

import io.csfle.connect.codec.TypedValueCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;

/**
 * How a header value becomes plaintext and back, and what its ciphertext is bound to (see the
 * "Headers" section of docs/FORMAT.md). Every supported value, strings included, is written as
 * typed plaintext, so the reader restores its type from the ciphertext alone: a STRING, BYTES,
 * INT8-INT64, FLOAT32/64 or BOOLEAN header, with no logical type. Structs, maps, arrays and logical
 * types are refused: a header converter would not restore their schema either.
 */
final class HeaderValues {
  /** Starts every header's associated data, so no header ciphertext is a field's (empty AD). */
  private static final String ASSOCIATED_DATA_PREFIX = "csfle.header:";

  private static final Map<Class<?>, Schema> SCHEMA_BY_CLASS =
      Map.of(
          String.class, Schema.STRING_SCHEMA,
          byte[].class, Schema.BYTES_SCHEMA,
          Byte.class, Schema.INT8_SCHEMA,
          Short.class, Schema.INT16_SCHEMA,
          Integer.class, Schema.INT32_SCHEMA,
          Long.class, Schema.INT64_SCHEMA,
          Float.class, Schema.FLOAT32_SCHEMA,
          Double.class, Schema.FLOAT64_SCHEMA,
          Boolean.class, Schema.BOOLEAN_SCHEMA);

  private HeaderValues() {}

  /** The associated data a header's ciphertext is bound to: the prefix, then its name in UTF-8. */
  static byte[] associatedData(String name) {
    return (ASSOCIATED_DATA_PREFIX + name).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The typed plaintext of a header value.
   *
   * @throws FieldCryptoException when the header's type is not supported
   */
  static byte[] plaintext(String name, Schema schema, Object value) {
    Object plain = value instanceof ByteBuffer buffer ? FieldValues.bytesOf(null, buffer) : value;
    Schema byValue = SCHEMA_BY_CLASS.get(plain.getClass());
    boolean supported =
        schema == null ? byValue != null : schema.name() == null && schema.type().isPrimitive();
    if (!supported) {
      throw FieldCryptoException.forHeader(
          name,
          "header of type "
              + (schema == null ? plain.getClass().getSimpleName() : FieldValues.describe(schema))
              + " is not supported; encrypted headers are STRING, BYTES, INT8-INT64, FLOAT32/64"
              + " or BOOLEAN",
          null);
    }
    return TypedValueCodec.encode(schema == null ? null : baseSchema(schema), plain);
  }

  /**
   * The header a decrypted typed plaintext restores, with Connect's schema for its type.
   *
   * @throws FieldCryptoException when the plaintext holds a type headers do not carry
   */
  static SchemaAndValue restore(String name, byte[] plaintext) {
    Object value = TypedValueCodec.decode(plaintext, null);
    Schema schema = SCHEMA_BY_CLASS.get(value.getClass());
    if (schema == null) {
      throw FieldCryptoException.forHeader(
          name, "decrypted header holds a type that encrypted headers never carry", null);
    }
    return new SchemaAndValue(schema, value);
  }

  /** The required schema of the same type: typed plaintext of a header never holds null. */
  private static Schema baseSchema(Schema schema) {
    return SCHEMA_BY_CLASS.values().stream()
        .filter(s -> s.type() == schema.type())
        .findFirst()
        .orElseThrow();
  }
}
