package io.csfle.connect.transforms;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldRewrite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.connect.data.Schema;

/**
 * Encrypts one field value as Confluent does: STRING becomes the padded standard base64 of the
 * ciphertext, BYTES the raw ciphertext; in rotation mode the ciphertext carries the DEK version
 * prefix. The key is set per record by the transform (Connect runs one transformation instance per
 * task, on one thread).
 */
final class FieldEncryptor implements FieldRewrite {
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private final boolean rotating;
  private EncryptionKey key;

  FieldEncryptor(boolean rotating) {
    this.rotating = rotating;
  }

  void useKey(EncryptionKey key) {
    this.key = key;
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    SupportedTypes.check(path, fieldSchema);
    return fieldSchema;
  }

  @Override
  public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
    try {
      if (SupportedTypes.isString(value)) {
        return BASE64.encodeToString(encrypt(((String) value).getBytes(StandardCharsets.UTF_8)));
      }
      return encrypt(SupportedTypes.bytesOf(path, value));
    } catch (FieldFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FieldFailure(path, e);
    }
  }

  private byte[] encrypt(byte[] plaintext) {
    byte[] ciphertext = key.cipher().encrypt(plaintext);
    return rotating ? CiphertextFrame.withVersion(key.version(), ciphertext) : ciphertext;
  }
}
