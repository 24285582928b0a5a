package io.csfle.connect.reencrypt;

import static io.csfle.connect.config.KeySpec.key;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_ALGORITHM_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_EXPIRY_DAYS_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_KMS_PREFIX;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_PLAINTEXT_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG;

import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.config.KeySpec;
import io.csfle.connect.config.KmsCredentialKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The source side of the job: how the source fields were encrypted, as overrides under {@code
 * source.} of the target's shared keys ({@code source.encrypt.kek.name} of {@code
 * encrypt.kek.name}, ..., {@code source.kms.*} of {@code kms.*}), and the source settings they
 * make.
 */
final class SourceSideKeys {
  private static final List<KeySpec> KEYS =
      List.of(
          key(
              SOURCE_PLAINTEXT_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.HIGH,
              "true: the source fields are not encrypted (yet); the job encrypts them with the"
                  + " target KEK, as EncryptField would. false (default): they are decrypted with"
                  + " the source KEK and re-encrypted."),
          key(
              SOURCE_KEK_NAME_CONFIG,
              Type.STRING,
              "",
              Importance.HIGH,
              "Name of the KEK the source fields were encrypted under (read as registered; its KMS"
                  + " credentials come from source.kms.* if any is set, else kms.*). Empty: the"
                  + " target KEK (a DEK rotation or algorithm change under the same KEK)."),
          key(
              SOURCE_ALGORITHM_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "DEK algorithm of the source fields. Empty: the same as encrypt.dek.algorithm."),
          key(
                  SOURCE_EXPIRY_DAYS_CONFIG,
                  Type.INT,
                  null,
                  Importance.MEDIUM,
                  "Rotation mode of the source fields: 0 (ciphertext without version prefix, DEK"
                      + " version 1) or > 0 (version-prefixed, any version). Empty: the same as"
                      + " encrypt.dek.expiry.days.")
              .validatedBy(
                  ConfigValidators.refusing(
                      value -> value != null && (Integer) value < 0,
                      "must be at least 0",
                      "empty or at least 0")),
          key(
              SOURCE_SUBJECT_CONFIG,
              Type.STRING,
              "",
              Importance.LOW,
              "DEK subject template of the source fields, written as dek.subject; ${topic} is the"
                  + " source topic. It may read record data (a topic written under entity keys),"
                  + " but no field the job decrypts. Empty: the same as dek.subject (default"
                  + " ${topic}-value), so set it (e.g. ${topic}-value) when dek.subject moves"
                  + " the data to entity keys."));

  private SourceSideKeys() {}

  static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(def, null, KEYS);
  }

  /**
   * The source side: the target's settings with the {@code source.} overrides applied. The KEK is
   * used as registered (no KMS type or key id to create it with).
   */
  static FieldCryptoSettings settings(AbstractConfig config) {
    Map<String, Object> props = new HashMap<>(config.originals());
    props.remove(KekKeys.KMS_TYPE_CONFIG);
    props.remove(KekKeys.KMS_KEY_ID_CONFIG);
    overrideIfSet(props, SOURCE_KEK_NAME_CONFIG, KekKeys.KEK_NAME_CONFIG);
    overrideIfSet(props, SOURCE_ALGORITHM_CONFIG, KekKeys.ALGORITHM_CONFIG);
    overrideIfSet(props, SOURCE_EXPIRY_DAYS_CONFIG, KekKeys.EXPIRY_DAYS_CONFIG);
    overrideIfSet(props, SOURCE_SUBJECT_CONFIG, KekKeys.SUBJECT_CONFIG);
    Map<String, Object> sourceKms = config.originalsWithPrefix(SOURCE_KMS_PREFIX);
    if (!sourceKms.isEmpty()) {
      props.keySet().removeIf(k -> k.startsWith(KmsCredentialKeys.PREFIX));
      sourceKms.forEach((k, v) -> props.put(KmsCredentialKeys.PREFIX + k, v));
    }
    return FieldCryptoSettings.parse(props);
  }

  private static void overrideIfSet(Map<String, Object> props, String from, String to) {
    Object value = props.get(from);
    if (value != null && !value.toString().isBlank()) {
      props.put(to, value);
    }
  }
}
