package io.csfle.connect.kms;

/**
 * A key encryption key held by a KMS: wraps and unwraps DEK key material with empty associated
 * data. Implementations are thread-safe.
 */
public interface Kek {

  /** Encrypts DEK key material; the result is the registry's {@code encryptedKeyMaterial}. */
  byte[] wrap(byte[] keyMaterial);

  /** Decrypts {@code encryptedKeyMaterial} back into DEK key material. */
  byte[] unwrap(byte[] encryptedKeyMaterial);
}
