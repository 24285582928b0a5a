package io.csfle.connect.transforms;

import static io.csfle.connect.testing.CustomerRecords.card;
import static io.csfle.connect.testing.CustomerRecords.email;
import static io.csfle.connect.testing.CustomerRecords.normalize;
import static io.csfle.connect.transforms.ConnectClusterSupport.KEK_NAME;
import static io.csfle.connect.transforms.ConnectClusterSupport.KMS_KEY_ID;
import static io.csfle.connect.transforms.ConnectClusterSupport.SECRET;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.indexOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.csfle.connect.config.DekStoreKeys;
import io.csfle.connect.config.RegistryKeys;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.kafka.KafkaDekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A source connector with {@link EncryptField} and a sink connector with {@link DecryptField} on a
 * real worker, keeping their keys in the Kafka cluster itself ({@code dek.store=kafka}, local-kms):
 * no registry server anywhere.
 */
class KafkaDekStoreConnectIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-kafka-store", "service_load");

  private static final String FIELDS = "email,customer.email,card";
  private static final String KEY_TOPIC = "_csfle_keys_it";

  private static Map<String, String> kafkaStore() {
    Map<String, String> store = new HashMap<>();
    store.put(DekStoreKeys.STORE_CONFIG, "kafka");
    store.put(DekStoreKeys.BOOTSTRAP_CONFIG, clusters.connectCluster().kafka().bootstrapServers());
    store.put(DekStoreKeys.TOPIC_CONFIG, KEY_TOPIC);
    store.put(DekStoreKeys.REPLICATION_CONFIG, "1");
    store.put(DekStoreKeys.MIN_ISR_CONFIG, "1");
    return store;
  }

  private void start(String name, Map<String, String> config, String alias)
      throws InterruptedException {
    config.remove("transforms." + alias + "." + RegistryKeys.REGISTRY_URL_CONFIG);
    clusters.startConnector(name, config);
  }

  @Test
  @Timeout(120)
  void sourceEncryptsAndSinkDecrypts_withKeysInACompactedTopic() throws Exception {
    String topic = "orders-kafka-store";
    int count = 20;
    clusters.connectCluster().kafka().createTopic(topic, 1);
    start(
        "encrypt-" + topic,
        withTransform(
            sourceConfig(topic, count, false),
            "encrypt",
            EncryptField.Value.class,
            FIELDS,
            "unused",
            kafkaStore()),
        "encrypt");
    List<ConsumerRecord<byte[], byte[]>> raw =
        rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, count);

    // The topic holds ciphertext that the key topic's DEK (unwrapped by local-kms) decrypts.
    FieldCipher dek = winnerCipher(topic + "-value");
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode payload = json(record.value()).get("payload");
      int i = payload.get("id").asInt();
      assertThat(indexOf(record.value(), email(i).getBytes(UTF_8))).isEqualTo(-1);
      byte[] emailCiphertext = Base64.getDecoder().decode(payload.get("email").asText());
      assertThat(new String(dek.decrypt(emailCiphertext, 0, emailCiphertext.length), UTF_8))
          .isEqualTo(email(i));
      byte[] cardCiphertext = payload.get("card").binaryValue();
      assertThat(dek.decrypt(cardCiphertext, 0, cardCiphertext.length)).isEqualTo(card(i));
    }
    assertKeyTopicIsCompacted();

    String collector = "decrypt-" + topic;
    start(
        collector,
        withTransform(
            sinkConfig(topic, collector),
            "decrypt",
            DecryptField.Value.class,
            FIELDS,
            "unused",
            kafkaStore()),
        "decrypt");
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, count);
    assertThat(received).hasSize(count);
    for (SinkRecord record : received) {
      int id = ((org.apache.kafka.connect.data.Struct) record.value()).getInt64("id").intValue();
      assertThat(normalize(record.value())).isEqualTo(normalize(CustomerRecords.value(id)));
    }
  }

  private static FieldCipher winnerCipher(String subject) {
    KafkaDekStoreConfig config =
        new KafkaDekStoreConfig(
            clusters.connectCluster().kafka().bootstrapServers(),
            KEY_TOPIC,
            1,
            (short) 1,
            null,
            Map.of("metadata.max.age.ms", "299999"),
            Duration.ofSeconds(30));
    try (KafkaDekStore store = KafkaDekStore.open(config)) {
      RegisteredDek dek =
          store
              .getDek(new DekSubject(KEK_NAME, subject, DekAlgorithm.AES256_GCM), 1, false)
              .orElseThrow();
      byte[] proto =
          KekProviders.standard()
              .create(LocalKekProvider.KMS_TYPE, KMS_KEY_ID, Map.of("secret", SECRET))
              .unwrap(dek.encryptedKeyMaterial());
      return FieldCipher.of(DekAlgorithm.AES256_GCM, proto);
    }
  }

  private static void assertKeyTopicIsCompacted() throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, KEY_TOPIC);
    try (Admin admin = clusters.connectCluster().kafka().createAdminClient()) {
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
    }
  }
}
