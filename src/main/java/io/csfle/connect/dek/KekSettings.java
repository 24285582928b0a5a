package io.csfle.connect.dek;

import io.csfle.connect.kms.KekProviders;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client knows about the KEK it uses: its registry name, the KMS key it should be bound to
 * when the client creates it, and the client-side KMS credentials and settings (Confluent's
 * property names, e.g. {@code secret} for local-kms).
 *
 * <p>A registered KEK may carry provider settings and alternate key ids in its {@code kmsProps}, as
 * Confluent's clients register them; the client's own settings take precedence ({@link
 * #kmsPropertiesFor}, {@link #alternateKmsKeyIdsFor}).
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

  /**
   * The properties a registered KEK's KMS client is built with: the settings of its registry {@code
   * kmsProps} a client may take from there ({@link KekProviders#REGISTERED_SETTINGS}), overlaid
   * with this client's settings, which win where both set the same property. Other registered
   * properties (endpoints, credential files, secrets) are ignored with a warning that names them.
   */
  public Map<String, String> kmsPropertiesFor(Map<String, String> registeredKmsProps) {
    Map<String, String> properties = new HashMap<>();
    TreeSet<String> ignored = new TreeSet<>();
    registeredKmsProps.forEach(
        (property, value) -> {
          if (KekProviders.REGISTERED_SETTINGS.contains(property)) {
            properties.put(property, value);
          } else if (!kmsCredentials.containsKey(property)) {
            ignored.add(property);
          }
        });
    if (!ignored.isEmpty()) {
      Log.LOG.warn(
          "KEK '{}': ignoring kmsProps {} registered in the DEK store; endpoints, credential files"
              + " and secrets are taken from the connector configuration only",
          name,
          ignored);
    }
    properties.putAll(kmsCredentials);
    return properties;
  }

  /**
   * The alternate key ids of a registered KEK: this client's when it lists any, else those
   * registered in the KEK's {@code kmsProps} under {@value KekProviders#ALTERNATE_KEY_IDS_PROPERTY}
   * (comma-separated), as Confluent's clients read them.
   */
  public List<String> alternateKmsKeyIdsFor(Map<String, String> registeredKmsProps) {
    if (!alternateKmsKeyIds.isEmpty()) {
      return alternateKmsKeyIds;
    }
    String registered = registeredKmsProps.get(KekProviders.ALTERNATE_KEY_IDS_PROPERTY);
    if (registered == null) {
      return List.of();
    }
    return Arrays.stream(registered.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  @Override
  public String toString() {
    // Credentials are secrets: never part of a string that could be logged.
    return "KekSettings[name=" + name + ", kmsType=" + kmsType + ", kmsKeyId=" + kmsKeyId + "]";
  }

  /** The logger, outside the record's components. */
  private static final class Log {
    private static final Logger LOG = LoggerFactory.getLogger(KekSettings.class);
  }
}
