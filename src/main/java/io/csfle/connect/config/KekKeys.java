package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.subject.SubjectTemplate;
import io.csfle.connect.subject.SubjectTemplateException;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The "Keys" keys: which KEK wraps the DEKs (and its KMS key, to create it), which DEK algorithm,
 * rotation mode and subject. Names are Confluent's where the meaning is the same.
 */
public final class KekKeys {
  public static final String KEK_NAME_CONFIG = "encrypt.kek.name";
  public static final String KMS_TYPE_CONFIG = "encrypt.kms.type";
  public static final String KMS_KEY_ID_CONFIG = "encrypt.kms.key.id";
  public static final String ALTERNATE_KEY_IDS_CONFIG = KekProviders.ALTERNATE_KEY_IDS_PROPERTY;
  public static final String ALGORITHM_CONFIG = "encrypt.dek.algorithm";
  public static final String EXPIRY_DAYS_CONFIG = "encrypt.dek.expiry.days";
  public static final String SUBJECT_CONFIG = "dek.subject";
  public static final String SUBJECT_FALLBACK_CONFIG = "dek.subject.fallback";

  /** Confluent's subject of record values; {@code ${topic}} is replaced by the topic. */
  public static final String VALUE_SUBJECT_DEFAULT = "${topic}-value";

  /** Confluent's subject of record keys. */
  public static final String KEY_SUBJECT_DEFAULT = "${topic}-key";

  /** The subject of encrypted headers (Confluent encrypts none, so the name is ours). */
  public static final String HEADERS_SUBJECT_DEFAULT = "${topic}-headers";

  static final String GROUP = "Keys";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  KEK_NAME_CONFIG,
                  Type.STRING,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "Name of the KEK in the DEK registry.")
              .validatedBy(new ConfigDef.NonEmptyString())
              .shown(Width.MEDIUM, "KEK name"),
          key(
                  KMS_TYPE_CONFIG,
                  Type.STRING,
                  null,
                  Importance.HIGH,
                  "KMS type of the KEK, used to create it when it does not exist yet and checked"
                      + " against the registered KEK otherwise. Leave empty to use an existing KEK"
                      + " as registered.")
              .validatedBy(new KmsTypeValidator())
              .shown(Width.SHORT, "KMS type"),
          key(
                  KMS_KEY_ID_CONFIG,
                  Type.STRING,
                  null,
                  Importance.HIGH,
                  "KMS key id of the KEK (ignored by local-kms but still recorded), used with "
                      + KMS_TYPE_CONFIG
                      + ".")
              .shown(Width.LONG, "KMS key id"),
          key(
                  ALTERNATE_KEY_IDS_CONFIG,
                  Type.LIST,
                  "",
                  Importance.LOW,
                  "Comma-separated KMS key ids of the same KMS type, tried in order after the KEK's"
                      + " own key when it fails, to wrap and to unwrap DEKs (e.g. a replica key in"
                      + " another region).")
              .shown(Width.LONG, "Alternate KMS key ids"),
          key(
                  ALGORITHM_CONFIG,
                  Type.STRING,
                  DekAlgorithm.AES256_GCM.name(),
                  Importance.MEDIUM,
                  "DEK algorithm: AES256_GCM (default), AES128_GCM, or AES256_SIV (deterministic:"
                      + " equal values give equal ciphertexts, for keys and joins). Readers"
                      + " must use"
                      + " the same.")
              .validatedBy(
                  ConfigDef.CaseInsensitiveValidString.in(
                      DekAlgorithm.AES256_GCM.name(),
                      DekAlgorithm.AES128_GCM.name(),
                      DekAlgorithm.AES256_SIV.name()))
              .shown(Width.SHORT, "DEK algorithm"),
          key(
                  EXPIRY_DAYS_CONFIG,
                  Type.INT,
                  0,
                  Importance.MEDIUM,
                  "0 (default): one DEK per subject, ciphertext without a version prefix. N > 0:"
                      + " rotation mode, a new DEK version every N days, ciphertext prefixed with"
                      + " the DEK version. Readers must use the same mode (0 or > 0).")
              .validatedBy(ConfigDef.Range.atLeast(0))
              .shown(Width.SHORT, "DEK expiry days"),
          key(
                  SUBJECT_CONFIG,
                  Type.STRING,
                  null,
                  Importance.LOW,
                  "DEK subject template: text with placeholders ${source}, where a source is"
                      + " topic, key (a primitive record key), key.<path>, value.<path> (a"
                      + " primitive field, paths as in fields) or header.<name>; ${a|b} takes the"
                      + " first of a and b that is present and not empty. Values from the record"
                      + " are percent-encoded. Default ${topic}-value for $Value and ${topic}-key"
                      + " for $Key, as Confluent names them, and ${topic}-headers for"
                      + " EncryptHeaders and DecryptHeaders. A template may not read a field or"
                      + " header the transform encrypts or decrypts.")
              .validatedBy(new SubjectTemplateValidator(true))
              .shown(Width.MEDIUM, "DEK subject"),
          key(
                  SUBJECT_FALLBACK_CONFIG,
                  Type.STRING,
                  "",
                  Importance.LOW,
                  "DEK subject for records that lack the data a dek.subject placeholder reads: a"
                      + " template that may use only ${topic}. Empty (default): such a record"
                      + " fails.")
              .validatedBy(new SubjectTemplateValidator(false))
              .shown(Width.MEDIUM, "DEK subject fallback"));

  private KekKeys() {}

  /** Defines the keys in {@code def}, in the "Keys" group. */
  public static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(def, GROUP, KEYS);
  }

  /**
   * Defines the keys in {@code def}, in the "Keys" group, for a transform of the record's key
   * ({@code keySide}) or value: {@code config/validate} also reports a {@code dek.subject} that
   * reads a field the transform changes ({@link SubjectConflictRecommender}).
   */
  public static ConfigDef appendTo(ConfigDef def, boolean keySide) {
    SubjectConflictRecommender conflicts = new SubjectConflictRecommender(keySide);
    for (int i = 0; i < KEYS.size(); i++) {
      KeySpec key = KEYS.get(i);
      key.define(def, GROUP, i + 1, key.name().equals(SUBJECT_CONFIG) ? conflicts : null);
    }
    return def;
  }

  /** The KEK with its KMS key and the {@code kms.*} credentials. */
  public static KekSettings kekSettings(AbstractConfig config) {
    return new KekSettings(
        config.getString(KEK_NAME_CONFIG),
        blankToNull(config.getString(KMS_TYPE_CONFIG)),
        blankToNull(config.getString(KMS_KEY_ID_CONFIG)),
        config.getList(ALTERNATE_KEY_IDS_CONFIG),
        KmsCredentialKeys.credentials(config));
  }

  /** {@code encrypt.dek.algorithm}. */
  public static DekAlgorithm algorithm(AbstractConfig config) {
    return DekAlgorithm.parse(config.getString(ALGORITHM_CONFIG));
  }

  /** {@code encrypt.dek.expiry.days}. */
  public static int expiryDays(AbstractConfig config) {
    return config.getInt(EXPIRY_DAYS_CONFIG);
  }

  /** The {@code dek.subject} template, defaulted per side as Confluent names subjects. */
  public static String subjectTemplate(AbstractConfig config, boolean isKey) {
    return subjectTemplate(config, isKey ? KEY_SUBJECT_DEFAULT : VALUE_SUBJECT_DEFAULT);
  }

  /** {@code dek.subject}, or {@code unset} when it is empty. */
  public static String subjectTemplate(AbstractConfig config, String unset) {
    String template = config.getString(SUBJECT_CONFIG);
    return template == null || template.isBlank() ? unset : template;
  }

  /**
   * The parsed {@code dek.subject} template with its {@code dek.subject.fallback}, if set.
   *
   * @throws ConfigException when either does not parse or the fallback reads record data
   */
  public static SubjectTemplate parsedSubjectTemplate(AbstractConfig config, boolean isKey) {
    return parsedSubjectTemplate(config, isKey ? KEY_SUBJECT_DEFAULT : VALUE_SUBJECT_DEFAULT);
  }

  /**
   * The parsed {@code dek.subject} template ({@code unset} when it is empty) with its {@code
   * dek.subject.fallback}, if set.
   *
   * @throws ConfigException when either does not parse or the fallback reads record data
   */
  public static SubjectTemplate parsedSubjectTemplate(AbstractConfig config, String unset) {
    return parsedSubjectTemplate(config, SUBJECT_CONFIG, subjectTemplate(config, unset));
  }

  /**
   * {@code text}, the subject template of {@code key} (a key that stands in for {@code
   * dek.subject}, such as the re-encryption connector's {@code source.dek.subject}), parsed with
   * {@code dek.subject.fallback}, if set.
   *
   * @throws ConfigException when either does not parse or the fallback reads record data
   */
  public static SubjectTemplate parsedSubjectTemplate(
      AbstractConfig config, String key, String text) {
    SubjectTemplate template = SubjectTemplateValidator.parse(key, text);
    String fallback = config.getString(SUBJECT_FALLBACK_CONFIG);
    if (fallback == null || fallback.isBlank()) {
      return template;
    }
    try {
      return template.withFallback(
          SubjectTemplateValidator.parse(SUBJECT_FALLBACK_CONFIG, fallback));
    } catch (SubjectTemplateException e) {
      throw new ConfigException(SUBJECT_FALLBACK_CONFIG, fallback, e.getMessage());
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Accepts an empty value or a KMS type this plugin ships. */
  private static final class KmsTypeValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        return;
      }
      KekProviders providers = KekProviders.standard();
      if (!providers.supports(value.toString().trim())) {
        throw new ConfigException(
            name, value, "unsupported KMS type; supported: " + providers.supportedTypes());
      }
    }

    @Override
    public String toString() {
      return KekProviders.standard().supportedTypes();
    }
  }
}
