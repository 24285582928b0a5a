package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.dek.EncryptionKeys;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The keys only an encrypting component reads: the type typed fields take and the size of its DEK
 * cache. {@code EncryptField} defines them after the shared groups, without a group; the
 * re-encryption job reads the same keys when it encrypts a plaintext topic.
 */
public final class EncryptOutputKeys {
  public static final String TYPED_OUTPUT_CONFIG = "encrypted.value.type";
  public static final String DEK_CACHE_MAX_SUBJECTS_CONFIG = "dek.cache.max.subjects";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  TYPED_OUTPUT_CONFIG,
                  Type.STRING,
                  "string",
                  Importance.LOW,
                  "The type an encrypted field takes when it was not STRING or BYTES (numbers,"
                      + " booleans, logical types, structs, maps, arrays): 'string' (default,"
                      + " base64 of the ciphertext) or 'bytes'. STRING and BYTES fields always keep"
                      + " their type, as Confluent's do.")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in("string", "bytes")),
          key(
                  DEK_CACHE_MAX_SUBJECTS_CONFIG,
                  Type.INT,
                  EncryptionKeys.DEFAULT_MAX_SUBJECTS,
                  Importance.LOW,
                  "EncryptField only: how many DEK subjects' unwrapped DEKs a transform instance"
                      + " keeps (about 2.6 KB each). When full, a subject not used recently is"
                      + " evicted and its next record reads its DEK from the DEK store and the KMS"
                      + " again. Keep it above the number of subjects a task writes (with a"
                      + " dek.subject per topic: its topics), or records of evicted subjects each"
                      + " cost a store and a KMS call.")
              .validatedBy(ConfigDef.Range.atLeast(1)));

  private EncryptOutputKeys() {}

  /** Appends the keys, without a group, to {@code def}. */
  public static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(def, null, KEYS);
  }

  /** True when typed fields become BYTES rather than base64 STRING fields. */
  public static boolean typedValuesAsBytes(AbstractConfig config) {
    return config.values().containsKey(TYPED_OUTPUT_CONFIG)
        && "bytes".equalsIgnoreCase(config.getString(TYPED_OUTPUT_CONFIG));
  }

  public static int dekCacheMaxSubjects(AbstractConfig config) {
    return config.getInt(DEK_CACHE_MAX_SUBJECTS_CONFIG);
  }

  /**
   * These keys of {@code props}, other keys ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a value is invalid
   */
  public static AbstractConfig parse(Map<String, ?> props) {
    return new AbstractConfig(appendTo(new ConfigDef()), props, false);
  }
}
