package io.csfle.connect.config;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import java.util.Map;

/**
 * The parsed values of {@link FieldCryptoConfig}'s keys, for components of this plugin other than
 * the transforms (the re-encryption connector) that take the same keys: key names, validators, docs
 * and KMS credential handling exist once, in this package's key groups.
 *
 * @param subjectTemplate the {@code dek.subject} template of record values ({@code ${topic}} is
 *     replaced by the topic; a template that reads record data renders a subject per record, not
 *     per topic, see {@link #subjectReadsRecordData()})
 * @param registry the DEK registry client's settings; null with {@code dek.store=kafka}
 * @param kafkaStore the embedded DEK store's settings; null with {@code dek.store=registry}
 */
public record FieldCryptoSettings(
    List<FieldPath> fields,
    MissingFieldPolicy missingFieldPolicy,
    DekAlgorithm algorithm,
    int expiryDays,
    String subjectTemplate,
    KekSettings kek,
    RegistryClientConfig registry,
    KafkaDekStoreConfig kafkaStore) {

  /**
   * Parses {@code props} against {@link FieldCryptoConfig#definition()}; keys it does not define
   * are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a value is invalid
   */
  public static FieldCryptoSettings parse(Map<String, ?> props) {
    FieldCryptoConfig config = new FieldCryptoConfig(FieldCryptoConfig.definition(), props);
    return new FieldCryptoSettings(
        config.fieldPaths(),
        config.missingFieldPolicy(),
        config.algorithm(),
        config.expiryDays(),
        KekKeys.subjectTemplate(config, false),
        config.kekSettings(),
        DekStores.registryOf(config),
        DekStores.kafkaStoreOf(config));
  }

  /**
   * Opens the DEK store these settings name, as the transforms do: the REST client, or the embedded
   * store on the key topic (sharing this JVM's reader of that topic). Close it after use.
   */
  public DekStore openDekStore() {
    return DekStores.open(kafkaStore, registry);
  }

  /** The key to name when the DEK store cannot be used. */
  public String dekStoreConfigKey() {
    return kafkaStore != null ? DekStoreKeys.BOOTSTRAP_CONFIG : RegistryKeys.REGISTRY_URL_CONFIG;
  }

  /** True when ciphertexts carry the DEK version prefix. */
  public boolean rotating() {
    return expiryDays > 0;
  }

  /**
   * The DEK subject of record values of {@code topic}.
   *
   * @throws IllegalStateException when the template reads record data ({@link
   *     #subjectReadsRecordData()}): then a subject belongs to a record, not a topic
   */
  public String subjectFor(String topic) {
    if (subjectReadsRecordData()) {
      throw new IllegalStateException(
          "DEK subject template '" + subjectTemplate + "' reads record data");
    }
    return subjectTemplate.replace("${topic}", topic);
  }

  /** True when {@code dek.subject} reads more of a record than its topic. */
  public boolean subjectReadsRecordData() {
    return SubjectTemplate.parse(subjectTemplate).readsRecordData();
  }
}
