package io.csfle.connect.reencrypt;

import io.csfle.connect.config.EntityKeyKeys;
import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.config.FieldKeys;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.subject.SubjectTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.storage.Converter;

/**
 * Configuration of the re-encryption job: the names of its keys and their readers. The target side
 * (fields, KEK, DEK, KMS credentials, DEK store) uses the shared key groups of {@code
 * io.csfle.connect.config} unchanged; the source side overrides a few of them under {@code source.}
 * ({@link SourceSideKeys}). The definitions and docs are tables in {@link ReencryptKeys}. Per-key
 * rules live in the {@link ConfigDef}; rules across keys are checked by {@link
 * ReencryptSourceConnector#validate} and {@link #crossKeyErrors()}.
 */
public class ReencryptSourceConfig extends AbstractConfig {
  public static final String SOURCE_BOOTSTRAP_SERVERS_CONFIG = "source.bootstrap.servers";

  public static final String SOURCE_CONSUMER_PREFIX = "source.consumer.";
  static final String ISOLATION_LEVEL_CONFIG =
      SOURCE_CONSUMER_PREFIX + ConsumerConfig.ISOLATION_LEVEL_CONFIG;
  static final String ISOLATION_LEVEL_DEFAULT = "read_committed";

  public static final String TOPICS_CONFIG = "topics";
  public static final String TOPICS_REGEX_CONFIG = "topics.regex";

  public static final String SOURCE_KEY_CONVERTER_CONFIG = "source.key.converter";
  public static final String SOURCE_VALUE_CONVERTER_CONFIG = "source.value.converter";

  public static final String SOURCE_PLAINTEXT_CONFIG = "source.plaintext";

  public static final String SOURCE_KEK_NAME_CONFIG = "source.encrypt.kek.name";
  public static final String SOURCE_ALGORITHM_CONFIG = "source.encrypt.dek.algorithm";
  public static final String SOURCE_EXPIRY_DAYS_CONFIG = "source.encrypt.dek.expiry.days";
  public static final String SOURCE_SUBJECT_CONFIG = "source.dek.subject";
  public static final String SOURCE_KMS_PREFIX = "source.kms.";

  public static final String TARGET_TOPIC_FORMAT_CONFIG = "target.topic.format";
  public static final String TARGET_BOOTSTRAP_SERVERS_CONFIG = "target.bootstrap.servers";
  public static final String TARGET_ADMIN_PREFIX = "target.admin.";

  public static final String ROTATE_ON_START_CONFIG = "rotate.on.start";
  public static final String MODE_CONFIG = "mode";
  public static final String ERRORS_TOPIC_CONFIG = "errors.topic";
  public static final String REPORT_TOPIC_CONFIG = "report.topic";
  public static final String MAX_RECORDS_PER_SECOND_CONFIG = "max.records.per.second";
  public static final String PROGRESS_INTERVAL_CONFIG = "progress.log.interval.ms";

  static final String POLL_TIMEOUT_CONFIG = "source.poll.timeout.ms";

  /** Task key: the partitions of one task with their end offsets, topic:partition:end. */
  static final String TASK_PARTITIONS_CONFIG = "task.partitions";

  /** Task key: the task's index, for logs and the report. */
  static final String TASK_INDEX_CONFIG = "task.index";

  public static final ConfigDef CONFIG_DEF = ReencryptKeys.definition();

  public ReencryptSourceConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  // ---- typed accessors ----

  List<String> topics() {
    return getList(TOPICS_CONFIG);
  }

  Pattern topicsRegex() {
    String regex = getString(TOPICS_REGEX_CONFIG);
    return regex == null || regex.isBlank() ? null : Pattern.compile(regex);
  }

  String targetTopic(String sourceTopic) {
    return getString(TARGET_TOPIC_FORMAT_CONFIG).replace("${topic}", sourceTopic);
  }

  boolean inPlace() {
    return "${topic}".equals(getString(TARGET_TOPIC_FORMAT_CONFIG).trim());
  }

  boolean sourcePlaintext() {
    return getBoolean(SOURCE_PLAINTEXT_CONFIG);
  }

  boolean rotateOnStart() {
    return getBoolean(ROTATE_ON_START_CONFIG);
  }

  boolean verifyOnly() {
    return "verify".equalsIgnoreCase(getString(MODE_CONFIG));
  }

  String errorsTopic() {
    return blankToNull(getString(ERRORS_TOPIC_CONFIG));
  }

  String reportTopic() {
    return blankToNull(getString(REPORT_TOPIC_CONFIG));
  }

  long maxRecordsPerSecond() {
    return getLong(MAX_RECORDS_PER_SECOND_CONFIG);
  }

  Duration progressInterval() {
    return Duration.ofMillis(getLong(PROGRESS_INTERVAL_CONFIG));
  }

  Duration pollTimeout() {
    return Duration.ofMillis(getLong(POLL_TIMEOUT_CONFIG));
  }

  boolean readCommitted() {
    return "read_committed".equalsIgnoreCase(getString(ISOLATION_LEVEL_CONFIG));
  }

  int taskIndex() {
    return getInt(TASK_INDEX_CONFIG);
  }

  List<String> taskPartitions() {
    return getList(TASK_PARTITIONS_CONFIG);
  }

  /** The target side, parsed by the shared key groups' own rules. */
  FieldCryptoSettings target() {
    return FieldCryptoSettings.parse(originals());
  }

  /** The source side: the target's settings with the {@code source.} overrides applied. */
  FieldCryptoSettings source() {
    return SourceSideKeys.settings(this);
  }

  /**
   * The {@code dek.subject} template the job writes under, with {@code dek.subject.fallback}.
   *
   * @throws org.apache.kafka.common.config.ConfigException when either does not parse
   */
  SubjectTemplate targetSubjects() {
    return KekKeys.parsedSubjectTemplate(this, false);
  }

  /**
   * The template the source fields were written under: {@code source.dek.subject}, or the target's
   * when empty, with {@code dek.subject.fallback}.
   *
   * @throws org.apache.kafka.common.config.ConfigException when either does not parse
   */
  SubjectTemplate sourceSubjects() {
    String text = blankToNull(getString(SOURCE_SUBJECT_CONFIG));
    return text == null
        ? targetSubjects()
        : KekKeys.parsedSubjectTemplate(this, SOURCE_SUBJECT_CONFIG, text);
  }

  /** {@code fields}: the paths both sides encrypt. */
  List<FieldPath> fieldPaths() {
    return FieldKeys.fieldPaths(this);
  }

  /**
   * True when the target's record-data subjects get entity keys, as {@code EncryptField} would give
   * them: {@code dek.subject} reads record data and {@code dek.entity.wrap=subject-dek}.
   */
  boolean targetUsesEntityKeys() {
    return targetSubjects().readsRecordData() && EntityKeyKeys.wrapsUnderSubjectDek(this);
  }

  /** {@code dek.entity.parent.subject}. */
  SubjectTemplate entityParentSubjects() {
    return EntityKeyKeys.parentSubjectTemplate(this);
  }

  /** {@code dek.entity.cache.max.entries}. */
  int entityCacheMaxEntries() {
    return EntityKeyKeys.cacheMaxEntries(this);
  }

  /** Source consumer settings: the prefix, our deserializers, no group, no auto commit. */
  Map<String, Object> consumerProps() {
    return ClientProps.consumer(this);
  }

  /** Admin settings for the target cluster. */
  Map<String, Object> targetAdminProps() {
    return ClientProps.targetAdmin(this);
  }

  /** Source admin settings: the consumer prefix's client settings. */
  Map<String, Object> sourceAdminProps() {
    return ClientProps.sourceAdmin(this);
  }

  Converter keyConverter() {
    return converter(SOURCE_KEY_CONVERTER_CONFIG, true);
  }

  Converter valueConverter() {
    return converter(SOURCE_VALUE_CONVERTER_CONFIG, false);
  }

  private Converter converter(String key, boolean isKey) {
    // Not getConfiguredInstance: it would call Configurable.configure with the whole config.
    Converter converter =
        org.apache.kafka.common.utils.Utils.newInstance(getClass(key), Converter.class);
    converter.configure(originalsWithPrefix(key + "."), isKey);
    return converter;
  }

  /** Rules across keys, by the key to report them on; empty when consistent. */
  Map<String, String> crossKeyErrors() {
    return CrossKeyRules.errors(this);
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
