package io.csfle.connect.kms;

/**
 * A key encryption key held by a KMS: wraps and unwraps DEK key material with empty associated
 * data. Implementations are thread-safe. Closing releases the KMS client (connections, channels,
 * threads); a closed KEK must not be used again.
 */
public interface Kek extends AutoCloseable {

  /** Encrypts DEK key material; the result is the registry's {@code encryptedKeyMaterial}. */
  byte[] wrap(byte[] keyMaterial);

  /** Decrypts {@code encryptedKeyMaterial} back into DEK key material. */
  byte[] unwrap(byte[] encryptedKeyMaterial);

  /** Releases the KMS client. Never throws; the default holds nothing to release. */
  @Override
  default void close() {}
}
