package io.csfle.connect.dek;

import io.csfle.connect.crypto.FieldCipher;

/**
 * The DEK a writer encrypts with: its registry version (written into the ciphertext prefix in
 * rotation mode) and a cipher holding the unwrapped key.
 */
public final class EncryptionKey {
  private final int version;
  private final FieldCipher cipher;
  private final long expiresAtMillis;
  private final StoredDek stored;

  EncryptionKey(int version, FieldCipher cipher, long expiresAtMillis) {
    this(version, cipher, expiresAtMillis, null);
  }

  /**
   * @param stored the store's record this key came from, to tell it from a later DEK of the same
   *     version (after a forget); null when unknown
   */
  EncryptionKey(int version, FieldCipher cipher, long expiresAtMillis, StoredDek stored) {
    this.version = version;
    this.cipher = cipher;
    this.expiresAtMillis = expiresAtMillis;
    this.stored = stored;
  }

  /** The store's record this key came from, or null when unknown. */
  StoredDek stored() {
    return stored;
  }

  /** This key with another expiry, same version, cipher and store record. */
  EncryptionKey expiringAt(long expiresAtMillis) {
    return new EncryptionKey(version, cipher, expiresAtMillis, stored);
  }

  public int version() {
    return version;
  }

  public FieldCipher cipher() {
    return cipher;
  }

  /** True from the moment a writer would replace this DEK by a new version (rotation mode). */
  public boolean isExpiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }
}
