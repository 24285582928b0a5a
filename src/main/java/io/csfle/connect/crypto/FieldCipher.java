package io.csfle.connect.crypto;

/**
 * Encrypts and decrypts one value's bytes with one DEK and Tink RAW output (no key prefix). Fields
 * use empty associated data, as Confluent does; encrypted headers (this project's extension) bind
 * the header name as associated data. Instances are thread-safe and hold the key; they are the only
 * form in which a plaintext DEK leaves the DEK layer.
 */
public interface FieldCipher {
  /** The associated data of every field ciphertext: none, as Confluent writes them. */
  byte[] NO_ASSOCIATED_DATA = new byte[0];

  /** Encrypts plaintext bytes with empty associated data; never returns the input. */
  default byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, NO_ASSOCIATED_DATA);
  }

  /**
   * Encrypts plaintext bytes bound to {@code associatedData}, which decryption must be given again;
   * never returns the input.
   */
  byte[] encrypt(byte[] plaintext, byte[] associatedData);

  /**
   * Decrypts {@code length} bytes of {@code ciphertext} starting at {@code offset}, written with
   * empty associated data.
   *
   * @throws CryptoException when the bytes were not produced by this key (tampered, truncated or
   *     encrypted under another key)
   */
  default byte[] decrypt(byte[] ciphertext, int offset, int length) {
    return decrypt(ciphertext, offset, length, NO_ASSOCIATED_DATA);
  }

  /**
   * Decrypts as {@link #decrypt(byte[], int, int)}, for a ciphertext bound to {@code
   * associatedData}.
   *
   * @throws CryptoException also when {@code associatedData} is not what it was written with
   */
  byte[] decrypt(byte[] ciphertext, int offset, int length, byte[] associatedData);

  /**
   * Decrypts a whole {@code ciphertext} bound to {@code associatedData}, e.g. an entity key wrapped
   * under its parent subject DEK.
   *
   * @throws CryptoException when the key, the bytes or the associated data differ
   */
  default byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    return decrypt(ciphertext, 0, ciphertext.length, associatedData);
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
