package io.csfle.connect.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** AES-GCM with a random 12-byte IV: {@code IV || ciphertext || tag(16)}, as Tink RAW writes it. */
final class AesGcmFieldCipher implements FieldCipher {
  private static final byte[] EMPTY_AAD = new byte[0];

  /** IV plus tag: the shortest valid ciphertext (an encrypted empty value). */
  static final int OVERHEAD = 12 + 16;

  private final DekAlgorithm algorithm;
  private final Aead aead;

  AesGcmFieldCipher(DekAlgorithm algorithm, byte[] rawKey) {
    this.algorithm = algorithm;
    try {
      this.aead = new AesGcmJce(rawKey);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("Cannot initialise " + algorithm, e);
    } finally {
      Arrays.fill(rawKey, (byte) 0);
    }
  }

  @Override
  public byte[] encrypt(byte[] plaintext) {
    try {
      return aead.encrypt(plaintext, EMPTY_AAD);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(algorithm + " encryption failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, int offset, int length) {
    if (length < OVERHEAD) {
      throw new CryptoException(
          algorithm + " ciphertext is too short (" + length + " bytes, minimum " + OVERHEAD + ")");
    }
    byte[] input =
        offset == 0 && length == ciphertext.length
            ? ciphertext
            : Arrays.copyOfRange(ciphertext, offset, offset + length);
    try {
      return aead.decrypt(input, EMPTY_AAD);
    } catch (GeneralSecurityException e) {
      // Deliberately no cause detail: a failed authentication says nothing more useful.
      throw new CryptoException(
          algorithm + " decryption failed: wrong key, or the ciphertext was altered");
    }
  }

  @Override
  public DekAlgorithm algorithm() {
    return algorithm;
  }
}
