package io.csfle.connect.fieldcrypto;

import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;

/**
 * The DEK one record's fields are encrypted with: its subject's current DEK, resolved on the first
 * field that needs it, so that a record with no value to encrypt (or one the walker refuses before
 * reaching a field) never creates or fetches a DEK. One per record, used by one thread.
 */
final class RecordEncryptionKey {
  private final EncryptionKeys keys;
  private final String subject;
  private final CiphertextFormat format;
  private EncryptionKey key;

  RecordEncryptionKey(EncryptionKeys keys, String subject, CiphertextFormat format) {
    this.keys = keys;
    this.subject = subject;
    this.format = format;
  }

  String subject() {
    return subject;
  }

  /** The subject's DEK, fetched or created on the first call. */
  EncryptionKey key() {
    EncryptionKey resolved = key;
    if (resolved == null) {
      resolved = keys.forSubject(subject);
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
