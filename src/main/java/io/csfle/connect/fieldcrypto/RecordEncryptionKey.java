package io.csfle.connect.fieldcrypto;

import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.subject.SubjectTemplate;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * The DEK one record's fields are encrypted with: its subject's current DEK, resolved on the first
 * field that needs it, so that a record with no value to encrypt (or one the walker refuses before
 * reaching a field) never creates or fetches a DEK. The subject itself may be rendered from the
 * record, then at the same moment, so that such a record never fails for lack of the data the
 * subject template reads. One per record, used by one thread.
 */
final class RecordEncryptionKey {
  private final EncryptionKeys keys;
  private final EntityKeyChoice entities;
  private final SubjectTemplate template;
  private final ConnectRecord<?> record;
  private final CiphertextFormat format;
  private String subject;
  private EncryptionKey key;

  /** The key of a subject known already. */
  RecordEncryptionKey(EncryptionKeys keys, String subject, CiphertextFormat format) {
    this(keys, null, null, null, format);
    this.subject = subject;
  }

  /**
   * The key of the subject {@code template} renders from {@code record}, when first needed: an
   * entity key when {@code entities} is set and the template reads record data.
   */
  RecordEncryptionKey(
      EncryptionKeys keys,
      EntityKeyChoice entities,
      SubjectTemplate template,
      ConnectRecord<?> record,
      CiphertextFormat format) {
    this.keys = keys;
    this.entities = entities;
    this.template = template;
    this.record = record;
    this.format = format;
  }

  /** The DEK subject, rendered on the first call when it comes from a template. */
  String subject() {
    String resolved = subject;
    if (resolved == null) {
      resolved = template.subjectOf(record);
      subject = resolved;
    }
    return resolved;
  }

  /** The subject's DEK, fetched or created on the first call. */
  EncryptionKey key() {
    EncryptionKey resolved = key;
    if (resolved == null) {
      resolved =
          entities != null && template.readsRecordData()
              ? entities.keyOf(record, subject(), keys)
              : keys.forSubject(subject());
      key = resolved;
    }
    return resolved;
  }

  /** The ciphertext to store for {@code plaintext}: encrypted, and framed in rotation mode. */
  byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, FieldCipher.NO_ASSOCIATED_DATA);
  }

  /** As {@link #encrypt(byte[])}, bound to {@code associatedData} (headers bind their name). */
  byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    EncryptionKey dek = key();
    return format.frame(dek.version(), dek.cipher().encrypt(plaintext, associatedData));
  }
}
