package io.csfle.connect.crypto;

/**
 * Encrypts and decrypts one field's bytes with one DEK, with empty associated data and Tink RAW
 * output (no key prefix). Instances are thread-safe and hold the key; they are the only form in
 * which a plaintext DEK leaves the DEK layer.
 */
public interface FieldCipher {

  /** Encrypts plaintext bytes; never returns the input. */
  byte[] encrypt(byte[] plaintext);

  /**
   * Decrypts {@code length} bytes of {@code ciphertext} starting at {@code offset}.
   *
   * @throws CryptoException when the bytes were not produced by this key (tampered, truncated or
   *     encrypted under another key)
   */
  byte[] decrypt(byte[] ciphertext, int offset, int length);

  /** The algorithm of the key this cipher holds. */
  DekAlgorithm algorithm();

  /** Builds the cipher for a serialized Tink key proto of the given algorithm. */
  static FieldCipher of(DekAlgorithm algorithm, byte[] keyMaterial) {
    return algorithm.isDeterministic()
        ? new AesSivFieldCipher(KeyMaterial.rawKey(algorithm, keyMaterial))
        : new AesGcmFieldCipher(algorithm, KeyMaterial.rawKey(algorithm, keyMaterial));
  }
}
