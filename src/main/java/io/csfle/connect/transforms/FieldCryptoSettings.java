package io.csfle.connect.transforms;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.rest.RegistryClientConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The transforms' field, key and registry settings, for other components of this plugin (the
 * re-encryption connector) that take the same keys: the definitions and the parsed values, so that
 * key names, validators, docs and KMS credential handling exist once.
 *
 * @param subjectTemplate the {@code dek.subject} template of record values ({@code ${topic}} is
 *     replaced by the topic)
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

  public static final String FIELDS_CONFIG = CsfleConfig.FIELDS_CONFIG;
  public static final String KEK_NAME_CONFIG = CsfleConfig.KEK_NAME_CONFIG;
  public static final String KMS_TYPE_CONFIG = CsfleConfig.KMS_TYPE_CONFIG;
  public static final String KMS_KEY_ID_CONFIG = CsfleConfig.KMS_KEY_ID_CONFIG;
  public static final String ALTERNATE_KEY_IDS_CONFIG = CsfleConfig.ALTERNATE_KEY_IDS_CONFIG;
  public static final String ALGORITHM_CONFIG = CsfleConfig.ALGORITHM_CONFIG;
  public static final String EXPIRY_DAYS_CONFIG = CsfleConfig.EXPIRY_DAYS_CONFIG;
  public static final String SUBJECT_CONFIG = CsfleConfig.SUBJECT_CONFIG;
  public static final String REGISTRY_URL_CONFIG = RegistryConnectionConfig.REGISTRY_URL_CONFIG;
  public static final String KMS_PREFIX = KmsCredentialsConfig.PREFIX;

  /** A new copy of the definitions {@code EncryptField} and {@code DecryptField} share. */
  public static ConfigDef definition() {
    return CsfleConfig.commonDefinition();
  }

  /**
   * Parses {@code props} against {@link #definition()}; keys it does not define are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a value is invalid
   */
  public static FieldCryptoSettings parse(Map<String, ?> props) {
    CsfleConfig config = new CsfleConfig(CsfleConfig.commonDefinition(), props);
    String subject = config.getString(CsfleConfig.SUBJECT_CONFIG);
    return new FieldCryptoSettings(
        config.fieldPaths(),
        config.missingFieldPolicy(),
        config.algorithm(),
        config.expiryDays(),
        subject == null || subject.isBlank() ? "${topic}-value" : subject,
        config.kekSettings(),
        DekStores.registryOf(config),
        DekStores.kafkaStoreOf(config));
  }

  /**
   * {@code EncryptField}'s typed-output setting in {@code props}: true when typed fields become
   * BYTES, as {@code EncryptField} configured with {@code props} would write them.
   *
   * @throws org.apache.kafka.common.config.ConfigException when {@code props} would not configure
   *     an {@code EncryptField}
   */
  public static boolean typedValuesAsBytes(Map<String, ?> props) {
    return new CsfleConfig(EncryptField.CONFIG_DEF, props).typedValuesAsBytes();
  }

  /** {@code EncryptField}'s {@code dek.cache.max.subjects} in {@code props}. */
  public static int dekCacheMaxSubjects(Map<String, ?> props) {
    return new CsfleConfig(EncryptField.CONFIG_DEF, props).dekCacheMaxSubjects();
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
    return kafkaStore != null ? DekStoreConfig.BOOTSTRAP_CONFIG : REGISTRY_URL_CONFIG;
  }

  /** True when ciphertexts carry the DEK version prefix. */
  public boolean rotating() {
    return expiryDays > 0;
  }

  /** The DEK subject of record values of {@code topic}. */
  public String subjectFor(String topic) {
    return subjectTemplate.replace("${topic}", topic);
  }
}
