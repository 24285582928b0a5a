package io.csfle.connect.transforms;

import io.csfle.connect.field.FieldPath;
import java.nio.ByteBuffer;
import org.apache.kafka.connect.data.Schema;

/**
 * Which field types can be encrypted: STRING and BYTES, the types Confluent encrypts. A BYTES
 * schema carrying a logical type (Decimal) holds a non-byte value and is rejected too. Anything
 * else is an error, never a silent skip.
 */
final class SupportedTypes {
  private SupportedTypes() {}

  static void check(FieldPath path, Schema schema) {
    boolean plainBytes = schema.type() == Schema.Type.BYTES && schema.name() == null;
    if (schema.type() != Schema.Type.STRING && !plainBytes) {
      throw new FieldFailure(
          path,
          "field type "
              + describe(schema)
              + " is not supported; only STRING and BYTES fields can be encrypted");
    }
  }

  static boolean isString(Object value) {
    return value instanceof String;
  }

  static byte[] bytesOf(FieldPath path, Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    throw new FieldFailure(
        path,
        "value of Java type "
            + value.getClass().getSimpleName()
            + " is not supported; only strings and bytes can be encrypted");
  }

  private static String describe(Schema schema) {
    return schema.name() == null ? schema.type().toString() : schema.type() + " (" + schema.name()
        + ")";
  }
}
