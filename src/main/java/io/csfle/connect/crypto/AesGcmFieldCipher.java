package io.csfle.connect.crypto;

import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a random 12-byte IV: {@code IV || ciphertext || tag(16)}, as Tink RAW writes it
 * (Tink's {@link AesGcmJce} with this key decrypts what this class writes and the other way round;
 * tested).
 *
 * <p>Both directions call the JCE transformation Tink uses, but through a {@link Cipher} of this
 * key's own (one per thread) instead of Tink's single cipher per thread shared by every key: the
 * JDK rebuilds the AES key schedule whenever a cipher is initialised with another key than last
 * time, so a thread that decrypts with one DEK and encrypts with another (a re-encryption job, a
 * decrypt-then-encrypt chain) paid a key expansion per field. Encryption draws the IV from a
 * per-thread {@link SecureRandom}, as Tink does, and writes IV, ciphertext and tag into one array;
 * it skips what Tink does on every call besides (asking the JVM's system properties whether it runs
 * on Android), a sixth of the raw cipher's time on 3 short strings. Decryption reads the IV and
 * ciphertext in place, with no copy of a prefixed frame.
 */
final class AesGcmFieldCipher implements FieldCipher {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int IV_BYTES = IvSource.IV_BYTES;
  private static final int TAG_BITS = 128;
  private static final int TAG_BYTES = TAG_BITS / 8;

  /** IV plus tag: the shortest valid ciphertext (an encrypted empty value). */
  static final int OVERHEAD = IV_BYTES + TAG_BYTES;

  private final DekAlgorithm algorithm;
  private final SecretKey key;
  private final ThreadLocal<Cipher> ciphers;

  AesGcmFieldCipher(DekAlgorithm algorithm, byte[] rawKey) {
    this.algorithm = algorithm;
    try {
      // Tink's checks of the key (its length); the cipher itself is not used.
      new AesGcmJce(rawKey);
      this.key = new SecretKeySpec(rawKey, "AES");
      this.ciphers = ThreadLocal.withInitial(AesGcmFieldCipher::newCipher);
      // Fails here, not on the first record, if the JDK lacks the transformation.
      ciphers.get();
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
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    if (plaintext.length > Integer.MAX_VALUE - OVERHEAD) {
      throw new CryptoException(
          algorithm + " plaintext is too long: " + plaintext.length + " bytes");
    }
    byte[] ciphertext = new byte[OVERHEAD + plaintext.length];
    IvSource.ofThisThread().writeNext(ciphertext, 0);
    Cipher cipher = ciphers.get();
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 0, IV_BYTES));
      if (associatedData.length > 0) {
        cipher.updateAAD(associatedData);
      }
      int written = cipher.doFinal(plaintext, 0, plaintext.length, ciphertext, IV_BYTES);
      if (written != plaintext.length + TAG_BYTES) {
        throw new CryptoException(algorithm + " encryption wrote " + written + " bytes");
      }
      return ciphertext;
    } catch (GeneralSecurityException e) {
      throw new CryptoException(algorithm + " encryption failed", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, int offset, int length, byte[] associatedData) {
    if (length < OVERHEAD) {
      throw new CryptoException(
          algorithm + " ciphertext is too short (" + length + " bytes, minimum " + OVERHEAD + ")");
    }
    Cipher cipher = ciphers.get();
    try {
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, offset, IV_BYTES));
      if (associatedData.length > 0) {
        cipher.updateAAD(associatedData);
      }
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
