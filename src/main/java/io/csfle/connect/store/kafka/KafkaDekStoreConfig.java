package io.csfle.connect.store.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the key topic lives and how to create it.
 *
 * @param replicationFactor -1 for the broker default
 * @param minInsyncReplicas {@code null} for the broker default
 * @param clientOverrides properties for the producer, consumer and admin client (security.protocol,
 *     sasl.*, ssl.*, ...); they win over this store's own settings
 * @param timeout longest wait for one store operation (catching up, producing, creating the topic)
 * @param cacheMaxEntries how many parsed DEK versions the reader keeps; others are read back from
 *     the topic by offset when asked for (see {@link KeyTopicState})
 */
public record KafkaDekStoreConfig(
    String bootstrapServers,
    String topic,
    int partitions,
    short replicationFactor,
    Integer minInsyncReplicas,
    Map<String, String> clientOverrides,
    Duration timeout,
    int cacheMaxEntries) {
  public static final String DEFAULT_TOPIC = "_csfle_keys";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;

  public KafkaDekStoreConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1");
    }
    clientOverrides = clientOverrides == null ? Map.of() : Map.copyOf(clientOverrides);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (cacheMaxEntries < 0) {
      throw new IllegalArgumentException("cacheMaxEntries must be >= 0");
    }
  }

  /** With the default cache size, {@value #DEFAULT_CACHE_MAX_ENTRIES} DEK versions. */
  public KafkaDekStoreConfig(
      String bootstrapServers,
      String topic,
      int partitions,
      short replicationFactor,
      Integer minInsyncReplicas,
      Map<String, String> clientOverrides,
      Duration timeout) {
    this(
        bootstrapServers,
        topic,
        partitions,
        replicationFactor,
        minInsyncReplicas,
        clientOverrides,
        timeout,
        DEFAULT_CACHE_MAX_ENTRIES);
  }

  /** The defaults: topic {@value #DEFAULT_TOPIC}, one partition, broker-default replication. */
  public static KafkaDekStoreConfig of(String bootstrapServers) {
    return new KafkaDekStoreConfig(
        bootstrapServers, DEFAULT_TOPIC, 1, (short) -1, null, Map.of(), DEFAULT_TIMEOUT);
  }

  /** What makes two stores share one reader: same cluster, same topic, same client settings. */
  record ReaderIdentity(String bootstrapServers, String topic, Map<String, String> overrides) {}

  ReaderIdentity readerIdentity() {
    return new ReaderIdentity(bootstrapServers, topic, clientOverrides);
  }

  @Override
  public String toString() {
    // Overrides may hold SASL passwords: name the keys only.
    return "KafkaDekStoreConfig[bootstrapServers="
        + bootstrapServers
        + ", topic="
        + topic
        + ", partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", minInsyncReplicas="
        + minInsyncReplicas
        + ", cacheMaxEntries="
        + cacheMaxEntries
        + ", clientOverrideKeys="
        + clientOverrides.keySet()
        + "]";
  }
}
