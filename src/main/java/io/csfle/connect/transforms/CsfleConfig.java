package io.csfle.connect.transforms;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.config.DecryptFailureKeys;
import io.csfle.connect.config.EncryptOutputKeys;
import io.csfle.connect.config.EntityKeyKeys;
import io.csfle.connect.config.FieldCryptoConfig;
import io.csfle.connect.config.KeySpec;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.fieldcrypto.OnForgotten;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The transforms' configuration: the shared key groups of {@link FieldCryptoConfig} and the keys
 * only one transform reads, defined after them without a group.
 */
final class CsfleConfig extends FieldCryptoConfig {
  static final String TYPED_OUTPUT_CONFIG = EncryptOutputKeys.TYPED_OUTPUT_CONFIG;
  static final String DEK_CACHE_MAX_SUBJECTS_CONFIG =
      EncryptOutputKeys.DEK_CACHE_MAX_SUBJECTS_CONFIG;
  static final String ON_FAILURE_CONFIG = DecryptFailureKeys.ON_FAILURE_CONFIG;
  static final String DEK_CACHE_MAX_VERSIONS_CONFIG = "dek.cache.max.versions";
  static final String DEK_CACHE_TTL_CONFIG = "dek.cache.ttl.ms";
  static final String ON_FORGOTTEN_CONFIG = "decrypt.on.forgotten";

  private static final KeySpec DEK_CACHE_TTL_KEY =
      key(
              DEK_CACHE_TTL_CONFIG,
              Type.LONG,
              DecryptionKeys.DEFAULT_TTL_MILLIS,
              Importance.LOW,
              "How long (milliseconds) a transform uses a cached DEK before it asks the DEK store"
                  + " again whether the DEK still exists (entity keys included): one store read per"
                  + " subject (per DEK"
                  + " version when decrypting) per period, and no KMS call while the DEK is"
                  + " unchanged. It bounds how long running tasks go on using a DEK that was"
                  + " destroyed (csfle-dek-admin forget): after it, DecryptField treats the"
                  + " entity as forgotten and EncryptField stops encrypting under the destroyed"
                  + " key. A store outage at that moment fails the record as a retriable error.")
          .validatedBy(ConfigDef.Range.atLeast(1));

  private static final List<KeySpec> DECRYPT_FIELD_KEYS =
      List.of(
          DecryptFailureKeys.spec(
              "What to do with a field that cannot be decrypted (not a ciphertext, altered, or"
                  + " its DEK is gone): 'fail' (default) fails the record with an error naming"
                  + " topic, partition, offset and field; 'passthrough' keeps the"
                  + " ciphertext and"
                  + " logs a warning (when a field of another type than STRING or BYTES fails,"
                  + " the whole record passes on unchanged, as its restored type cannot hold"
                  + " ciphertext). Registry or KMS outages and access errors always fail."),
          key(
                  DEK_CACHE_MAX_VERSIONS_CONFIG,
                  Type.INT,
                  DecryptionKeys.DEFAULT_MAX_CACHED,
                  Importance.LOW,
                  "DecryptField only: how many DEK versions (all subjects together) a transform"
                      + " instance keeps unwrapped (about 2.6 KB each). When full, a version not"
                      + " used recently is evicted and its next record reads it from the DEK store"
                      + " and the KMS again. Keep it above the number of subjects read times the"
                      + " DEK versions still in the data.")
              .validatedBy(ConfigDef.Range.atLeast(1)),
          key(
                  ON_FORGOTTEN_CONFIG,
                  Type.STRING,
                  null,
                  Importance.MEDIUM,
                  "What to do with a field whose entity was forgotten: its DEK is gone and its DEK"
                      + " subject has no version left in any algorithm, neither an ordinary DEK"
                      + " nor an entity key (csfle-dek-admin forget)."
                      + " 'fail' fails the record with an error naming topic, partition, offset,"
                      + " field and that the DEK was destroyed; 'passthrough' keeps the ciphertext"
                      + " (as decrypt.on.failure=passthrough does); 'null' sets the field to null,"
                      + " and makes the decrypted schema of every configured field optional so that"
                      + " the record stays valid. Unset: as decrypt.on.failure. Altered ciphertext,"
                      + " a missing version of a subject that still has others, and outages are"
                      + " never treated as forgotten.")
              .validatedBy(
                  ConfigDef.LambdaValidator.with(
                      (name, value) -> {
                        if (value != null
                            && !List.of("fail", "passthrough", "null")
                                .contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                          throw new org.apache.kafka.common.config.ConfigException(
                              name, value, "must be one of fail, passthrough, null");
                        }
                      },
                      () -> "[fail, passthrough, null] or unset")),
          DEK_CACHE_TTL_KEY);

  CsfleConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /**
   * {@code EncryptField}'s definition for the record's key ({@code keySide}) or value: the shared
   * groups and its own keys.
   */
  static ConfigDef encryptFieldDefinition(boolean keySide) {
    return EntityKeyKeys.appendTo(
        KeySpec.defineAll(
            EncryptOutputKeys.appendTo(FieldCryptoConfig.definition(keySide)),
            null,
            List.of(DEK_CACHE_TTL_KEY)));
  }

  /**
   * {@code DecryptField}'s definition for the record's key ({@code keySide}) or value: the shared
   * groups and its own keys.
   */
  static ConfigDef decryptFieldDefinition(boolean keySide) {
    return EntityKeyKeys.appendTo(
        KeySpec.defineAll(FieldCryptoConfig.definition(keySide), null, DECRYPT_FIELD_KEYS));
  }

  /** EncryptField only: typed values become BYTES rather than base64 STRING fields. */
  boolean typedValuesAsBytes() {
    return EncryptOutputKeys.typedValuesAsBytes(this);
  }

  /** EncryptField only (its definition has the key). */
  int dekCacheMaxSubjects() {
    return EncryptOutputKeys.dekCacheMaxSubjects(this);
  }

  /** DecryptField only (its definition has the key). */
  int dekCacheMaxVersions() {
    return getInt(DEK_CACHE_MAX_VERSIONS_CONFIG);
  }

  /**
   * True when subjects rendered from record data get entity keys: {@code dek.subject} reads record
   * data and {@code dek.entity.wrap=subject-dek}.
   */
  boolean usesEntityKeys(boolean isKey) {
    return subjectTemplate(isKey).readsRecordData() && EntityKeyKeys.wrapsUnderSubjectDek(this);
  }

  /**
   * True when a reader must look for entity keys: {@code dek.subject} reads record data. Readers
   * accept both wraps, whatever {@code dek.entity.wrap} says.
   */
  boolean readsEntityKeys(boolean isKey) {
    return subjectTemplate(isKey).readsRecordData();
  }

  /** {@code dek.entity.parent.subject}. */
  SubjectTemplate entityParentSubjects() {
    return EntityKeyKeys.parentSubjectTemplate(this);
  }

  /** {@code dek.entity.cache.max.entries}. */
  int entityCacheMaxEntries() {
    return EntityKeyKeys.cacheMaxEntries(this);
  }

  /** {@code dek.cache.ttl.ms}. */
  long dekCacheTtlMillis() {
    return getLong(DEK_CACHE_TTL_CONFIG);
  }

  /** DecryptField only: {@code decrypt.on.forgotten}; unset, as {@code decrypt.on.failure}. */
  OnForgotten onForgotten() {
    String value = getString(ON_FORGOTTEN_CONFIG);
    if (value == null) {
      return passThroughOnFailure() ? OnForgotten.PASSTHROUGH : OnForgotten.FAIL;
    }
    return OnForgotten.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  /** DecryptField only: {@code decrypt.on.failure=passthrough}. */
  boolean passThroughOnFailure() {
    return DecryptFailureKeys.passThrough(this);
  }
}
