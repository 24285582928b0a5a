package io.csfle.connect.kms.local;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Hkdf;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * AES-128-GCM with key {@code HKDF-SHA256(ikm = UTF-8 secret, no salt, empty info, 16 bytes)};
 * output {@code IV(12) || ciphertext || tag(16)}, empty associated data.
 */
final class LocalKek implements Kek {
  private static final byte[] EMPTY = new byte[0];
  private static final int KEY_SIZE = 16;

  private final Aead aead;

  LocalKek(String secret) {
    byte[] key = null;
    try {
      key = deriveKey(secret);
      this.aead = new AesGcmJce(key);
    } catch (GeneralSecurityException e) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED, "Cannot derive the local-kms key from the secret", e);
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /** The derived KEK bytes; package-private so the known-answer test can check them. */
  static byte[] deriveKey(String secret) throws GeneralSecurityException {
    return Hkdf.computeHkdf(
        "HMACSHA256", secret.getBytes(StandardCharsets.UTF_8), EMPTY, EMPTY, KEY_SIZE);
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    try {
      return aead.encrypt(keyMaterial, EMPTY);
    } catch (GeneralSecurityException e) {
      throw new KmsException(KmsException.Reason.MISCONFIGURED, "local-kms wrap failed", e);
    }
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    try {
      return aead.decrypt(encryptedKeyMaterial, EMPTY);
    } catch (GeneralSecurityException e) {
      throw new KmsException(
          KmsException.Reason.INVALID_CIPHERTEXT,
          "local-kms cannot unwrap the DEK: the secret differs from the one that wrapped it,"
              + " or the encryptedKeyMaterial was altered");
    }
  }
}
