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

  EncryptionKey(int version, FieldCipher cipher, long expiresAtMillis) {
    this.version = version;
    this.cipher = cipher;
    this.expiresAtMillis = expiresAtMillis;
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
