package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The keys of per-entity keys, read by both transforms and the re-encryption connector when {@code
 * dek.subject} reads record data: how an entity's key is wrapped, under which parent subject DEK,
 * and how many are cached.
 */
public final class EntityKeyKeys {
  public static final String WRAP_CONFIG = "dek.entity.wrap";
  public static final String PARENT_SUBJECT_CONFIG = "dek.entity.parent.subject";
  public static final String CACHE_MAX_ENTRIES_CONFIG = "dek.entity.cache.max.entries";

  /** Entity keys wrapped locally under a parent subject DEK: no KMS call per entity. */
  public static final String WRAP_SUBJECT_DEK = "subject-dek";

  /** Each entity subject gets an ordinary DEK wrapped by the KMS: one KMS call per entity. */
  public static final String WRAP_KMS = "kms";

  public static final String PARENT_SUBJECT_DEFAULT = "${topic}-entities";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  WRAP_CONFIG,
                  Type.STRING,
                  WRAP_SUBJECT_DEK,
                  Importance.MEDIUM,
                  "How the key of a DEK subject rendered from record data (an entity subject) is"
                      + " wrapped: 'subject-dek' (default) wraps a random entity key locally under"
                      + " a parent subject DEK (dek.entity.parent.subject), so a new entity costs a"
                      + " store write and no KMS call; 'kms' gives each entity subject an ordinary"
                      + " DEK wrapped by the KMS (one KMS call per new entity). Readers accept"
                      + " both whatever this says; subjects that already have an ordinary DEK keep"
                      + " it. Ignored when dek.subject reads only the topic.")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in(WRAP_SUBJECT_DEK, WRAP_KMS)),
          key(
                  PARENT_SUBJECT_CONFIG,
                  Type.STRING,
                  PARENT_SUBJECT_DEFAULT,
                  Importance.LOW,
                  "A writer (EncryptField, the re-encryption connector) with"
                      + " dek.entity.wrap=subject-dek: the subject of the parent DEK"
                      + " that wraps new entity keys, a template that may use only ${topic}."
                      + " Default ${topic}-entities: one KMS-wrapped parent DEK per topic. Readers"
                      + " find the parent in the stored entity key and do not read this key.")
              .validatedBy(new SubjectTemplateValidator(false)),
          key(
                  CACHE_MAX_ENTRIES_CONFIG,
                  Type.INT,
                  EntityKeys.DEFAULT_MAX_CACHED,
                  Importance.LOW,
                  "How many unwrapped entity keys (entity subjects, times versions when"
                      + " decrypting) a transform instance (or re-encryption task) keeps, about"
                      + " 1.5 KB each. When full, one not used recently is evicted and its next"
                      + " record reads it from the DEK store again (a store read and a local"
                      + " unwrap, no KMS call).")
              .validatedBy(ConfigDef.Range.atLeast(1)));

  private EntityKeyKeys() {}

  /** Appends the keys, without a group, to {@code def}. */
  public static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(def, null, KEYS);
  }

  /** True for {@code dek.entity.wrap=subject-dek}. */
  public static boolean wrapsUnderSubjectDek(AbstractConfig config) {
    return WRAP_SUBJECT_DEK.equalsIgnoreCase(config.getString(WRAP_CONFIG).trim());
  }

  /** The parsed {@code dek.entity.parent.subject}, defaulted when blank. */
  public static SubjectTemplate parentSubjectTemplate(AbstractConfig config) {
    String text = config.getString(PARENT_SUBJECT_CONFIG);
    return SubjectTemplateValidator.parse(
        PARENT_SUBJECT_CONFIG, text == null || text.isBlank() ? PARENT_SUBJECT_DEFAULT : text);
  }

  public static int cacheMaxEntries(AbstractConfig config) {
    return config.getInt(CACHE_MAX_ENTRIES_CONFIG);
  }
}
