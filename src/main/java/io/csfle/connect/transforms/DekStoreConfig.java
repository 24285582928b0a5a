package io.csfle.connect.transforms;

import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The keys that choose where DEKs are kept: a registry server ({@code schema.registry.url}) or the
 * embedded store in a compacted Kafka topic, and how to reach and create that topic.
 */
final class DekStoreConfig {
  static final String STORE_CONFIG = "dek.store";
  static final String STORE_REGISTRY = "registry";
  static final String STORE_KAFKA = "kafka";
  static final String STORE_DOC =
      "Where KEKs and wrapped DEKs are kept: 'registry' (default) in a server with Confluent's DEK"
          + " Registry API at schema.registry.url, or 'kafka' in a compacted topic of a Kafka"
          + " cluster (dek.store.bootstrap.servers), with no registry server at all.";

  static final String BOOTSTRAP_CONFIG = "dek.store.bootstrap.servers";
  static final String BOOTSTRAP_DOC =
      "Bootstrap servers of the Kafka cluster holding the key topic; required when dek.store=kafka."
          + " Security settings go in dek.store.client.* keys.";

  static final String TOPIC_CONFIG = "dek.store.topic";
  static final String TOPIC_DOC =
      "The compacted topic holding KEKs and wrapped DEKs when dek.store=kafka; created if missing."
          + " Every worker and connector that shares keys must name the same topic.";

  static final String PARTITIONS_CONFIG = "dek.store.topic.partitions";
  static final String PARTITIONS_DOC = "Partitions of the key topic when it has to be created.";

  static final String REPLICATION_CONFIG = "dek.store.topic.replication.factor";
  static final String REPLICATION_DOC =
      "Replication factor of the key topic when it has to be created; -1 (default) for the"
          + " broker's default. Use at least 3 in production: losing this topic loses the keys.";

  static final String MIN_ISR_CONFIG = "dek.store.topic.min.insync.replicas";
  static final String MIN_ISR_DOC =
      "min.insync.replicas of the key topic when it has to be created; empty for the broker's"
          + " default.";

  /** Prefix of producer, consumer and admin client overrides (security.protocol, sasl.*, ...). */
  static final String CLIENT_PREFIX = "dek.store.client.";

  private static final String GROUP = "DEK store";

  private DekStoreConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
        STORE_CONFIG,
        Type.STRING,
        STORE_REGISTRY,
        ConfigDef.CaseInsensitiveValidString.in(STORE_REGISTRY, STORE_KAFKA),
        Importance.HIGH,
        STORE_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "DEK store");
    def.define(
        BOOTSTRAP_CONFIG,
        Type.STRING,
        null,
        Importance.HIGH,
        BOOTSTRAP_DOC,
        GROUP,
        ++order,
        Width.LONG,
        "Key topic bootstrap servers");
    def.define(
        TOPIC_CONFIG,
        Type.STRING,
        KafkaDekStoreConfig.DEFAULT_TOPIC,
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        TOPIC_DOC,
        GROUP,
        ++order,
        Width.MEDIUM,
        "Key topic");
    def.define(
        PARTITIONS_CONFIG,
        Type.INT,
        1,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        PARTITIONS_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Key topic partitions");
    def.define(
        REPLICATION_CONFIG,
        Type.INT,
        -1,
        new ReplicationFactorValidator(),
        Importance.MEDIUM,
        REPLICATION_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Key topic replication factor");
    def.define(
        MIN_ISR_CONFIG,
        Type.INT,
        null,
        new OptionalAtLeastOne(),
        Importance.LOW,
        MIN_ISR_DOC,
        GROUP,
        ++order,
        Width.SHORT,
        "Key topic min.insync.replicas");
  }

  static boolean usesKafka(AbstractConfig config) {
    return STORE_KAFKA.equals(config.getString(STORE_CONFIG).toLowerCase(Locale.ROOT));
  }

  /** The embedded store's settings; ConfigException naming the key when bootstrap is missing. */
  static KafkaDekStoreConfig kafkaStoreConfig(AbstractConfig config) {
    String bootstrap = config.getString(BOOTSTRAP_CONFIG);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new ConfigException(
          BOOTSTRAP_CONFIG, bootstrap, "required when " + STORE_CONFIG + "=" + STORE_KAFKA);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    config.originalsWithPrefix(CLIENT_PREFIX).forEach((k, v) -> overrides.put(k, stringOf(v)));
    return new KafkaDekStoreConfig(
        bootstrap.trim(),
        config.getString(TOPIC_CONFIG).trim(),
        config.getInt(PARTITIONS_CONFIG),
        config.getInt(REPLICATION_CONFIG).shortValue(),
        config.getInt(MIN_ISR_CONFIG),
        overrides,
        KafkaDekStoreConfig.DEFAULT_TIMEOUT);
  }

  private static String stringOf(Object value) {
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value == null ? null : value.toString();
  }

  /** -1 (broker default) or 1 to Short.MAX_VALUE. */
  private static final class ReplicationFactorValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      int factor = value == null ? -1 : (Integer) value;
      if (factor != -1 && (factor < 1 || factor > Short.MAX_VALUE)) {
        throw new ConfigException(name, value, "must be -1 (broker default) or at least 1");
      }
    }

    @Override
    public String toString() {
      return "-1 or [1,...]";
    }
  }

  /** Empty, or at least 1. */
  private static final class OptionalAtLeastOne implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && (Integer) value < 1) {
        throw new ConfigException(name, value, "must be at least 1");
      }
    }

    @Override
    public String toString() {
      return "empty or [1,...]";
    }
  }
}
