package io.csfle.connect.fieldcrypto;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.Arrays;
import java.util.function.Supplier;
import org.apache.kafka.connect.connector.ConnectRecord;
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
 * that needs it ({@link RecordEncryptionKey}). Subjects may be rendered from the record by subject
 * templates, then also on the first field that needs them, and a target subject rendered from
 * record data gets an entity key as {@code EncryptField} gives it ({@link EntityKeyChoice}); the
 * source keys find entity keys themselves. Failures come out as {@link FieldCryptoException}.
 */
public final class FieldReencryptor implements SchemaRewrite {
  private final DecryptionKeys sourceKeys;
  private final CiphertextFormat source;
  private final EncryptionKeys targetKeys;
  private final CiphertextFormat target;
  private final EntityKeyChoice targetEntities;
  private final boolean verifyOnly;

  /** Source and target name the same KEK and algorithm, so a source DEK may be the target DEK. */
  private final boolean sameKek;

  /**
   * @param sourceRotating true when source ciphertexts carry the DEK version prefix
   * @param targetEntities entity keys for target subjects rendered from record data, or null for
   *     ordinary DEKs
   * @param verifyOnly true to check fields without changing them
   * @param sameKek true when source and target name the same KEK and algorithm
   */
  public FieldReencryptor(
      DecryptionKeys sourceKeys,
      boolean sourceRotating,
      EncryptionKeys targetKeys,
      EntityKeyChoice targetEntities,
      boolean verifyOnly,
      boolean sameKek) {
    this.sourceKeys = sourceKeys;
    this.source = new CiphertextFormat(sourceRotating);
    this.targetKeys = targetKeys;
    this.target = new CiphertextFormat(targetKeys.rotating());
    this.targetEntities = targetEntities;
    this.verifyOnly = verifyOnly;
    this.sameKek = sameKek;
  }

  /**
   * The value side for one record: its fields were written under the subject {@code sourceSubject}
   * gives and go under the one {@code targetSubjects} renders from {@code asWritten} (the record
   * addressed to its target topic). Both are asked for only when a field needs them, and once, so a
   * record with nothing to re-encrypt never fails for lack of the data a template reads.
   */
  public ValueRewrite forRecord(
      Supplier<String> sourceSubject,
      ConnectRecord<?> asWritten,
      SubjectTemplate targetSubjects,
      ReencryptionCounts counts) {
    return new RecordReencryption(
        sourceSubject,
        new RecordEncryptionKey(targetKeys, targetEntities, targetSubjects, asWritten, target),
        counts);
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    return FieldValues.holdingCiphertext(path, fieldSchema);
  }

  /** One record's re-encryption: its subjects and, once a field needs it, the target DEK. */
  private final class RecordReencryption implements ValueRewrite {
    private final Supplier<String> sourceSubjects;
    private String sourceSubject;
    private final RecordEncryptionKey targetKey;
    private final ReencryptionCounts counts;

    RecordReencryption(
        Supplier<String> sourceSubjects, RecordEncryptionKey targetKey, ReencryptionCounts counts) {
      this.sourceSubjects = sourceSubjects;
      this.targetKey = targetKey;
      this.counts = counts;
    }

    /** The source subject, rendered on the first call. */
    private String sourceSubject() {
      String resolved = sourceSubject;
      if (resolved == null) {
        resolved = sourceSubjects.get();
        sourceSubject = resolved;
      }
      return resolved;
    }

    /**
     * Whether a field the source key could not open is already under the target key. A failure of
     * that check is added to {@code sourceFailure}, which stays the error reported: a source outage
     * must not be reported as a target-side error.
     */
    private boolean atTarget(byte[] ciphertext, RuntimeException sourceFailure) {
      try {
        return isAtTarget(ciphertext);
      } catch (RuntimeException targetFailure) {
        sourceFailure.addSuppressed(targetFailure);
        return false;
      }
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      byte[] ciphertext = CiphertextFormat.read(path, value);
      int version;
      byte[] plaintext;
      try {
        version = source.version(ciphertext);
        plaintext = source.decrypt(sourceKeys.forVersion(sourceSubject(), version), ciphertext);
      } catch (RuntimeException e) {
        if (atTarget(ciphertext, e)) {
          counts.fieldAtTarget();
          return value;
        }
        throw new FieldCryptoException(path, e);
      }
      try {
        return reencrypt(version, plaintext, value);
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }

    private Object reencrypt(int version, byte[] plaintext, Object value) {
      if (isTargetDek(version)) {
        counts.fieldAtTarget();
        return value;
      }
      counts.sourceVersion(version);
      if (verifyOnly) {
        counts.fieldReencrypted();
        return value;
      }
      byte[] encrypted = targetKey.encrypt(plaintext);
      counts.fieldReencrypted();
      return CiphertextFormat.writeLike(value, encrypted);
    }

    /**
     * True when source DEK {@code version}, which opened the field, is the current target DEK in
     * the same ciphertext form: the field is at the target already. The subjects are compared
     * before the target DEK is resolved, so a job between different subjects under one KEK (such as
     * a topic's DEK to entity keys) resolves it only to encrypt.
     */
    private boolean isTargetDek(int version) {
      return sameKek
          && source.rotating() == target.rotating()
          && sourceSubject().equals(targetKey.subject())
          && version == targetKey.key().version();
    }

    /** True when the target DEK decrypts the ciphertext: nothing to do for this field. */
    private boolean isAtTarget(byte[] ciphertext) {
      if (!target.mayBeOfVersion(ciphertext, targetKey.key().version())) {
        return false;
      }
      try {
        Arrays.fill(target.decrypt(targetKey.key().cipher(), ciphertext), (byte) 0);
        return true;
      } catch (CryptoException e) {
        return false;
      }
    }
  }
}
