package io.csfle.connect.kms;

import io.csfle.connect.remote.SecretScrubber;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Checks a KMS answer before it is trusted, whatever the KMS: a hostile or broken endpoint could
 * answer wrap with the key material itself (which would then be stored in the clear as "wrapped"
 * bytes) or with nothing, and unwrap with nothing or with something far larger than any DEK.
 */
public final class KekAnswers {
  /** Largest unwrapped key material accepted; DEKs are tens of bytes. */
  public static final int MAX_KEY_MATERIAL = 4096;

  private KekAnswers() {}

  /**
   * Returns {@code wrapped} when it can be a wrapping of {@code keyMaterial}: longer than it (every
   * KMS wrap is an AEAD or RSA ciphertext) and not containing it.
   *
   * @param what e.g. {@code "aws-kms Encrypt with key arn:..."}, the start of the message
   */
  public static byte[] checkWrapped(String what, byte[] keyMaterial, byte[] wrapped) {
    if (wrapped == null || wrapped.length <= keyMaterial.length) {
      throw malformed(
          what,
          "returned "
              + (wrapped == null ? "no" : wrapped.length + " bytes of")
              + " ciphertext for "
              + keyMaterial.length
              + " bytes of key material; a ciphertext is always longer");
    }
    if (contains(wrapped, keyMaterial) || containsTextForm(wrapped, keyMaterial)) {
      throw malformed(what, "returned a ciphertext that contains the key material in the clear");
    }
    return wrapped;
  }

  /** Returns {@code keyMaterial} when it can be DEK key material: not empty, not oversized. */
  public static byte[] checkUnwrapped(String what, byte[] keyMaterial) {
    if (keyMaterial == null || keyMaterial.length == 0) {
      throw malformed(what, "returned no key material");
    }
    if (keyMaterial.length > MAX_KEY_MATERIAL) {
      throw malformed(
          what,
          "returned "
              + keyMaterial.length
              + " bytes of key material, more than any DEK ("
              + MAX_KEY_MATERIAL
              + ")");
    }
    return keyMaterial;
  }

  /**
   * A scrubber for the forms key material travels in to a KMS (base64 in JSON, hex), for error text
   * answering a wrap: a server may echo the request body.
   */
  public static SecretScrubber scrubberFor(byte[] keyMaterial) {
    return SecretScrubber.of(
        Base64.getEncoder().encodeToString(keyMaterial),
        Base64.getUrlEncoder().withoutPadding().encodeToString(keyMaterial),
        HexFormat.of().formatHex(keyMaterial),
        HexFormat.of().withUpperCase().formatHex(keyMaterial));
  }

  private static KmsException malformed(String what, String problem) {
    // Not retriable: the same endpoint gives the same answer. Not the key's fault either.
    return new KmsException(
        KmsException.Reason.MISCONFIGURED,
        what + " " + problem + "; the endpoint does not behave like the KMS, check it");
  }

  /** Base64 or hex of the key inside a text ciphertext (Vault's is {@code vault:v1:<base64>}). */
  private static boolean containsTextForm(byte[] wrapped, byte[] keyMaterial) {
    for (String form :
        new String[] {
          Base64.getEncoder().encodeToString(keyMaterial),
          Base64.getUrlEncoder().withoutPadding().encodeToString(keyMaterial),
          HexFormat.of().formatHex(keyMaterial),
          HexFormat.of().withUpperCase().formatHex(keyMaterial)
        }) {
      if (contains(wrapped, form.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
