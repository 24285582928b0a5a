package io.csfle.connect.dek;

import java.util.Map;

/**
 * What a client knows about the KEK it uses: its registry name, the KMS key it should be bound to
 * when the client creates it, and the client-side KMS credentials (Confluent's property names, e.g.
 * {@code secret} for local-kms) that are overlaid on the KEK's registry {@code kmsProps}.
 *
 * @param kmsType {@code null} when the client relies on an existing registered KEK
 * @param kmsKeyId {@code null} when the client relies on an existing registered KEK
 */
public record KekSettings(
    String name, String kmsType, String kmsKeyId, Map<String, String> kmsCredentials) {

  public KekSettings {
    kmsCredentials = kmsCredentials == null ? Map.of() : Map.copyOf(kmsCredentials);
  }

  @Override
  public String toString() {
    // Credentials are secrets: never part of a string that could be logged.
    return "KekSettings[name=" + name + ", kmsType=" + kmsType + ", kmsKeyId=" + kmsKeyId + "]";
  }
}
