package io.csfle.connect.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a random 12-byte IV: {@code IV || ciphertext || tag(16)}, as Tink RAW writes it.
 *
 * <p>Encryption is Tink's {@link AesGcmJce}, which draws the IV. Decryption calls the same JCE
 * transformation Tink uses, but through a {@link Cipher} of this key's own (one per thread) instead
 * of Tink's single cipher per thread shared by every key: the JDK rebuilds the AES key schedule
 * whenever a cipher is initialised with another key than last time, so a thread that decrypts with
 * one DEK and encrypts with another (a re-encryption job, a decrypt-then-encrypt chain) paid a key
 * expansion per field. It also reads the IV and ciphertext in place, with no copy of a prefixed
 * frame.
 */
final class AesGcmFieldCipher implements FieldCipher {
  private static final byte[] EMPTY_AAD = new byte[0];
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** IV plus tag: the shortest valid ciphertext (an encrypted empty value). */
  static final int OVERHEAD = IV_BYTES + TAG_BITS / 8;

  private final DekAlgorithm algorithm;
  private final Aead aead;
  private final SecretKey key;
  private final ThreadLocal<Cipher> decryptors;

  AesGcmFieldCipher(DekAlgorithm algorithm, byte[] rawKey) {
    this.algorithm = algorithm;
    try {
      this.aead = new AesGcmJce(rawKey);
      this.key = new SecretKeySpec(rawKey, "AES");
      this.decryptors = ThreadLocal.withInitial(AesGcmFieldCipher::newCipher);
      // Fails here, not on the first record, if the JDK lacks the transformation.
      decryptors.get();
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new CryptoException("Cannot initialise " + algorithm, e);
    } finally {
      Arrays.fill(rawKey, (byte) 0);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available", e);
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
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    try {
      return aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(algorithm + " encryption failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
    try {
      return aead.decrypt(ciphertext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(
          algorithm + " decryption failed: wrong key or associated data, or altered");
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, int offset, int length) {
    if (length < OVERHEAD) {
      throw new CryptoException(
          algorithm + " ciphertext is too short (" + length + " bytes, minimum " + OVERHEAD + ")");
    }
    Cipher cipher = decryptors.get();
    try {
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, offset, IV_BYTES));
      return cipher.doFinal(ciphertext, offset + IV_BYTES, length - IV_BYTES);
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
