package io.csfle.connect.fieldcrypto;

import io.csfle.connect.field.FieldPath;
import java.nio.ByteBuffer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

/**
 * Which values are encrypted exactly as Confluent does (STRING and BYTES fields: the same bytes as
 * Confluent's serializers) and which take our typed format (everything else). A BYTES schema that
 * carries the Decimal logical type holds a BigDecimal, so it is typed.
 */
public final class FieldValues {
  private FieldValues() {}

  /** True for schemas whose values Confluent encrypts: STRING, and BYTES holding bytes. */
  public static boolean isConfluentNative(Schema schema) {
    return schema.type() == Schema.Type.STRING
        || schema.type() == Schema.Type.BYTES && !Decimal.LOGICAL_NAME.equals(schema.name());
  }

  /** The bytes of a BYTES value, which Connect allows as byte[] or ByteBuffer. */
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
    throw new FieldCryptoException(
        path,
        "value of Java type "
            + value.getClass().getSimpleName()
            + " is not a ciphertext; an encrypted field holds a string or bytes");
  }

  /**
   * Refuses a field schema that cannot hold a ciphertext.
   *
   * @throws FieldCryptoException unless the schema is STRING or BYTES
   */
  static Schema holdingCiphertext(FieldPath path, Schema fieldSchema) {
    if (!isConfluentNative(fieldSchema)) {
      throw new FieldCryptoException(
          path,
          "field type "
              + describe(fieldSchema)
              + " cannot hold a ciphertext; encrypted fields are STRING or BYTES");
    }
    return fieldSchema;
  }

  static String describe(Schema schema) {
    return schema.name() == null
        ? schema.type().toString()
        : schema.type() + " (" + schema.name() + ")";
  }
}
