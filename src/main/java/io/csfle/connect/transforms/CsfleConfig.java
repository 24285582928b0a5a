package io.csfle.connect.transforms;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.rest.RegistryClientConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration both transforms share: which fields, which KEK and DEK, how to reach the DEK
 * registry. Key names reuse Confluent's where the meaning is the same. Every key is validated by
 * its {@link ConfigDef} entry so that Connect's {@code config/validate} reports a message per key.
 */
class CsfleConfig extends AbstractConfig {
  static final String FIELDS_CONFIG = "fields";
  static final String FIELDS_DOC =
      "Comma-separated paths of the fields to process. A path is dotted into nested structs and"
          + " maps (customer.email); name[*] steps into every element of an array or every value"
          + " of a map (items[*].sku, tags[*], attrs[*]); a path ending at a struct, map or array"
          + " processes it as one value. Write \\. for a dot that is part of a field name, \\["
          + " and \\] for brackets, and \\\\ for a backslash.";

  static final String MISSING_FIELD_CONFIG = "missing.field.behavior";
  static final String MISSING_FIELD_DEFAULT = "fail";
  static final String MISSING_FIELD_DOC =
      "What to do when a path names a field that the record's schema does not have: 'fail' (the"
          + " default, so that a typo never leaves a field in the clear) or 'skip'. A key missing"
          + " from a schemaless map is always left alone.";

  static final String TYPED_OUTPUT_CONFIG = "encrypted.value.type";
  static final String TYPED_OUTPUT_DEFAULT = "string";
  static final String TYPED_OUTPUT_DOC =
      "The type an encrypted field takes when it was not STRING or BYTES (numbers, booleans,"
          + " logical types, structs, maps, arrays): 'string' (default, base64 of the ciphertext)"
          + " or 'bytes'. STRING and BYTES fields always keep their type, as Confluent's do.";

  static final String KEK_NAME_CONFIG = "encrypt.kek.name";
  static final String KEK_NAME_DOC = "Name of the KEK in the DEK registry.";

  static final String KMS_TYPE_CONFIG = "encrypt.kms.type";
  static final String KMS_TYPE_DOC =
      "KMS type of the KEK, used to create it when it does not exist yet and checked against the"
          + " registered KEK otherwise. Leave empty to use an existing KEK as registered.";

  static final String KMS_KEY_ID_CONFIG = "encrypt.kms.key.id";
  static final String KMS_KEY_ID_DOC =
      "KMS key id of the KEK (ignored by local-kms but still recorded), used with "
          + KMS_TYPE_CONFIG
          + ".";

  static final String ALTERNATE_KEY_IDS_CONFIG = "encrypt.alternate.kms.key.ids";
  static final String ALTERNATE_KEY_IDS_DOC =
      "Comma-separated KMS key ids of the same KMS type, tried in order after the KEK's own key"
          + " when it fails, to wrap and to unwrap DEKs (e.g. a replica key in another region).";

  static final String ALGORITHM_CONFIG = "encrypt.dek.algorithm";
  static final String ALGORITHM_DEFAULT = DekAlgorithm.AES256_GCM.name();
  static final String ALGORITHM_DOC =
      "DEK algorithm: AES256_GCM (default), AES128_GCM, or AES256_SIV (deterministic: equal"
          + " values give equal ciphertexts, for keys and joins). Readers must use the same.";

  static final String EXPIRY_DAYS_CONFIG = "encrypt.dek.expiry.days";
  static final int EXPIRY_DAYS_DEFAULT = 0;
  static final String EXPIRY_DAYS_DOC =
      "0 (default): one DEK per subject, ciphertext without a version prefix. N > 0: rotation"
          + " mode, a new DEK version every N days, ciphertext prefixed with the DEK version."
          + " Readers must use the same mode (0 or > 0).";

  static final String SUBJECT_CONFIG = "dek.subject";
  static final String SUBJECT_DOC =
      "DEK subject template; ${topic} is replaced by the record's topic. Default ${topic}-value"
          + " for $Value and ${topic}-key for $Key, as Confluent names them.";

  static final String DEK_CACHE_MAX_SUBJECTS_CONFIG = "dek.cache.max.subjects";
  static final int DEK_CACHE_MAX_SUBJECTS_DEFAULT = EncryptionKeys.DEFAULT_MAX_SUBJECTS;
  static final String DEK_CACHE_MAX_SUBJECTS_DOC =
      "EncryptField only: how many DEK subjects' unwrapped DEKs a transform instance keeps (about"
          + " 2.6 KB each). When full, a subject not used recently is evicted and its next record"
          + " reads its DEK from the DEK store and the KMS again. Keep it above the number of"
          + " subjects a task writes (with a dek.subject per topic: its topics), or records of"
          + " evicted subjects each cost a store and a KMS call.";

  static final String DEK_CACHE_MAX_VERSIONS_CONFIG = "dek.cache.max.versions";
  static final int DEK_CACHE_MAX_VERSIONS_DEFAULT = DecryptionKeys.DEFAULT_MAX_CACHED;
  static final String DEK_CACHE_MAX_VERSIONS_DOC =
      "DecryptField only: how many DEK versions (all subjects together) a transform instance keeps"
          + " unwrapped (about 2.6 KB each). When full, a version not used recently is evicted and"
          + " its next record reads it from the DEK store and the KMS again. Keep it above the"
          + " number of subjects read times the DEK versions still in the data.";

  static final String KMS_SECRET_DOC =
      "Secret of the local-kms KEK. When empty, the worker's LOCAL_SECRET environment variable"
          + " is used.";

  private static final String GROUP_FIELDS = "Fields";
  private static final String GROUP_KEYS = "Keys";

  CsfleConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /** The definitions shared by both transforms. */
  static ConfigDef commonDefinition() {
    ConfigDef def = new ConfigDef();
    int order = 0;
    def.define(
        FIELDS_CONFIG,
        Type.LIST,
        ConfigDef.NO_DEFAULT_VALUE,
        new FieldPathsValidator(),
        Importance.HIGH,
        FIELDS_DOC,
        GROUP_FIELDS,
        ++order,
        Width.LONG,
        "Fields");
    def.define(
        MISSING_FIELD_CONFIG,
        Type.STRING,
        MISSING_FIELD_DEFAULT,
        ConfigDef.CaseInsensitiveValidString.in("fail", "skip"),
        Importance.MEDIUM,
        MISSING_FIELD_DOC,
        GROUP_FIELDS,
        ++order,
        Width.SHORT,
        "Missing field");
    order = 0;
    def.define(
        KEK_NAME_CONFIG,
        Type.STRING,
        ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        KEK_NAME_DOC,
        GROUP_KEYS,
        ++order,
        Width.MEDIUM,
        "KEK name");
    def.define(
        KMS_TYPE_CONFIG,
        Type.STRING,
        null,
        new KmsTypeValidator(),
        Importance.HIGH,
        KMS_TYPE_DOC,
        GROUP_KEYS,
        ++order,
        Width.SHORT,
        "KMS type");
    def.define(
        KMS_KEY_ID_CONFIG,
        Type.STRING,
        null,
        Importance.HIGH,
        KMS_KEY_ID_DOC,
        GROUP_KEYS,
        ++order,
        Width.LONG,
        "KMS key id");
    def.define(
        ALTERNATE_KEY_IDS_CONFIG,
        Type.LIST,
        "",
        Importance.LOW,
        ALTERNATE_KEY_IDS_DOC,
        GROUP_KEYS,
        ++order,
        Width.LONG,
        "Alternate KMS key ids");
    def.define(
        ALGORITHM_CONFIG,
        Type.STRING,
        ALGORITHM_DEFAULT,
        ConfigDef.CaseInsensitiveValidString.in(
            DekAlgorithm.AES256_GCM.name(),
            DekAlgorithm.AES128_GCM.name(),
            DekAlgorithm.AES256_SIV.name()),
        Importance.MEDIUM,
        ALGORITHM_DOC,
        GROUP_KEYS,
        ++order,
        Width.SHORT,
        "DEK algorithm");
    def.define(
        EXPIRY_DAYS_CONFIG,
        Type.INT,
        EXPIRY_DAYS_DEFAULT,
        ConfigDef.Range.atLeast(0),
        Importance.MEDIUM,
        EXPIRY_DAYS_DOC,
        GROUP_KEYS,
        ++order,
        Width.SHORT,
        "DEK expiry days");
    def.define(
        SUBJECT_CONFIG,
        Type.STRING,
        null,
        Importance.LOW,
        SUBJECT_DOC,
        GROUP_KEYS,
        ++order,
        Width.MEDIUM,
        "DEK subject");
    KmsCredentialsConfig.define(def);
    RegistryConnectionConfig.define(def);
    DekStoreConfig.define(def);
    return def;
  }

  List<FieldPath> fieldPaths() {
    return FieldPath.parseAll(getList(FIELDS_CONFIG));
  }

  MissingFieldPolicy missingFieldPolicy() {
    return "skip".equalsIgnoreCase(getString(MISSING_FIELD_CONFIG))
        ? MissingFieldPolicy.SKIP
        : MissingFieldPolicy.FAIL;
  }

  /** EncryptField only: typed values become BYTES rather than base64 STRING fields. */
  boolean typedValuesAsBytes() {
    return values().containsKey(TYPED_OUTPUT_CONFIG)
        && "bytes".equalsIgnoreCase(getString(TYPED_OUTPUT_CONFIG));
  }

  DekAlgorithm algorithm() {
    return DekAlgorithm.parse(getString(ALGORITHM_CONFIG));
  }

  int expiryDays() {
    return getInt(EXPIRY_DAYS_CONFIG);
  }

  /** The subject template, defaulted per side as Confluent names subjects. */
  SubjectTemplate subjectTemplate(boolean isKey) {
    String template = getString(SUBJECT_CONFIG);
    if (template == null || template.isBlank()) {
      template = isKey ? "${topic}-key" : "${topic}-value";
    }
    return new SubjectTemplate(template);
  }

  /** EncryptField only (its definition has the key). */
  int dekCacheMaxSubjects() {
    return getInt(DEK_CACHE_MAX_SUBJECTS_CONFIG);
  }

  /** DecryptField only (its definition has the key). */
  int dekCacheMaxVersions() {
    return getInt(DEK_CACHE_MAX_VERSIONS_CONFIG);
  }

  KekSettings kekSettings() {
    return new KekSettings(
        getString(KEK_NAME_CONFIG),
        blankToNull(getString(KMS_TYPE_CONFIG)),
        blankToNull(getString(KMS_KEY_ID_CONFIG)),
        getList(ALTERNATE_KEY_IDS_CONFIG),
        KmsCredentialsConfig.credentials(this));
  }

  RegistryClientConfig registryClientConfig() {
    return RegistryConnectionConfig.clientConfig(this);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Rejects field lists that are empty or do not parse, with the parser's message. */
  private static final class FieldPathsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> paths = (List<String>) value;
      if (paths == null || paths.isEmpty()) {
        throw new ConfigException(name, value, "at least one field path is required");
      }
      try {
        FieldPath.parseAll(paths);
      } catch (FieldPathException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "non-empty list of field paths";
    }
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
