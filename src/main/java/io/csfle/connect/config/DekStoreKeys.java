package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The "DEK store" keys: where DEKs are kept, a registry server ({@code schema.registry.url}, see
 * {@link RegistryKeys}) or the embedded store in a compacted Kafka topic, and how to reach and
 * create that topic.
 */
public final class DekStoreKeys {
  public static final String STORE_CONFIG = "dek.store";
  public static final String STORE_REGISTRY = "registry";
  public static final String STORE_KAFKA = "kafka";
  public static final String BOOTSTRAP_CONFIG = "dek.store.bootstrap.servers";
  public static final String TOPIC_CONFIG = "dek.store.topic";
  public static final String PARTITIONS_CONFIG = "dek.store.topic.partitions";
  public static final String REPLICATION_CONFIG = "dek.store.topic.replication.factor";
  public static final String MIN_ISR_CONFIG = "dek.store.topic.min.insync.replicas";
  public static final String CACHE_MAX_ENTRIES_CONFIG = "dek.store.cache.max.entries";

  /** Prefix of producer, consumer and admin client overrides (security.protocol, sasl.*, ...). */
  public static final String CLIENT_PREFIX = "dek.store.client.";

  static final String GROUP = "DEK store";

  /** {@code dek.store} itself, always shown: it decides which other keys are. */
  private static final KeySpec STORE =
      key(
              STORE_CONFIG,
              Type.STRING,
              STORE_REGISTRY,
              Importance.HIGH,
              "Where KEKs and wrapped DEKs are kept: 'registry' (default) in a server with"
                  + " Confluent's DEK Registry API at schema.registry.url, or 'kafka' in a"
                  + " compacted topic of a Kafka cluster (dek.store.bootstrap.servers), with no"
                  + " registry server at all.")
          .validatedBy(ConfigDef.CaseInsensitiveValidString.in(STORE_REGISTRY, STORE_KAFKA))
          .shown(Width.SHORT, "DEK store");

  /** The embedded store's keys, shown with {@code dek.store=kafka}. */
  private static final List<KeySpec> KAFKA_KEYS =
      List.of(
          key(
                  BOOTSTRAP_CONFIG,
                  Type.STRING,
                  null,
                  Importance.HIGH,
                  "Bootstrap servers of the Kafka cluster holding the key topic; required when"
                      + " dek.store=kafka. Security settings go in dek.store.client.* keys.")
              .shown(Width.LONG, "Key topic bootstrap servers"),
          key(
                  TOPIC_CONFIG,
                  Type.STRING,
                  KafkaDekStoreConfig.DEFAULT_TOPIC,
                  Importance.MEDIUM,
                  "The compacted topic holding KEKs and wrapped DEKs when dek.store=kafka; created"
                      + " if missing. Every worker and connector that shares keys must name the"
                      + " same topic.")
              .validatedBy(new ConfigDef.NonEmptyString())
              .shown(Width.MEDIUM, "Key topic"),
          key(
                  PARTITIONS_CONFIG,
                  Type.INT,
                  1,
                  Importance.LOW,
                  "Partitions of the key topic when it has to be created.")
              .validatedBy(ConfigDef.Range.atLeast(1))
              .shown(Width.SHORT, "Key topic partitions"),
          key(
                  REPLICATION_CONFIG,
                  Type.INT,
                  -1,
                  Importance.MEDIUM,
                  "Replication factor of the key topic when it has to be created; -1 (default) for"
                      + " the broker's default. Use at least 3 in production: losing this topic"
                      + " loses the keys.")
              .validatedBy(new ReplicationFactorValidator())
              .shown(Width.SHORT, "Key topic replication factor"),
          key(
                  MIN_ISR_CONFIG,
                  Type.INT,
                  null,
                  Importance.LOW,
                  "min.insync.replicas of the key topic when it has to be created; empty for the"
                      + " broker's default.")
              .validatedBy(new OptionalAtLeastOne())
              .shown(Width.SHORT, "Key topic min.insync.replicas"),
          key(
                  CACHE_MAX_ENTRIES_CONFIG,
                  Type.INT,
                  KafkaDekStoreConfig.DEFAULT_CACHE_MAX_ENTRIES,
                  Importance.LOW,
                  "How many DEK versions, parsed, the worker's key topic reader keeps in memory"
                      + " (least recently used first out) when dek.store=kafka. Others are kept as"
                      + " a position in the topic, about 40-80 bytes each, and read back from the"
                      + " topic by offset when asked for. 0 keeps none.")
              .validatedBy(ConfigDef.Range.atLeast(0))
              .shown(Width.SHORT, "Key topic reader cache"));

  private DekStoreKeys() {}

  /** Defines the keys in {@code def}, in the "DEK store" group. */
  public static ConfigDef appendTo(ConfigDef def) {
    STORE.define(def, GROUP, 1, null);
    VisibilityRecommender withKafka = VisibilityRecommender.forStore(STORE_KAFKA);
    for (int i = 0; i < KAFKA_KEYS.size(); i++) {
      KAFKA_KEYS.get(i).define(def, GROUP, i + 2, withKafka);
    }
    return def;
  }

  /** True with {@code dek.store=kafka}. */
  public static boolean usesKafka(AbstractConfig config) {
    return STORE_KAFKA.equals(config.getString(STORE_CONFIG).toLowerCase(Locale.ROOT));
  }

  /** The embedded store's settings; ConfigException naming the key when bootstrap is missing. */
  public static KafkaDekStoreConfig kafkaStoreConfig(AbstractConfig config) {
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
        KafkaDekStoreConfig.DEFAULT_TIMEOUT,
        config.getInt(CACHE_MAX_ENTRIES_CONFIG));
  }

  private static String stringOf(Object value) {
    if (value instanceof Password password) {
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
