package io.csfle.connect.kms;

import java.util.Map;

/** Builds KEKs of one {@code kmsType}. Registered explicitly in {@link KekProviders}. */
public interface KekProvider {

  /** The registry's {@code kmsType} this provider serves, e.g. {@code local-kms}. */
  String kmsType();

  /**
   * Builds a KEK for a key id.
   *
   * @param kmsKeyId the registry's {@code kmsKeyId}
   * @param properties the KEK's registry {@code kmsProps} overlaid with the client's KMS
   *     credentials (Confluent's property names, e.g. {@code secret}, {@code access.key.id})
   * @throws KmsException with {@link KmsException.Reason#MISCONFIGURED} when settings are missing
   */
  Kek create(String kmsKeyId, Map<String, String> properties);
}
