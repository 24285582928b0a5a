package io.csfle.connect.reencrypt;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldRewrite;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

/**
 * Re-encrypts one encrypted field at the ciphertext level: the bytes are decrypted with the source
 * DEK version they carry and encrypted with the target DEK, and the field keeps its type, schema
 * and encoding (STRING fields hold padded base64, BYTES fields raw bytes; a typed plaintext stays
 * typed). The plaintext exists only inside this class, between the two calls, and is zeroed after.
 *
 * <p>A field that the current target DEK already decrypts is at the target (an AEAD tag proves the
 * key, and in rotation mode the version prefix must be the target's) and is left as it is. The
 * source DEK is tried first: most fields of a job are not at the target yet, and a failed trial
 * decryption costs an exception. Only when the source DEK fails is the target DEK tried; a field
 * the source DEK opens is at the target only if that DEK is the target DEK itself. In verify mode
 * fields are decrypted and checked but never changed. Set per record with {@link #useRecord}; one
 * instance serves one task thread.
 */
final class CiphertextReencryption implements FieldRewrite {
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
  private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();

  private final DecryptionKeys sourceKeys;
  private final boolean sourceRotating;
  private final EncryptionKeys targetKeys;
  private final boolean verifyOnly;
  private final RecordStats stats;

  /** Source and target name the same KEK and algorithm, so a source DEK may be the target DEK. */
  private final boolean sameKek;

  private String sourceSubject;
  private String targetSubject;
  private EncryptionKey targetKey;

  CiphertextReencryption(
      DecryptionKeys sourceKeys,
      boolean sourceRotating,
      EncryptionKeys targetKeys,
      boolean verifyOnly,
      RecordStats stats,
      boolean sameKek) {
    this.sameKek = sameKek;
    this.sourceKeys = sourceKeys;
    this.sourceRotating = sourceRotating;
    this.targetKeys = targetKeys;
    this.verifyOnly = verifyOnly;
    this.stats = stats;
  }

  /** Points the rewrite at the DEK subjects of the next record. */
  void useRecord(String sourceSubject, String targetSubject) {
    this.sourceSubject = sourceSubject;
    this.targetSubject = targetSubject;
    this.targetKey = targetKeys.forSubject(targetSubject);
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    boolean holdsCiphertext =
        fieldSchema.type() == Schema.Type.STRING
            || fieldSchema.type() == Schema.Type.BYTES
                && !Decimal.LOGICAL_NAME.equals(fieldSchema.name());
    if (!holdsCiphertext) {
      throw new ReencryptFailure(
          path, "field type " + fieldSchema.type() + " cannot hold a ciphertext");
    }
    return fieldSchema;
  }

  @Override
  public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
    byte[] ciphertext = ciphertextOf(path, value);
    int version;
    byte[] plaintext;
    try {
      version = sourceRotating ? CiphertextFrame.version(ciphertext) : 1;
      int offset = sourceRotating ? CiphertextFrame.PREFIX_LENGTH : 0;
      plaintext =
          sourceKeys
              .forVersion(sourceSubject, version)
              .decrypt(ciphertext, offset, ciphertext.length - offset);
    } catch (RuntimeException e) {
      if (isAtTarget(ciphertext)) {
        stats.fieldAtTarget();
        return value;
      }
      throw new ReencryptFailure(path, e);
    }
    try {
      if (isTargetDek(version)) {
        stats.fieldAtTarget();
        return value;
      }
      stats.sourceVersion(version);
      if (verifyOnly) {
        stats.fieldReencrypted();
        return value;
      }
      byte[] encrypted = targetKey.cipher().encrypt(plaintext);
      if (targetKeys.rotating()) {
        encrypted = CiphertextFrame.withVersion(targetKey.version(), encrypted);
      }
      stats.fieldReencrypted();
      return value instanceof String ? BASE64_ENCODER.encodeToString(encrypted) : encrypted;
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * True when source DEK {@code version}, which opened the field, is the current target DEK in the
   * same ciphertext form: the field is at the target already.
   */
  private boolean isTargetDek(int version) {
    return sameKek
        && sourceRotating == targetKeys.rotating()
        && version == targetKey.version()
        && sourceSubject.equals(targetSubject);
  }

  /** True when the target DEK decrypts the ciphertext: nothing to do for this field. */
  private boolean isAtTarget(byte[] ciphertext) {
    int offset = 0;
    if (targetKeys.rotating()) {
      if (ciphertext.length < CiphertextFrame.PREFIX_LENGTH
          || ciphertext[0] != 0
          || CiphertextFrame.version(ciphertext) != targetKey.version()) {
        return false;
      }
      offset = CiphertextFrame.PREFIX_LENGTH;
    }
    try {
      byte[] plaintext = targetKey.cipher().decrypt(ciphertext, offset, ciphertext.length - offset);
      Arrays.fill(plaintext, (byte) 0);
      return true;
    } catch (CryptoException e) {
      return false;
    }
  }

  private static byte[] ciphertextOf(FieldPath path, Object value) {
    if (value instanceof String text) {
      try {
        return BASE64_DECODER.decode(text);
      } catch (IllegalArgumentException e) {
        throw new ReencryptFailure(path, "value is not base64, so it is not a CSFLE ciphertext");
      }
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    throw new ReencryptFailure(
        path, "a " + value.getClass().getSimpleName() + " value is not a CSFLE ciphertext");
  }
}
