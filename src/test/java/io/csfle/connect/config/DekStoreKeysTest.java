package io.csfle.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DekStoreKeysTest {

  private static FieldCryptoConfig config(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("fields", "email");
    props.put("encrypt.kek.name", "kek");
    props.put("dek.store", "Kafka");
    props.put("dek.store.bootstrap.servers", " broker-1:9093,broker-2:9093 ");
    props.putAll(extra);
    return new FieldCryptoConfig(FieldCryptoConfig.definition(), props);
  }

  @Test
  void defaults_topicKeysOnePartitionBrokerReplication() {
    FieldCryptoConfig config = config(Map.of());

    KafkaDekStoreConfig store = DekStoreKeys.kafkaStoreConfig(config);

    assertThat(DekStoreKeys.usesKafka(config)).isTrue();
    assertThat(store.bootstrapServers()).isEqualTo("broker-1:9093,broker-2:9093");
    assertThat(store.topic()).isEqualTo("_csfle_keys");
    assertThat(store.partitions()).isEqualTo(1);
    assertThat(store.replicationFactor()).isEqualTo((short) -1);
    assertThat(store.minInsyncReplicas()).isNull();
    assertThat(store.clientOverrides()).isEmpty();
    assertThat(store.cacheMaxEntries()).isEqualTo(KafkaDekStoreConfig.DEFAULT_CACHE_MAX_ENTRIES);
  }

  @Test
  void clientPrefix_becomesClientOverridesWithoutThePrefix_andToStringHidesTheirValues() {
    FieldCryptoConfig config =
        config(
            Map.of(
                "dek.store.topic", "keys",
                "dek.store.topic.partitions", "3",
                "dek.store.topic.replication.factor", "3",
                "dek.store.topic.min.insync.replicas", "2",
                "dek.store.cache.max.entries", "500",
                "dek.store.client.security.protocol", "SASL_SSL",
                "dek.store.client.sasl.jaas.config", "module required password=\"s3cr3t\";"));

    KafkaDekStoreConfig store = DekStoreKeys.kafkaStoreConfig(config);

    assertThat(store.topic()).isEqualTo("keys");
    assertThat(store.partitions()).isEqualTo(3);
    assertThat(store.replicationFactor()).isEqualTo((short) 3);
    assertThat(store.minInsyncReplicas()).isEqualTo(2);
    assertThat(store.cacheMaxEntries()).isEqualTo(500);
    assertThat(store.clientOverrides())
        .containsOnlyKeys("security.protocol", "sasl.jaas.config")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(store.toString()).contains("sasl.jaas.config").doesNotContain("s3cr3t");
  }

  @Test
  void registryIsTheDefaultStore() {
    Map<String, String> props = new HashMap<>();
    props.put("fields", "email");
    props.put("encrypt.kek.name", "kek");
    assertThat(DekStoreKeys.usesKafka(new FieldCryptoConfig(FieldCryptoConfig.definition(), props)))
        .isFalse();
  }
}
