package io.csfle.connect.dek;

import java.util.List;
import java.util.Map;

/**
 * What a client knows about the KEK it uses: its registry name, the KMS key it should be bound to
 * when the client creates it, and the client-side KMS credentials (Confluent's property names, e.g.
 * {@code secret} for local-kms) that are overlaid on the KEK's registry {@code kmsProps}.
 *
 * @param kmsType {@code null} when the client relies on an existing registered KEK
 * @param kmsKeyId {@code null} when the client relies on an existing registered KEK
 * @param alternateKmsKeyIds KMS key ids tried in order after the KEK's own when it fails
 */
public record KekSettings(
    String name,
    String kmsType,
    String kmsKeyId,
    List<String> alternateKmsKeyIds,
    Map<String, String> kmsCredentials) {

  public KekSettings {
    alternateKmsKeyIds = alternateKmsKeyIds == null ? List.of() : List.copyOf(alternateKmsKeyIds);
    kmsCredentials = kmsCredentials == null ? Map.of() : Map.copyOf(kmsCredentials);
  }

  /** Settings without alternate KMS key ids. */
  public KekSettings(
      String name, String kmsType, String kmsKeyId, Map<String, String> kmsCredentials) {
    this(name, kmsType, kmsKeyId, List.of(), kmsCredentials);
  }

  @Override
  public String toString() {
    // Credentials are secrets: never part of a string that could be logged.
    return "KekSettings[name=" + name + ", kmsType=" + kmsType + ", kmsKeyId=" + kmsKeyId + "]";
  }
}
