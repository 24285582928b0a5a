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

  /**
   * Encrypts {@code plaintext} bound to {@code associatedData}: for wrapping another key under this
   * one (an entity key under its parent subject DEK), never for field values. Only AES-GCM keys
   * wrap; others throw.
   */
  default byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    throw new CryptoException(algorithm() + " keys do not wrap other keys");
  }

  /**
   * Decrypts what {@link #encrypt(byte[], byte[])} produced with the same associated data.
   *
   * @throws CryptoException when the key, the bytes or the associated data differ
   */
  default byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    throw new CryptoException(algorithm() + " keys do not wrap other keys");
  }

  /** The algorithm of the key this cipher holds. */
  DekAlgorithm algorithm();

  /** Builds the cipher for a serialized Tink key proto of the given algorithm. */
  static FieldCipher of(DekAlgorithm algorithm, byte[] keyMaterial) {
    return algorithm.isDeterministic()
        ? new AesSivFieldCipher(KeyMaterial.rawKey(algorithm, keyMaterial))
        : new AesGcmFieldCipher(algorithm, KeyMaterial.rawKey(algorithm, keyMaterial));
  }
}
