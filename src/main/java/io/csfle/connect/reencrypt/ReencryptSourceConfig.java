package io.csfle.connect.reencrypt;

import io.csfle.connect.transforms.FieldCryptoSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Configuration of the re-encryption job. The target side (fields, KEK, DEK, KMS credentials, DEK
 * registry) uses the transforms' keys unchanged; the source side overrides a few of them under
 * {@code source.}. Per-key rules live in the {@link ConfigDef}; rules across keys are checked by
 * {@link ReencryptSourceConnector#validate} and {@link #crossKeyErrors()}.
 */
public class ReencryptSourceConfig extends AbstractConfig {
  public static final String SOURCE_BOOTSTRAP_SERVERS_CONFIG = "source.bootstrap.servers";
  static final String SOURCE_BOOTSTRAP_SERVERS_DOC =
      "Bootstrap servers of the Kafka cluster holding the topics to re-encrypt.";

  public static final String SOURCE_CONSUMER_PREFIX = "source.consumer.";
  static final String ISOLATION_LEVEL_CONFIG =
      SOURCE_CONSUMER_PREFIX + ConsumerConfig.ISOLATION_LEVEL_CONFIG;
  static final String ISOLATION_LEVEL_DEFAULT = "read_committed";
  static final String ISOLATION_LEVEL_DOC =
      "Isolation level of the source consumer. read_committed (default) reads only committed"
          + " records and lets the connector run exactly once; read_uncommitted also copies records"
          + " of aborted transactions. Other consumer settings (security included) go under the "
          + SOURCE_CONSUMER_PREFIX
          + " prefix.";

  public static final String TOPICS_CONFIG = "topics";
  static final String TOPICS_DOC =
      "Comma-separated source topics. Exactly one of topics and topics.regex is required.";
  public static final String TOPICS_REGEX_CONFIG = "topics.regex";
  static final String TOPICS_REGEX_DOC =
      "Java regular expression of the source topics, matched once when the job starts; topics"
          + " created later are not part of the job. Internal topics (leading underscore) and"
          + " target topics of this job never match.";

  public static final String SOURCE_KEY_CONVERTER_CONFIG = "source.key.converter";
  static final String BYTE_ARRAY_CONVERTER =
      "org.apache.kafka.connect.converters.ByteArrayConverter";
  static final String SOURCE_KEY_CONVERTER_DEFAULT = BYTE_ARRAY_CONVERTER;
  static final String SOURCE_KEY_CONVERTER_DOC =
      "Converter that reads source record keys. The default copies keys byte for byte (set the"
          + " connector's key.converter to "
          + BYTE_ARRAY_CONVERTER
          + " too), which keeps keys of compacted topics identical. Settings under the"
          + " source.key.converter. prefix.";
  public static final String SOURCE_VALUE_CONVERTER_CONFIG = "source.value.converter";
  static final String SOURCE_VALUE_CONVERTER_DEFAULT =
      "org.apache.kafka.connect.json.JsonConverter";
  static final String SOURCE_VALUE_CONVERTER_DOC =
      "Converter that reads source record values into Connect data; use the one that matches the"
          + " connector's value.converter (default JsonConverter, configured under the"
          + " source.value.converter. prefix, e.g. source.value.converter.schemas.enable).";

  public static final String SOURCE_PLAINTEXT_CONFIG = "source.plaintext";
  static final String SOURCE_PLAINTEXT_DOC =
      "true: the source fields are not encrypted (yet); the job encrypts them with the target"
          + " KEK, as EncryptField would. false (default): they are decrypted with the source KEK"
          + " and re-encrypted.";

  public static final String SOURCE_KEK_NAME_CONFIG = "source.encrypt.kek.name";
  static final String SOURCE_KEK_NAME_DOC =
      "Name of the KEK the source fields were encrypted under (read as registered; its KMS"
          + " credentials come from source.kms.* if any is set, else kms.*). Empty: the target"
          + " KEK (a DEK rotation or algorithm change under the same KEK).";
  public static final String SOURCE_ALGORITHM_CONFIG = "source.encrypt.dek.algorithm";
  static final String SOURCE_ALGORITHM_DOC =
      "DEK algorithm of the source fields. Empty: the same as encrypt.dek.algorithm.";
  public static final String SOURCE_EXPIRY_DAYS_CONFIG = "source.encrypt.dek.expiry.days";
  static final String SOURCE_EXPIRY_DAYS_DOC =
      "Rotation mode of the source fields: 0 (ciphertext without version prefix, DEK version 1)"
          + " or > 0 (version-prefixed, any version). Empty: the same as encrypt.dek.expiry.days.";
  public static final String SOURCE_SUBJECT_CONFIG = "source.dek.subject";
  static final String SOURCE_SUBJECT_DOC =
      "DEK subject template of the source fields; ${topic} is the source topic. Empty: the same"
          + " as dek.subject (default ${topic}-value).";
  public static final String SOURCE_KMS_PREFIX = "source.kms.";

  public static final String TARGET_TOPIC_FORMAT_CONFIG = "target.topic.format";
  static final String TARGET_TOPIC_FORMAT_DEFAULT = "${topic}.reencrypted";
  static final String TARGET_TOPIC_FORMAT_DOC =
      "Target topic of each source topic; ${topic} is the source topic. '${topic}' alone"
          + " rewrites in place, which is allowed only for compacted topics (newer records"
          + " replace older ones per key). A missing target topic is created with the source's"
          + " partition count and cleanup policy.";
  public static final String TARGET_BOOTSTRAP_SERVERS_CONFIG = "target.bootstrap.servers";
  static final String TARGET_BOOTSTRAP_SERVERS_DOC =
      "Bootstrap servers of the cluster the worker writes to, used only to check and create"
          + " target topics. Empty: the source cluster. Admin client settings go under the"
          + " target.admin. prefix.";
  public static final String TARGET_ADMIN_PREFIX = "target.admin.";

  public static final String ROTATE_ON_START_CONFIG = "rotate.on.start";
  static final String ROTATE_ON_START_DOC =
      "true: when the job starts for the first time (no stored offsets), create a new version of"
          + " each target DEK subject and re-encrypt with it. Needs encrypt.dek.expiry.days > 0.";

  public static final String MODE_CONFIG = "mode";
  static final String MODE_DEFAULT = "reencrypt";
  static final String MODE_DOC =
      "reencrypt (default) writes re-encrypted records; verify decrypts every record, writes"
          + " nothing but the report, and logs each record that would fail.";

  public static final String ERRORS_TOPIC_CONFIG = "errors.topic";
  static final String ERRORS_TOPIC_DOC =
      "Topic for records that cannot be decrypted: they are written there unchanged, with headers"
          + " naming their source topic, partition, offset and the error class. Empty (default):"
          + " such a record fails the task.";

  public static final String REPORT_TOPIC_CONFIG = "report.topic";
  static final String REPORT_TOPIC_DOC =
      "Topic for one JSON summary record per task when it finishes (records per partition, DEK"
          + " versions seen, skipped and failed counts) and one job summary (key 'job') when every"
          + " partition is done; tasks also store a partition's end there when its last records"
          + " were not written (already at the target in place). Empty (default): none.";

  public static final String MAX_RECORDS_PER_SECOND_CONFIG = "max.records.per.second";
  static final String MAX_RECORDS_PER_SECOND_DOC =
      "Upper bound on records each task reads per second; 0 (default) for no limit.";

  public static final String PROGRESS_INTERVAL_CONFIG = "progress.log.interval.ms";
  static final long PROGRESS_INTERVAL_DEFAULT = 30_000L;
  static final String PROGRESS_INTERVAL_DOC =
      "How often each task, and the connector for the whole job, logs progress: records done and"
          + " total, rate and ETA.";

  static final String POLL_TIMEOUT_CONFIG = "source.poll.timeout.ms";
  static final long POLL_TIMEOUT_DEFAULT = 500L;
  static final String POLL_TIMEOUT_DOC = "Longest a task waits in one poll of the source.";

  /** Task key: the partitions of one task with their end offsets, topic:partition:end. */
  static final String TASK_PARTITIONS_CONFIG = "task.partitions";

  /** Task key: the task's index, for logs and the report. */
  static final String TASK_INDEX_CONFIG = "task.index";

  public static final ConfigDef CONFIG_DEF = definition();

  public ReencryptSourceConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  private static ConfigDef definition() {
    ConfigDef def = FieldCryptoSettings.definition();
    def.define(
            SOURCE_BOOTSTRAP_SERVERS_CONFIG,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            ConfigDef.LambdaValidator.with(
                (name, value) -> {
                  if (value == null || ((List<?>) value).isEmpty()) {
                    throw new ConfigException(name, value, "at least one host:port is required");
                  }
                },
                () -> "non-empty list of host:port"),
            Importance.HIGH,
            SOURCE_BOOTSTRAP_SERVERS_DOC)
        .define(
            ISOLATION_LEVEL_CONFIG,
            Type.STRING,
            ISOLATION_LEVEL_DEFAULT,
            ConfigDef.CaseInsensitiveValidString.in("read_committed", "read_uncommitted"),
            Importance.MEDIUM,
            ISOLATION_LEVEL_DOC)
        .define(TOPICS_CONFIG, Type.LIST, "", Importance.HIGH, TOPICS_DOC)
        .define(
            TOPICS_REGEX_CONFIG,
            Type.STRING,
            "",
            new ConfigValidators.Regex(),
            Importance.HIGH,
            TOPICS_REGEX_DOC)
        .define(
            SOURCE_KEY_CONVERTER_CONFIG,
            Type.CLASS,
            SOURCE_KEY_CONVERTER_DEFAULT,
            new ConfigValidators.ConverterClass(),
            Importance.MEDIUM,
            SOURCE_KEY_CONVERTER_DOC)
        .define(
            SOURCE_VALUE_CONVERTER_CONFIG,
            Type.CLASS,
            SOURCE_VALUE_CONVERTER_DEFAULT,
            new ConfigValidators.ConverterClass(),
            Importance.HIGH,
            SOURCE_VALUE_CONVERTER_DOC)
        .define(SOURCE_PLAINTEXT_CONFIG, Type.BOOLEAN, false, Importance.HIGH, SOURCE_PLAINTEXT_DOC)
        .define(SOURCE_KEK_NAME_CONFIG, Type.STRING, "", Importance.HIGH, SOURCE_KEK_NAME_DOC)
        .define(SOURCE_ALGORITHM_CONFIG, Type.STRING, "", Importance.MEDIUM, SOURCE_ALGORITHM_DOC)
        .define(
            SOURCE_EXPIRY_DAYS_CONFIG,
            Type.INT,
            null,
            ConfigDef.LambdaValidator.with(
                (name, value) -> {
                  if (value != null && (Integer) value < 0) {
                    throw new ConfigException(name, value, "must be at least 0");
                  }
                },
                () -> "empty or at least 0"),
            Importance.MEDIUM,
            SOURCE_EXPIRY_DAYS_DOC)
        .define(SOURCE_SUBJECT_CONFIG, Type.STRING, "", Importance.LOW, SOURCE_SUBJECT_DOC)
        .define(
            TARGET_TOPIC_FORMAT_CONFIG,
            Type.STRING,
            TARGET_TOPIC_FORMAT_DEFAULT,
            ConfigDef.LambdaValidator.with(
                (name, value) -> {
                  if (value == null || !value.toString().contains("${topic}")) {
                    throw new ConfigException(name, value, "must contain ${topic}");
                  }
                },
                () -> "a template containing ${topic}"),
            Importance.HIGH,
            TARGET_TOPIC_FORMAT_DOC)
        .define(
            TARGET_BOOTSTRAP_SERVERS_CONFIG,
            Type.LIST,
            "",
            Importance.MEDIUM,
            TARGET_BOOTSTRAP_SERVERS_DOC)
        .define(ROTATE_ON_START_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, ROTATE_ON_START_DOC)
        .define(
            MODE_CONFIG,
            Type.STRING,
            MODE_DEFAULT,
            ConfigDef.CaseInsensitiveValidString.in("reencrypt", "verify"),
            Importance.HIGH,
            MODE_DOC)
        .define(ERRORS_TOPIC_CONFIG, Type.STRING, "", Importance.MEDIUM, ERRORS_TOPIC_DOC)
        .define(REPORT_TOPIC_CONFIG, Type.STRING, "", Importance.LOW, REPORT_TOPIC_DOC)
        .define(
            MAX_RECORDS_PER_SECOND_CONFIG,
            Type.LONG,
            0L,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            MAX_RECORDS_PER_SECOND_DOC)
        .define(
            PROGRESS_INTERVAL_CONFIG,
            Type.LONG,
            PROGRESS_INTERVAL_DEFAULT,
            ConfigDef.Range.atLeast(100),
            Importance.LOW,
            PROGRESS_INTERVAL_DOC)
        .define(
            POLL_TIMEOUT_CONFIG,
            Type.LONG,
            POLL_TIMEOUT_DEFAULT,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            POLL_TIMEOUT_DOC)
        .defineInternal(TASK_PARTITIONS_CONFIG, Type.LIST, "", Importance.LOW)
        .defineInternal(TASK_INDEX_CONFIG, Type.INT, 0, Importance.LOW);
    return def;
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

  /** The target side, parsed by the transforms' own rules. */
  FieldCryptoSettings target() {
    return FieldCryptoSettings.parse(originals());
  }

  /**
   * The source side: the target's settings with the {@code source.} overrides applied. The KEK is
   * used as registered (no KMS type or key id to create it with).
   */
  FieldCryptoSettings source() {
    Map<String, Object> props = new HashMap<>(originals());
    props.remove(FieldCryptoSettings.KMS_TYPE_CONFIG);
    props.remove(FieldCryptoSettings.KMS_KEY_ID_CONFIG);
    overrideIfSet(props, SOURCE_KEK_NAME_CONFIG, FieldCryptoSettings.KEK_NAME_CONFIG);
    overrideIfSet(props, SOURCE_ALGORITHM_CONFIG, FieldCryptoSettings.ALGORITHM_CONFIG);
    overrideIfSet(props, SOURCE_EXPIRY_DAYS_CONFIG, FieldCryptoSettings.EXPIRY_DAYS_CONFIG);
    overrideIfSet(props, SOURCE_SUBJECT_CONFIG, FieldCryptoSettings.SUBJECT_CONFIG);
    Map<String, Object> sourceKms = originalsWithPrefix(SOURCE_KMS_PREFIX);
    if (!sourceKms.isEmpty()) {
      props.keySet().removeIf(k -> k.startsWith(FieldCryptoSettings.KMS_PREFIX));
      sourceKms.forEach((k, v) -> props.put(FieldCryptoSettings.KMS_PREFIX + k, v));
    }
    return FieldCryptoSettings.parse(props);
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

  private static void overrideIfSet(Map<String, Object> props, String from, String to) {
    Object value = props.get(from);
    if (value != null && !value.toString().isBlank()) {
      props.put(to, value);
    }
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
