package io.csfle.connect.crypto;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.subtle.AesSiv;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * RFC 5297 AES-SIV with a 64-byte key: {@code SIV(16) || ciphertext}. The S2V input is one
 * associated-data component followed by the plaintext, which is what Tink does; for fields that
 * component is empty, and so what Confluent writes.
 */
final class AesSivFieldCipher implements FieldCipher {
  static final int OVERHEAD = 16;

  private final DeterministicAead daead;

  AesSivFieldCipher(byte[] rawKey) {
    try {
      this.daead = new AesSiv(rawKey);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("Cannot initialise AES256_SIV", e);
    } finally {
      Arrays.fill(rawKey, (byte) 0);
    }
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    try {
      return daead.encryptDeterministically(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES256_SIV encryption failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, int offset, int length, byte[] associatedData) {
    if (length < OVERHEAD) {
      throw new CryptoException(
          "AES256_SIV ciphertext is too short (" + length + " bytes, minimum " + OVERHEAD + ")");
    }
    byte[] input =
        offset == 0 && length == ciphertext.length
            ? ciphertext
            : Arrays.copyOfRange(ciphertext, offset, offset + length);
    try {
      return daead.decryptDeterministically(input, associatedData);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          "AES256_SIV decryption failed: wrong key, or the ciphertext was altered");
    }
  }

  @Override
  public DekAlgorithm algorithm() {
    return DekAlgorithm.AES256_SIV;
  }
}
