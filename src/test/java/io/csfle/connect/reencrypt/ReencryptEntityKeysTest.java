package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptFixtures.NEW_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.TOPIC;
import static io.csfle.connect.reencrypt.ReencryptFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.transforms.DecryptField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moving data to entity keys: a target {@code dek.subject} that reads record data writes each
 * record under its entity's key, as EncryptField with the same settings would, so DecryptField with
 * that template reads it back, from a source encrypted per topic or in plaintext.
 */
class ReencryptEntityKeysTest {
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final String CUSTOMER_SUBJECT = "customer-${value.id}";

  private InMemoryDekRegistryServer registry;
  private MockConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> source = new ArrayList<>();
  private ReencryptSourceTask task;

  @BeforeEach
  void startRegistry() {
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    consumer = new MockConsumer<>("earliest");
  }

  @AfterEach
  void stop() {
    if (task != null) {
      task.stop();
    }
    registry.close();
  }

  /** The job from OLD_KEK per topic to NEW_KEK under each customer's entity key. */
  private Map<String, String> toEntityKeys() {
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("dek.subject", CUSTOMER_SUBJECT);
    config.put("source.dek.subject", "${topic}-value");
    return config;
  }

  private void addSource(byte[] value) {
    long offset = source.size();
    source.add(
        new ConsumerRecord<>(
            TOPIC,
            0,
            offset,
            1_000L + offset,
            TimestampType.CREATE_TIME,
            -1,
            -1,
            ReencryptFixtures.utf8("key-" + offset),
            value,
            new RecordHeaders(),
            Optional.empty()));
  }

  private List<SourceRecord> run(Map<String, String> config) throws InterruptedException {
    consumer.updateBeginningOffsets(Map.of(TP, 0L));
    consumer.updateEndOffsets(Map.of(TP, (long) source.size()));
    consumer.schedulePollTask(() -> source.forEach(consumer::addRecord));
    Map<String, String> props = new HashMap<>(config);
    props.put(
        ReencryptSourceConfig.TASK_PARTITIONS_CONFIG, SourcePartitions.encode(TP, source.size()));
    task = new ReencryptSourceTask(c -> consumer);
    task.initialize(ReencryptFixtures.context(Map.of()));
    task.start(props);
    List<SourceRecord> all = new ArrayList<>();
    for (int i = 0; i < 20 && !task.progress().isComplete(); i++) {
      List<SourceRecord> batch = task.poll();
      if (batch != null) {
        all.addAll(batch);
      }
    }
    return all;
  }

  /** DecryptField under NEW_KEK with {@code subjects} (and the fallback, if any). */
  private Struct decrypt(SourceRecord output, String subjects, String fallback) {
    Map<String, String> config = ReencryptFixtures.keyConfig(registry.url(), NEW_KEK);
    config.put("dek.subject", subjects);
    if (fallback != null) {
      config.put("dek.subject.fallback", fallback);
    }
    try (DecryptField<SinkRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(config);
      SinkRecord sink =
          new SinkRecord(output.topic(), 0, null, null, output.valueSchema(), output.value(), 0L);
      return (Struct) decrypt.apply(sink).value();
    }
  }

  private List<Integer> versions(String kek, String subject) {
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      return store.listDekVersions(new DekSubject(kek, subject, DekAlgorithm.AES256_GCM), false);
    }
  }

  @Test
  void perTopicSource_isReencryptedUnderEachCustomersEntityKeyAndDecryptFieldReadsIt()
      throws Exception {
    for (long id = 1; id <= 3; id++) {
      addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, order(id)));
    }

    List<SourceRecord> out = run(toEntityKeys());

    assertThat(out).hasSize(3);
    for (int i = 0; i < out.size(); i++) {
      long id = i + 1;
      assertThat(decrypt(out.get(i), CUSTOMER_SUBJECT, null)).isEqualTo(order(id));
      assertThat(versions(NEW_KEK + "-entities", "customer-" + id)).containsExactly(1);
      assertThat(versions(NEW_KEK, "customer-" + id)).isEmpty();
    }
    assertThat(versions(NEW_KEK, "orders.reencrypted-value")).isEmpty();
    // The fields moved off the topic's key: read per topic, they no longer decrypt.
    assertThatThrownBy(() -> decrypt(out.get(0), "${topic}-value", null))
        .isInstanceOf(DataException.class);
    assertThat(task.counts()).containsEntry("reencrypted", 3L).containsEntry("failed", 0L);
  }

  @Test
  void plaintextSource_isEncryptedUnderEachCustomersEntityKey() throws Exception {
    addSource(ReencryptFixtures.plainJson(order(7)));
    addSource(ReencryptFixtures.plainJson(order(8)));
    Map<String, String> config = toEntityKeys();
    config.remove("source.encrypt.kek.name");
    config.remove("source.dek.subject");
    config.put("source.plaintext", "true");

    List<SourceRecord> out = run(config);

    assertThat(out).hasSize(2);
    assertThat(((Struct) out.get(0).value()).getString("email")).isNotEqualTo("user7@example.com");
    assertThat(decrypt(out.get(0), CUSTOMER_SUBJECT, null)).isEqualTo(order(7));
    assertThat(decrypt(out.get(1), CUSTOMER_SUBJECT, null)).isEqualTo(order(8));
    assertThat(versions(NEW_KEK + "-entities", "customer-7")).containsExactly(1);
    assertThat(versions(NEW_KEK + "-entities", "customer-8")).containsExactly(1);
  }

  @Test
  void entityKeysSource_isMovedToANewKekUnderTheSameSubjects() throws Exception {
    for (long id = 1; id <= 2; id++) {
      addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, order(id)));
    }
    List<SourceRecord> underEntityKeys = run(toEntityKeys());
    task.stop();
    // The first job's output, under NEW_KEK's entity keys, is the second job's source.
    source.clear();
    consumer = new MockConsumer<>("earliest");
    for (SourceRecord r : underEntityKeys) {
      addSource(ReencryptFixtures.json().fromConnectData(TOPIC, r.valueSchema(), r.value()));
    }
    Map<String, String> config = ReencryptFixtures.keyConfig(registry.url(), "third-kek");
    config.putAll(Map.of("source.bootstrap.servers", "localhost:9", "topics", TOPIC));
    config.put("source.encrypt.kek.name", NEW_KEK);
    config.put("source.value.converter.schemas.enable", "true");
    config.put("source.poll.timeout.ms", "10");
    config.put("dek.subject", CUSTOMER_SUBJECT);

    List<SourceRecord> out = run(config);

    assertThat(out).hasSize(2);
    for (int i = 0; i < out.size(); i++) {
      long id = i + 1;
      assertThat(versions("third-kek-entities", "customer-" + id)).containsExactly(1);
      Map<String, String> reader = ReencryptFixtures.keyConfig(registry.url(), "third-kek");
      reader.put("dek.subject", CUSTOMER_SUBJECT);
      try (DecryptField<SinkRecord> decrypt = new DecryptField.Value<>()) {
        decrypt.configure(reader);
        SourceRecord r = out.get(i);
        SinkRecord sink = new SinkRecord(r.topic(), 0, null, null, r.valueSchema(), r.value(), 0L);
        assertThat(decrypt.apply(sink).value()).isEqualTo(order(id));
      }
    }
  }

  @Test
  void missingTemplateData_failsTheTaskNamingThePlaceholder() throws Exception {
    addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, order(1)));
    Map<String, String> config = toEntityKeys();
    config.put("dek.subject", "customer-${value.customer_id}");

    assertThatThrownBy(() -> run(config))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'orders', partition 0, offset 0")
        .hasMessageContaining("${value.customer_id}")
        .hasMessageNotContaining("user1@example.com");
  }

  @Test
  void missingTemplateData_withErrorsTopic_goesThereUnchanged() throws Exception {
    addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, order(1)));
    Map<String, String> config = toEntityKeys();
    config.put("dek.subject", "customer-${value.customer_id}");
    config.put("errors.topic", "orders.errors");

    List<SourceRecord> out = run(config);

    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo("orders.errors");
              Object unchanged =
                  ReencryptFixtures.json().toConnectData(TOPIC, source.get(0).value()).value();
              assertThat(r.value()).isEqualTo(unchanged);
            });
    assertThat(task.counts()).containsEntry("failed", 1L);
  }

  @Test
  void missingTemplateData_withFallback_isWrittenUnderTheFallbackSubject() throws Exception {
    addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, order(1)));
    Map<String, String> config = toEntityKeys();
    config.put("dek.subject", "customer-${value.customer_id}");
    config.put("dek.subject.fallback", "${topic}-unknown");

    List<SourceRecord> out = run(config);

    assertThat(out).hasSize(1);
    assertThat(decrypt(out.get(0), "customer-${value.customer_id}", "${topic}-unknown"))
        .isEqualTo(order(1));
    assertThat(task.counts()).containsEntry("reencrypted", 1L).containsEntry("failed", 0L);
  }
}
