package io.csfle.connect.store.rest;

import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.AesSiv;
import com.google.crypto.tink.subtle.Hkdf;
import io.csfle.connect.crypto.DekAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Confluent's formats done with Tink directly, none of the project's crypto or KMS code: checks
 * what the project and the test registry produce against CONFLUENT_COMPAT sections 1 to 3.
 */
public final class TinkReference {
  private static final byte[] EMPTY = new byte[0];

  private TinkReference() {}

  /** {@code local-kms} unwrap: AES-128-GCM, key HKDF-SHA256(UTF-8 secret, no salt, no info). */
  public static byte[] unwrapLocalKms(String secret, byte[] encryptedKeyMaterial)
      throws GeneralSecurityException {
    byte[] kek =
        Hkdf.computeHkdf("HMACSHA256", secret.getBytes(StandardCharsets.UTF_8), EMPTY, EMPTY, 16);
    return new AesGcmJce(kek).decrypt(encryptedKeyMaterial, EMPTY);
  }

  /**
   * The raw AES key of a Tink key proto, after checking the proto is exactly Confluent's bytes for
   * {@code algorithm}: {@code 0x1A 0x10|0x20} (AesGcmKey) or {@code 0x12 0x40} (AesSivKey).
   */
  public static byte[] rawKey(DekAlgorithm algorithm, byte[] keyProto) {
    int tag = algorithm == DekAlgorithm.AES256_SIV ? 0x12 : 0x1A;
    int size = algorithm.keySize();
    if (keyProto.length != size + 2 || keyProto[0] != tag || keyProto[1] != size) {
      throw new AssertionError(algorithm + " key proto has the wrong shape");
    }
    return Arrays.copyOfRange(keyProto, 2, keyProto.length);
  }

  /** Decrypts field ciphertext without a version prefix, empty associated data. */
  public static byte[] decrypt(DekAlgorithm algorithm, byte[] keyProto, byte[] ciphertext)
      throws GeneralSecurityException {
    byte[] key = rawKey(algorithm, keyProto);
    return algorithm == DekAlgorithm.AES256_SIV
        ? new AesSiv(key).decryptDeterministically(ciphertext, EMPTY)
        : new AesGcmJce(key).decrypt(ciphertext, EMPTY);
  }
}
