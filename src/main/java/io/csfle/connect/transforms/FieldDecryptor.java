package io.csfle.connect.transforms;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldRewrite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts one field value: STRING from padded standard base64, BYTES raw; in rotation mode the DEK
 * version comes from the ciphertext prefix, otherwise it is 1. With pass-through enabled, a value
 * that cannot be decrypted stays as it is (still ciphertext); outages are never passed through.
 */
final class FieldDecryptor implements FieldRewrite {
  private static final Logger log = LoggerFactory.getLogger(FieldDecryptor.class);
  private static final Base64.Decoder BASE64 = Base64.getDecoder();

  private final DecryptionKeys keys;
  private final boolean rotating;
  private final boolean passThroughOnFailure;
  private String subject;
  private long passedThrough;

  FieldDecryptor(DecryptionKeys keys, boolean rotating, boolean passThroughOnFailure) {
    this.keys = keys;
    this.rotating = rotating;
    this.passThroughOnFailure = passThroughOnFailure;
  }

  void useSubject(String subject) {
    this.subject = subject;
  }

  long passedThrough() {
    return passedThrough;
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
        byte[] ciphertext = decodeBase64(path, (String) value);
        return new String(decrypt(ciphertext), StandardCharsets.UTF_8);
      }
      return decrypt(SupportedTypes.bytesOf(path, value));
    } catch (RuntimeException e) {
      if (passThroughOnFailure && isBadCiphertext(e)) {
        passedThrough++;
        log.warn(
            "Field '{}' of subject '{}' could not be decrypted and is passed through as"
                + " ciphertext ({} so far): {}",
            path,
            subject,
            passedThrough,
            e.getMessage());
        return value;
      }
      throw e instanceof FieldFailure ? e : new FieldFailure(path, e);
    }
  }

  private byte[] decrypt(byte[] ciphertext) {
    int version = rotating ? CiphertextFrame.version(ciphertext) : 1;
    int offset = rotating ? CiphertextFrame.PREFIX_LENGTH : 0;
    FieldCipher cipher = keys.forVersion(subject, version);
    return cipher.decrypt(ciphertext, offset, ciphertext.length - offset);
  }

  private static byte[] decodeBase64(FieldPath path, String value) {
    try {
      return BASE64.decode(value);
    } catch (IllegalArgumentException e) {
      throw new FieldFailure(
          path, "value is not standard base64, so it is not a CSFLE ciphertext of a string");
    }
  }

  /**
   * Failures of this one value (not base64, tampered, unknown DEK version). Outages and access or
   * configuration problems affect every record and are never passed through.
   */
  private static boolean isBadCiphertext(RuntimeException e) {
    return e instanceof FieldFailure
        || e instanceof CryptoException
        || e instanceof MissingDekException;
  }
}
