package io.csfle.connect.reencrypt;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
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
 * fields are decrypted and checked but never changed.
 *
 * <p>This object is the schema side and holds no record state; {@link #forRecord} gives each record
 * its value side, which knows the record's subjects and resolves the target DEK on the first field
 * that needs it (a record with no encrypted field present makes no registry call).
 */
final class CiphertextReencryption implements SchemaRewrite {
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
  private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();

  private final DecryptionKeys sourceKeys;
  private final boolean sourceRotating;
  private final EncryptionKeys targetKeys;
  private final boolean verifyOnly;

  /** Source and target name the same KEK and algorithm, so a source DEK may be the target DEK. */
  private final boolean sameKek;

  CiphertextReencryption(
      DecryptionKeys sourceKeys,
      boolean sourceRotating,
      EncryptionKeys targetKeys,
      boolean verifyOnly,
      boolean sameKek) {
    this.sameKek = sameKek;
    this.sourceKeys = sourceKeys;
    this.sourceRotating = sourceRotating;
    this.targetKeys = targetKeys;
    this.verifyOnly = verifyOnly;
  }

  /**
   * The value side for one record read under {@code sourceSubject} and written under {@code
   * targetSubject}; what it does to each field is counted in {@code stats}.
   */
  ValueRewrite forRecord(String sourceSubject, String targetSubject, RecordStats stats) {
    return new RecordReencryption(sourceSubject, targetSubject, stats);
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

  /** One record's re-encryption: its subjects and, once a field needs it, the target DEK. */
  private final class RecordReencryption implements ValueRewrite {
    private final String sourceSubject;
    private final String targetSubject;
    private final RecordStats stats;
    private EncryptionKey targetKey;

    RecordReencryption(String sourceSubject, String targetSubject, RecordStats stats) {
      this.sourceSubject = sourceSubject;
      this.targetSubject = targetSubject;
      this.stats = stats;
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
        byte[] encrypted = targetKey().cipher().encrypt(plaintext);
        if (targetKeys.rotating()) {
          encrypted = CiphertextFrame.withVersion(targetKey().version(), encrypted);
        }
        stats.fieldReencrypted();
        return value instanceof String ? BASE64_ENCODER.encodeToString(encrypted) : encrypted;
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }

    /**
     * True when source DEK {@code version}, which opened the field, is the current target DEK in
     * the same ciphertext form: the field is at the target already.
     */
    private boolean isTargetDek(int version) {
      return sameKek
          && sourceRotating == targetKeys.rotating()
          && version == targetKey().version()
          && sourceSubject.equals(targetSubject);
    }

    /** True when the target DEK decrypts the ciphertext: nothing to do for this field. */
    private boolean isAtTarget(byte[] ciphertext) {
      int offset = 0;
      if (targetKeys.rotating()) {
        if (ciphertext.length < CiphertextFrame.PREFIX_LENGTH
            || ciphertext[0] != 0
            || CiphertextFrame.version(ciphertext) != targetKey().version()) {
          return false;
        }
        offset = CiphertextFrame.PREFIX_LENGTH;
      }
      try {
        byte[] plaintext =
            targetKey().cipher().decrypt(ciphertext, offset, ciphertext.length - offset);
        Arrays.fill(plaintext, (byte) 0);
        return true;
      } catch (CryptoException e) {
        return false;
      }
    }

    private EncryptionKey targetKey() {
      EncryptionKey resolved = targetKey;
      if (resolved == null) {
        resolved = targetKeys.forSubject(targetSubject);
        targetKey = resolved;
      }
      return resolved;
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
