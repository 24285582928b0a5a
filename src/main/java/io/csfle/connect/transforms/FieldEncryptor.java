package io.csfle.connect.transforms;

import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldRewrite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Encrypts one field value. STRING and BYTES values are encrypted as Confluent does: STRING becomes
 * the padded standard base64 of the ciphertext, BYTES the raw ciphertext. Every other value (and
 * any schemaless value that is not a string) is first turned into our typed plaintext (see {@code
 * docs/FORMAT.md}) and the field becomes an encrypted STRING, or BYTES if so configured, whose
 * schema parameter records the original schema. In rotation mode the ciphertext carries the DEK
 * version prefix. The key is set per record by the transform (Connect runs one transformation
 * instance per task, on one thread).
 */
final class FieldEncryptor implements FieldRewrite {
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private final boolean rotating;
  private final boolean typedAsBytes;
  private EncryptionKey key;

  FieldEncryptor(boolean rotating, boolean typedAsBytes) {
    this.rotating = rotating;
    this.typedAsBytes = typedAsBytes;
  }

  void useKey(EncryptionKey key) {
    this.key = key;
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    if (FieldValues.isConfluentNative(fieldSchema)) {
      return fieldSchema;
    }
    SchemaBuilder encrypted = typedAsBytes ? SchemaBuilder.bytes() : SchemaBuilder.string();
    if (fieldSchema.isOptional()) {
      encrypted.optional();
    }
    return encrypted.parameter(SchemaCodec.PARAMETER, SchemaCodec.toJson(fieldSchema)).build();
  }

  @Override
  public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
    try {
      if (fieldSchema == null) {
        return value instanceof String text ? encryptString(text) : encryptTyped(null, value);
      }
      if (!FieldValues.isConfluentNative(fieldSchema)) {
        return encryptTyped(fieldSchema, value);
      }
      return fieldSchema.type() == Schema.Type.STRING
          ? encryptString((String) value)
          : encrypt(FieldValues.bytesOf(path, value));
    } catch (FieldFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FieldFailure(path, e);
    }
  }

  private String encryptString(String value) {
    return BASE64.encodeToString(encrypt(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Object encryptTyped(Schema schema, Object value) {
    byte[] ciphertext = encrypt(TypedValueCodec.encode(schema, value));
    return typedAsBytes ? ciphertext : BASE64.encodeToString(ciphertext);
  }

  private byte[] encrypt(byte[] plaintext) {
    byte[] ciphertext = key.cipher().encrypt(plaintext);
    return rotating ? CiphertextFrame.withVersion(key.version(), ciphertext) : ciphertext;
  }
}
