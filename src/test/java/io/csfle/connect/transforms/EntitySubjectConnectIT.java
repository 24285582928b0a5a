package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.ConnectClusterSupport.KEK_NAME;
import static io.csfle.connect.transforms.ConnectClusterSupport.KMS_KEY_ID;
import static io.csfle.connect.transforms.ConnectClusterSupport.SECRET;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.errorsByKey;
import static io.csfle.connect.transforms.ConnectClusterSupport.indexOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.csfle.connect.config.DekStoreKeys;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.config.RegistryKeys;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.kafka.KafkaDekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testing.CustomerSourceConnector;
import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dek.subject=customer-${value.customer_id}} on a real worker, with both DEK stores: the
 * records of each customer are encrypted under that customer's own DEK, the store holds one DEK
 * subject per customer (and none per topic), and a sink with {@link DecryptField} and the same
 * template gets the plaintext back. Each customer's key is an entity key: the KMS wraps one parent
 * DEK per topic, not one DEK per customer.
 */
class EntitySubjectConnectIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-entity-subjects", "service_load").withRegistry();

  private static final String FIELDS = "email,customer.email,card";
  private static final String TEMPLATE = "customer-${value.customer_id}";
  private static final String KEY_TOPIC = "_csfle_keys_entities_it";
  private static final int COUNT = 20;

  private static Map<String, String> perCustomer(Map<String, String> store) {
    Map<String, String> extra = new HashMap<>(store);
    extra.put(KekKeys.SUBJECT_CONFIG, TEMPLATE);
    return extra;
  }

  private static Map<String, String> kafkaStore() {
    Map<String, String> store = new HashMap<>();
    store.put(DekStoreKeys.STORE_CONFIG, "kafka");
    store.put(DekStoreKeys.BOOTSTRAP_CONFIG, clusters.connectCluster().kafka().bootstrapServers());
    store.put(DekStoreKeys.TOPIC_CONFIG, KEY_TOPIC);
    store.put(DekStoreKeys.REPLICATION_CONFIG, "1");
    store.put(DekStoreKeys.MIN_ISR_CONFIG, "1");
    return store;
  }

  private static KafkaDekStore openKafkaStore() {
    return KafkaDekStore.open(
        new KafkaDekStoreConfig(
            clusters.connectCluster().kafka().bootstrapServers(),
            KEY_TOPIC,
            1,
            (short) 1,
            null,
            Map.of(),
            Duration.ofSeconds(30)));
  }

  @Test
  @Timeout(120)
  void registryStore_eachCustomerGetsItsOwnDek_andTheSinkDecrypts() throws Exception {
    String registryUrl = clusters.registry().url();
    roundTrip(
        "orders-entities-registry",
        registryUrl,
        Map.of(),
        () -> new RestDekStore(RegistryClientConfig.of(registryUrl)));
  }

  @Test
  @Timeout(120)
  void kafkaStore_eachCustomerGetsItsOwnDek_andTheSinkDecrypts() throws Exception {
    roundTrip(
        "orders-entities-kafka", "unused", kafkaStore(), EntitySubjectConnectIT::openKafkaStore);
  }

  @Test
  @Timeout(60)
  void templateReadingAnEncryptedField_isReportedByTheWorkersValidation() {
    Map<String, String> config =
        withTransform(
            sourceConfig("orders-entities-validate", 1, false),
            "encrypt",
            EncryptField.Value.class,
            FIELDS,
            clusters.registry().url(),
            Map.of(KekKeys.SUBJECT_CONFIG, "customer-${value.customer.email}"));
    config.put("name", "validate-only");

    Map<String, String> errors =
        errorsByKey(
            clusters
                .connectCluster()
                .validateConnectorConfig(CustomerSourceConnector.class.getName(), config));

    assertThat(errors).containsOnlyKeys("transforms.encrypt." + KekKeys.SUBJECT_CONFIG);
    assertThat(errors.get("transforms.encrypt." + KekKeys.SUBJECT_CONFIG))
        .contains("'value.customer.email'")
        .contains("encrypts or decrypts");
  }

  private void roundTrip(
      String topic,
      String registryUrl,
      Map<String, String> store,
      Supplier<DekStoreAdmin> openStore)
      throws Exception {
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> source = sourceConfig(topic, COUNT, false);
    source.put(CustomerSourceConnector.CUSTOMER_ID_CONFIG, "true");
    start(
        "encrypt-" + topic,
        withTransform(
            source, "encrypt", EncryptField.Value.class, FIELDS, registryUrl, perCustomer(store)),
        "encrypt",
        store);
    List<ConsumerRecord<byte[], byte[]>> raw =
        rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, COUNT);

    List<String> customers =
        IntStream.range(0, CustomerRecords.DISTINCT_KEYS).mapToObj(n -> "customer-" + n).toList();
    try (DekStoreAdmin keys = openStore.get()) {
      assertThat(keys.listDekSubjects(KEK_NAME + EntityKeys.KEK_SUFFIX, false))
          .as("one entity key per customer")
          .containsExactlyInAnyOrderElementsOf(customers);
      assertThat(keys.listDekSubjects(KEK_NAME, false))
          .as("one KMS-wrapped DEK: the topic's parent, none per customer")
          .containsExactly(topic + "-entities");
      assertThat(keys.getKek(KEK_NAME + EntityKeys.KEK_SUFFIX, false).orElseThrow().kmsType())
          .isEqualTo(EntityKeys.KMS_TYPE);
      try (EntityKeys entityKeys = entityKeys(keys)) {
        for (ConsumerRecord<byte[], byte[]> record : raw) {
          assertCustomersOwnKey(entityKeys, json(record.value()).get("payload"), record.value());
        }
      }
    }

    String collector = "decrypt-" + topic;
    start(
        collector,
        withTransform(
            sinkConfig(topic, collector),
            "decrypt",
            DecryptField.Value.class,
            FIELDS,
            registryUrl,
            perCustomer(store)),
        "decrypt",
        store);
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, COUNT);
    assertThat(received).hasSize(COUNT);
    for (SinkRecord record : received) {
      int id = (int) ((Struct) record.value()).getInt64("id").longValue();
      assertThat(CustomerRecords.normalize(record.value()))
          .isEqualTo(CustomerRecords.normalize(CustomerRecords.valueWithCustomerId(id)));
    }
  }

  private static void start(
      String name, Map<String, String> config, String alias, Map<String, String> store)
      throws InterruptedException {
    if (!store.isEmpty()) {
      config.remove("transforms." + alias + "." + RegistryKeys.REGISTRY_URL_CONFIG);
    }
    clusters.startConnector(name, config);
  }

  /**
   * The record's email is in no plaintext form on the wire, decrypts under its own customer's
   * entity key and under no other customer's.
   */
  private static void assertCustomersOwnKey(EntityKeys keys, JsonNode payload, byte[] value) {
    int id = payload.get("id").asInt();
    long customer = payload.get("customer_id").asLong();
    assertThat(customer).isEqualTo(CustomerRecords.customerNumber(id));
    assertThat(indexOf(value, CustomerRecords.email(id).getBytes(UTF_8))).isEqualTo(-1);
    byte[] ciphertext = Base64.getDecoder().decode(payload.get("email").asText());

    FieldCipher own = cipher(keys, "customer-" + customer);
    assertThat(new String(own.decrypt(ciphertext, 0, ciphertext.length), UTF_8))
        .isEqualTo(CustomerRecords.email(id));
    FieldCipher other =
        cipher(keys, "customer-" + ((customer + 1) % CustomerRecords.DISTINCT_KEYS));
    assertThatThrownBy(() -> other.decrypt(ciphertext, 0, ciphertext.length))
        .as("another customer's DEK")
        .isInstanceOf(RuntimeException.class);
  }

  private static FieldCipher cipher(EntityKeys keys, String subject) {
    return keys.forVersion(subject, 1).orElseThrow();
  }

  /** A reader of the store's entity keys, apart from the transforms. */
  private static EntityKeys entityKeys(DekStoreAdmin store) {
    return new EntityKeys(
        store,
        KekProviders.standard(),
        new KekSettings(KEK_NAME, LocalKekProvider.KMS_TYPE, KMS_KEY_ID, Map.of("secret", SECRET)),
        DekAlgorithm.AES256_GCM,
        0,
        System::currentTimeMillis,
        100);
  }
}
