package io.csfle.connect.reencrypt;

import static io.csfle.connect.config.KeySpec.key;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.ERRORS_TOPIC_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.ISOLATION_LEVEL_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.ISOLATION_LEVEL_DEFAULT;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.MAX_RECORDS_PER_SECOND_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.MODE_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.POLL_TIMEOUT_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.PROGRESS_INTERVAL_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.REPORT_TOPIC_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.ROTATE_ON_START_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_BOOTSTRAP_SERVERS_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_CONSUMER_PREFIX;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_KEY_CONVERTER_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.SOURCE_VALUE_CONVERTER_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TARGET_BOOTSTRAP_SERVERS_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TARGET_TOPIC_FORMAT_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TASK_INDEX_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TASK_PARTITIONS_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TOPICS_CONFIG;
import static io.csfle.connect.reencrypt.ReencryptSourceConfig.TOPICS_REGEX_CONFIG;

import io.csfle.connect.config.EntityKeyKeys;
import io.csfle.connect.config.FieldCryptoConfig;
import io.csfle.connect.config.KeySpec;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The re-encryption connector's own keys, as a table: the target side takes the shared key groups
 * of {@link FieldCryptoConfig} unchanged, and these come after them (without a group). The key
 * names are {@link ReencryptSourceConfig}'s constants, next to their readers.
 */
final class ReencryptKeys {
  private static final String BYTE_ARRAY_CONVERTER =
      "org.apache.kafka.connect.converters.ByteArrayConverter";

  /** Where and how the job reads: the source cluster, its topics and converters. */
  private static final List<KeySpec> SOURCE_READ_KEYS =
      List.of(
          key(
                  SOURCE_BOOTSTRAP_SERVERS_CONFIG,
                  Type.LIST,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "Bootstrap servers of the Kafka cluster holding the topics to re-encrypt.")
              .validatedBy(
                  ConfigValidators.refusing(
                      value -> value == null || ((List<?>) value).isEmpty(),
                      "at least one host:port is required",
                      "non-empty list of host:port")),
          key(
                  ISOLATION_LEVEL_CONFIG,
                  Type.STRING,
                  ISOLATION_LEVEL_DEFAULT,
                  Importance.MEDIUM,
                  "Isolation level of the source consumer. read_committed (default) reads only"
                      + " committed records and lets the connector run exactly once;"
                      + " read_uncommitted also copies records of aborted transactions. Other"
                      + " consumer settings (security included) go under the "
                      + SOURCE_CONSUMER_PREFIX
                      + " prefix.")
              .validatedBy(
                  ConfigDef.CaseInsensitiveValidString.in("read_committed", "read_uncommitted")),
          key(
              TOPICS_CONFIG,
              Type.LIST,
              "",
              Importance.HIGH,
              "Comma-separated source topics. Exactly one of topics and topics.regex is required."),
          key(
                  TOPICS_REGEX_CONFIG,
                  Type.STRING,
                  "",
                  Importance.HIGH,
                  "Java regular expression of the source topics, matched once when the job starts;"
                      + " topics created later are not part of the job. Internal topics (leading"
                      + " underscore) and target topics of this job never match.")
              .validatedBy(new ConfigValidators.Regex()),
          key(
                  SOURCE_KEY_CONVERTER_CONFIG,
                  Type.CLASS,
                  BYTE_ARRAY_CONVERTER,
                  Importance.MEDIUM,
                  "Converter that reads source record keys. The default copies keys byte for byte"
                      + " (set the connector's key.converter to "
                      + BYTE_ARRAY_CONVERTER
                      + " too), which keeps keys of compacted topics identical. Settings under the"
                      + " source.key.converter. prefix.")
              .validatedBy(new ConfigValidators.ConverterClass()),
          key(
                  SOURCE_VALUE_CONVERTER_CONFIG,
                  Type.CLASS,
                  "org.apache.kafka.connect.json.JsonConverter",
                  Importance.HIGH,
                  "Converter that reads source record values into Connect data; use the one that"
                      + " matches the connector's value.converter (default JsonConverter,"
                      + " configured under the source.value.converter. prefix, e.g."
                      + " source.value.converter.schemas.enable).")
              .validatedBy(new ConfigValidators.ConverterClass()));

  /** What the job writes, and how fast: target topics, mode, side topics, pacing. */
  private static final List<KeySpec> JOB_KEYS =
      List.of(
          key(
                  TARGET_TOPIC_FORMAT_CONFIG,
                  Type.STRING,
                  "${topic}.reencrypted",
                  Importance.HIGH,
                  "Target topic of each source topic; ${topic} is the source topic. '${topic}'"
                      + " alone rewrites in place, which is allowed only for compacted topics"
                      + " (newer records replace older ones per key). A missing target topic is"
                      + " created with the source's partition count and cleanup policy.")
              .validatedBy(
                  ConfigValidators.refusing(
                      value -> value == null || !value.toString().contains("${topic}"),
                      "must contain ${topic}",
                      "a template containing ${topic}")),
          key(
              TARGET_BOOTSTRAP_SERVERS_CONFIG,
              Type.LIST,
              "",
              Importance.MEDIUM,
              "Bootstrap servers of the cluster the worker writes to, used only to check and"
                  + " create target topics. Empty: the source cluster. Admin client settings go"
                  + " under the target.admin. prefix."),
          key(
              ROTATE_ON_START_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "true: when the job starts for the first time (no stored offsets), create a new"
                  + " version of each target DEK subject and re-encrypt with it. Needs"
                  + " encrypt.dek.expiry.days > 0 and a dek.subject that reads only ${topic}."),
          key(
                  MODE_CONFIG,
                  Type.STRING,
                  "reencrypt",
                  Importance.HIGH,
                  "reencrypt (default) writes re-encrypted records; verify decrypts every record,"
                      + " writes nothing but the report, and logs each record that would fail.")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in("reencrypt", "verify")),
          key(
              ERRORS_TOPIC_CONFIG,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Topic for records that cannot be decrypted: they are written there unchanged, with"
                  + " headers naming their source topic, partition, offset and the error class."
                  + " Empty (default): such a record fails the task."),
          key(
              REPORT_TOPIC_CONFIG,
              Type.STRING,
              "",
              Importance.LOW,
              "Topic for one JSON summary record per task when it finishes (records per partition,"
                  + " DEK versions seen, skipped and failed counts) and one job summary (key 'job')"
                  + " when every partition is done; tasks also store a partition's end there when"
                  + " its last records were not written (already at the target in place). Empty"
                  + " (default): none."),
          key(
                  MAX_RECORDS_PER_SECOND_CONFIG,
                  Type.LONG,
                  0L,
                  Importance.LOW,
                  "Upper bound on records each task reads per second; 0 (default) for no limit.")
              .validatedBy(ConfigDef.Range.atLeast(0)),
          key(
                  PROGRESS_INTERVAL_CONFIG,
                  Type.LONG,
                  30_000L,
                  Importance.LOW,
                  "How often each task, and the connector for the whole job, logs progress:"
                      + " records done and total, rate and ETA.")
              .validatedBy(ConfigDef.Range.atLeast(100)),
          key(
                  POLL_TIMEOUT_CONFIG,
                  Type.LONG,
                  500L,
                  Importance.LOW,
                  "Longest a task waits in one poll of the source.")
              .validatedBy(ConfigDef.Range.atLeast(1)));

  private ReencryptKeys() {}

  /**
   * The shared groups, then the connector's keys in the order Connect has always listed them, then
   * the entity-key keys {@code EncryptField} reads, for a {@code dek.subject} that reads record
   * data.
   */
  static ConfigDef definition() {
    ConfigDef def = FieldCryptoConfig.definition();
    KeySpec.defineAll(def, null, SOURCE_READ_KEYS);
    SourceSideKeys.appendTo(def);
    KeySpec.defineAll(def, null, JOB_KEYS);
    EntityKeyKeys.appendTo(def);
    return def.defineInternal(TASK_PARTITIONS_CONFIG, Type.LIST, "", Importance.LOW)
        .defineInternal(TASK_INDEX_CONFIG, Type.INT, 0, Importance.LOW);
  }
}
