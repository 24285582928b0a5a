package io.csfle.connect.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The plaintext DEK as Confluent stores it: a serialized Tink key proto ({@code AesGcmKey} or
 * {@code AesSivKey}), not raw AES bytes and not a keyset. We emit exactly {@code tag, length, key}
 * and accept an optional leading {@code version = 0} field when parsing.
 */
public final class KeyMaterial {
  /** Proto field 3 ({@code key_value}), wire type 2, of {@code AesGcmKey}. */
  static final int AES_GCM_KEY_VALUE_TAG = 0x1A;

  /** Proto field 2 ({@code key_value}), wire type 2, of {@code AesSivKey}. */
  static final int AES_SIV_KEY_VALUE_TAG = 0x12;

  private static final int VERSION_TAG = 0x08;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyMaterial() {}

  /** A fresh random key of the algorithm's size, serialized as its Tink key proto. */
  public static byte[] generate(DekAlgorithm algorithm) {
    byte[] raw = new byte[algorithm.keySize()];
    RANDOM.nextBytes(raw);
    try {
      return serialize(algorithm, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Serializes raw AES key bytes as the Tink key proto Confluent stores. */
  public static byte[] serialize(DekAlgorithm algorithm, byte[] rawKey) {
    if (rawKey.length != algorithm.keySize()) {
      throw new CryptoException(
          algorithm + " needs a " + algorithm.keySize() + "-byte key, got " + rawKey.length);
    }
    byte[] proto = new byte[2 + rawKey.length];
    proto[0] = (byte) algorithm.keyProtoTag();
    proto[1] = (byte) rawKey.length;
    System.arraycopy(rawKey, 0, proto, 2, rawKey.length);
    return proto;
  }

  /** Extracts the raw AES key from a serialized key proto, checking it fits the algorithm. */
  static byte[] rawKey(DekAlgorithm algorithm, byte[] proto) {
    if (proto == null) {
      throw new CryptoException("DEK key material is missing");
    }
    int pos = 0;
    if (proto.length > 2 && (proto[0] & 0xFF) == VERSION_TAG) {
      if (proto[1] != 0) {
        throw new CryptoException("Unsupported " + algorithm + " key proto version");
      }
      pos = 2;
    }
    int expected = pos + 2 + algorithm.keySize();
    if (proto.length != expected
        || (proto[pos] & 0xFF) != algorithm.keyProtoTag()
        || (proto[pos + 1] & 0xFF) != algorithm.keySize()) {
      throw new CryptoException("DEK key material is not a valid " + algorithm + " key proto");
    }
    return Arrays.copyOfRange(proto, pos + 2, expected);
  }
}
