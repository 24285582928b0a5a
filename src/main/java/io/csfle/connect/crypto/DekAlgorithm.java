package io.csfle.connect.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The DEK algorithms Confluent's CSFLE defines, with their key sizes and Tink key-proto field. */
public enum DekAlgorithm {
  AES128_GCM(16, KeyMaterial.AES_GCM_KEY_VALUE_TAG, false),
  AES256_GCM(32, KeyMaterial.AES_GCM_KEY_VALUE_TAG, false),
  AES256_SIV(64, KeyMaterial.AES_SIV_KEY_VALUE_TAG, true);

  private final int keySize;
  private final int keyProtoTag;
  private final boolean deterministic;

  DekAlgorithm(int keySize, int keyProtoTag, boolean deterministic) {
    this.keySize = keySize;
    this.keyProtoTag = keyProtoTag;
    this.deterministic = deterministic;
  }

  /** Raw AES key length in bytes. */
  public int keySize() {
    return keySize;
  }

  int keyProtoTag() {
    return keyProtoTag;
  }

  /** True when equal plaintexts give equal ciphertexts (AES-SIV). */
  public boolean isDeterministic() {
    return deterministic;
  }

  /** Parses a configured or registry-supplied name, case-insensitively. */
  public static DekAlgorithm parse(String name) {
    if (name == null || name.isBlank()) {
      return AES256_GCM;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CryptoException("Unknown DEK algorithm '" + name + "'; expected one of " + names());
    }
  }

  /** The accepted names, comma-separated, for error messages and config docs. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
