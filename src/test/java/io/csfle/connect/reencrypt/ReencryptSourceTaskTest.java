package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptFixtures.NEW_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.TOPIC;
import static io.csfle.connect.reencrypt.ReencryptFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
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
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReencryptSourceTaskTest {
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  private InMemoryDekRegistryServer registry;
  private MockConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> source = new ArrayList<>();
  private final List<Struct> plaintexts = new ArrayList<>();
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

  /** Source records 0..count-1, the first half under DEK v1 and the rest under v2 of OLD_KEK. */
  private void writeSource(int count) {
    for (int i = 0; i < count; i++) {
      int version = i < count / 2 ? 1 : 2;
      ReencryptFixtures.rotateTo(registry.url(), OLD_KEK, "orders-value", version);
      Struct plain = order(i);
      plaintexts.add(plain);
      addSource(ReencryptFixtures.encryptedJson(registry.url(), OLD_KEK, plain));
    }
  }

  private void addSource(byte[] value) {
    long offset = source.size();
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", ReencryptFixtures.utf8("t-" + offset));
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
            headers,
            Optional.empty()));
  }

  private void startTask(
      Map<String, String> config, Map<Map<String, Object>, Map<String, Object>> stored) {
    consumer.updateBeginningOffsets(Map.of(TP, 0L));
    consumer.updateEndOffsets(Map.of(TP, (long) source.size()));
    consumer.schedulePollTask(() -> source.forEach(consumer::addRecord));
    Map<String, String> props = new HashMap<>(config);
    props.put(
        ReencryptSourceConfig.TASK_PARTITIONS_CONFIG, SourcePartitions.encode(TP, source.size()));
    task = new ReencryptSourceTask(c -> consumer);
    task.initialize(ReencryptFixtures.context(stored));
    task.start(props);
  }

  private List<SourceRecord> pollAll(int max) throws InterruptedException {
    List<SourceRecord> all = new ArrayList<>();
    for (int i = 0; i < max && !task.progress().isComplete(); i++) {
      List<SourceRecord> batch = task.poll();
      if (batch != null) {
        all.addAll(batch);
      }
    }
    return all;
  }

  @Test
  void recordsUnderTwoDekVersions_comeOutUnderTheTargetKekAndDecryptToTheirPlaintext()
      throws Exception {
    writeSource(6);
    ReencryptFixtures.rotateTo(registry.url(), NEW_KEK, "orders.reencrypted-value", 3);
    startTask(ReencryptFixtures.jobConfig(registry.url()), Map.of());

    List<SourceRecord> out = pollAll(20);

    assertThat(out).hasSize(6);
    for (int i = 0; i < out.size(); i++) {
      SourceRecord r = out.get(i);
      assertThat(r.topic()).isEqualTo("orders.reencrypted");
      assertThat(r.kafkaPartition()).isZero();
      assertThat((byte[]) r.key()).isEqualTo(ReencryptFixtures.utf8("key-" + i));
      assertThat(r.timestamp()).isEqualTo(1_000L + i);
      Header trace = r.headers().lastWithName("trace");
      assertThat((byte[]) trace.value()).isEqualTo(ReencryptFixtures.utf8("t-" + i));
      assertThat(r.sourcePartition()).isEqualTo(Map.of("topic", TOPIC, "partition", 0));
      assertThat(r.sourceOffset()).isEqualTo(Map.of("offset", (long) i));
      Struct value = (Struct) r.value();
      assertThat(ReencryptFixtures.versionOf(value.getString("email"))).isEqualTo(3);
      assertThat(ReencryptFixtures.versionOf(value.getString("amount"))).isEqualTo(3);
      assertThat(ReencryptFixtures.decrypt(registry.url(), NEW_KEK, r))
          .isEqualTo(plaintexts.get(i));
    }
    assertThat(task.counts()).containsEntry("reencrypted", 6L).containsEntry("skipped", 0L);
    assertThat(task.progress().summaryJson()).contains("\"sourceDekVersions\":{\"1\":3,\"2\":3}");
  }

  @Test
  void storedOffset_resumesAtTheNextRecord() throws Exception {
    writeSource(4);
    startTask(
        ReencryptFixtures.jobConfig(registry.url()),
        Map.of(RecordReencryptor.sourcePartition(TOPIC, 0), Map.of("offset", 1L)));

    List<SourceRecord> out = pollAll(20);

    assertThat(out.stream().<Object>map(r -> r.sourceOffset().get("offset")).toList())
        .containsExactly(2L, 3L);
  }

  @Test
  void storedOffsetAtTheEnd_readsNothingAndCompletes() throws Exception {
    writeSource(3);
    startTask(
        ReencryptFixtures.jobConfig(registry.url()),
        Map.of(RecordReencryptor.sourcePartition(TOPIC, 0), Map.of("offset", 2L)));

    assertThat(pollAll(5)).isEmpty();
    assertThat(task.progress().isComplete()).isTrue();
    assertThat(task.progress().done()).isZero();
  }

  @Test
  void recordAlreadyAtTheTarget_isPassedThroughUnchangedAndCountedSkipped() throws Exception {
    ReencryptFixtures.rotateTo(registry.url(), NEW_KEK, "orders-value", 1);
    addSource(ReencryptFixtures.encryptedJson(registry.url(), NEW_KEK, order(1)));
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("target.topic.format", "${topic}.copy");
    config.put("dek.subject", "orders-value"); // target subject = the source's
    config.put("source.encrypt.kek.name", "");

    startTask(config, Map.of());
    List<SourceRecord> out = pollAll(20);

    assertThat(out).hasSize(1);
    Struct original =
        (Struct) ReencryptFixtures.json().toConnectData(TOPIC, source.get(0).value()).value();
    assertThat(out.get(0).value()).isEqualTo(original);
    assertThat(task.counts()).containsEntry("skipped", 1L).containsEntry("reencrypted", 0L);
  }

  @Test
  void inPlace_tailAlreadyAtTheTarget_storesThePartitionEndThroughTheReportTopic()
      throws Exception {
    ReencryptFixtures.rotateTo(registry.url(), NEW_KEK, "orders-value", 1);
    addSource(ReencryptFixtures.encryptedJson(registry.url(), NEW_KEK, order(0)));
    addSource(ReencryptFixtures.encryptedJson(registry.url(), NEW_KEK, order(1)));
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("target.topic.format", "${topic}");
    config.put("dek.subject", "orders-value");
    config.put("source.encrypt.kek.name", "");
    config.put("report.topic", "orders.report");

    startTask(config, Map.of());
    List<SourceRecord> out = pollAll(20);

    assertThat(out).extracting(SourceRecord::topic).containsOnly("orders.report");
    assertThat(out).hasSize(2);
    SourceRecord end = out.get(0);
    assertThat(end.sourcePartition()).isEqualTo(RecordReencryptor.sourcePartition(TOPIC, 0));
    assertThat(end.sourceOffset()).isEqualTo(Map.of("offset", 1L));
    assertThat((String) end.value())
        .isEqualTo(
            "{\"event\":\"partition-end\",\"task\":\"task 0\",\"topic\":\"orders\","
                + "\"partition\":0,\"endOffset\":2}");
    assertThat((String) out.get(1).value()).startsWith("{\"task\":").contains("\"skipped\":2");
  }

  @Test
  void sourcePartition_isTheSameBytesAfterConnectsJsonRoundTrip() {
    // Connect finds a stored offset by the key's JSON bytes, and rebuilds keys it reads as maps.
    org.apache.kafka.connect.json.JsonConverter converter =
        new org.apache.kafka.connect.json.JsonConverter();
    converter.configure(Map.of("schemas.enable", "false"), true);
    for (int partition = 0; partition < 20; partition++) {
      List<Object> key = List.of("job", RecordReencryptor.sourcePartition("topic-" + partition, 3));
      byte[] written = converter.fromConnectData("ns", null, key);
      Object readBack = converter.toConnectData("ns", written).value();
      assertThat(converter.fromConnectData("ns", null, readBack)).isEqualTo(written);
    }
  }

  @Test
  void lastRecordWritten_needsNoPartitionEndRecord() throws Exception {
    writeSource(2);
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("report.topic", "orders.report");
    startTask(config, Map.of());

    List<SourceRecord> out = pollAll(20);

    assertThat(out)
        .extracting(SourceRecord::topic)
        .containsExactly("orders.reencrypted", "orders.reencrypted", "orders.report");
    assertThat((String) out.get(2).value()).startsWith("{\"task\":");
  }

  @Test
  void tamperedCiphertext_failsTheTaskNamingTheRecordButNoValue() throws Exception {
    writeSource(2);
    source.set(1, withValue(source.get(1), tampered(source.get(1).value())));
    startTask(ReencryptFixtures.jobConfig(registry.url()), Map.of());

    assertThatThrownBy(() -> pollAll(20))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("partition 0, offset 1")
        .hasMessageContaining("field 'email'")
        .hasMessageNotContaining("user1@example.com");
  }

  @Test
  void tamperedCiphertext_withErrorsTopic_goesThereUnchangedWithItsCoordinates() throws Exception {
    writeSource(2);
    SourceRecord error = errorRecordOf(withValue(source.get(1), tampered(source.get(1).value())));

    Object unchanged = ReencryptFixtures.json().toConnectData(TOPIC, source.get(1).value()).value();
    assertThat(error.value()).isEqualTo(unchanged);
    assertThat(error.sourceOffset()).isEqualTo(Map.of("offset", 1L));
    assertThat(header(error, "csfle.reencrypt.source.topic")).isEqualTo(TOPIC);
    assertThat(header(error, "csfle.reencrypt.source.partition")).isEqualTo("0");
    assertThat(header(error, "csfle.reencrypt.source.offset")).isEqualTo("1");
    assertThat(header(error, "csfle.reencrypt.error.class")).startsWith("io.csfle.connect.crypto");
    assertThat(task.counts()).containsEntry("failed", 1L).containsEntry("reencrypted", 1L);
  }

  @Test
  void unreadableValue_withErrorsTopic_goesThereAsItsRawBytes() throws Exception {
    writeSource(2);
    byte[] garbage = ReencryptFixtures.utf8("{not json");
    SourceRecord error = errorRecordOf(withValue(source.get(1), garbage));

    assertThat(error.valueSchema()).isEqualTo(Schema.OPTIONAL_BYTES_SCHEMA);
    assertThat((byte[]) error.value()).isEqualTo(garbage);
    assertThat((byte[]) error.key()).isEqualTo(source.get(1).key());
    assertThat(error.kafkaPartition()).isNull(); // the errors topic may have fewer partitions
    assertThat(error.sourceOffset()).isEqualTo(Map.of("offset", 1L));
    assertThat(header(error, "csfle.reencrypt.source.offset")).isEqualTo("1");
    assertThat(header(error, "csfle.reencrypt.error.class"))
        .isEqualTo("org.apache.kafka.connect.errors.DataException");
    assertThat(task.counts()).containsEntry("failed", 1L).containsEntry("reencrypted", 1L);
  }

  @Test
  void unreadableValue_withoutErrorsTopic_failsTheTaskNamingTheRecord() throws Exception {
    writeSource(2);
    source.set(1, withValue(source.get(1), ReencryptFixtures.utf8("{not json")));
    startTask(ReencryptFixtures.jobConfig(registry.url()), Map.of());

    assertThatThrownBy(() -> pollAll(20))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'orders', partition 0, offset 1")
        .hasMessageNotContaining("not json");
  }

  @Test
  void verifyMode_writesNothingAndCountsWhatWouldFail() throws Exception {
    writeSource(3);
    source.set(0, withValue(source.get(0), tampered(source.get(0).value())));
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("mode", "verify");
    config.put("report.topic", "orders.report");
    startTask(config, Map.of());

    List<SourceRecord> out = pollAll(20);

    // Nothing but the report, which the poll that completes the task returns.
    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo("orders.report");
              assertThat((String) r.value()).contains("\"failed\":1").contains("\"reencrypted\":2");
            });
    assertThat(task.poll()).isNull();
    assertThat(task.counts()).containsEntry("failed", 1L);
  }

  @Test
  void plaintextSource_isEncryptedWithTheTargetKek() throws Exception {
    addSource(ReencryptFixtures.plainJson(order(5)));
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.remove("source.encrypt.kek.name");
    config.put("source.plaintext", "true");
    startTask(config, Map.of());

    List<SourceRecord> out = pollAll(20);

    assertThat(out).hasSize(1);
    Struct value = (Struct) out.get(0).value();
    assertThat(value.getString("email")).isNotEqualTo("user5@example.com");
    assertThat(ReencryptFixtures.decrypt(registry.url(), NEW_KEK, out.get(0))).isEqualTo(order(5));
  }

  @Test
  void rateLimit_boundsTheRecordsOfOnePoll() throws Exception {
    writeSource(6);
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("max.records.per.second", "4");
    startTask(config, Map.of());

    List<SourceRecord> first = null;
    for (int i = 0; i < 5 && first == null; i++) {
      first = task.poll();
    }

    assertThat(first).hasSize(4);
  }

  @Test
  void stop_wakesAPollAndLaterPollsReturnNothing() throws Exception {
    writeSource(1);
    startTask(ReencryptFixtures.jobConfig(registry.url()), Map.of());
    task.stop();

    assertThat(task.poll()).isNull();
    task = null;
  }

  @Test
  void schemalessJson_isReencryptedAndDecryptsToTheSameMap() throws Exception {
    JsonConverter schemaless = new JsonConverter();
    schemaless.configure(Map.of("schemas.enable", "false"), false);
    List<Map<String, Object>> plain = new ArrayList<>();
    ReencryptFixtures.rotateTo(registry.url(), OLD_KEK, "orders-value", 1);
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(ReencryptFixtures.keyConfig(registry.url(), OLD_KEK));
      for (long i = 0; i < 3; i++) {
        Map<String, Object> order = new HashMap<>();
        order.put("id", i);
        order.put("email", "user" + i + "@example.com");
        order.put("amount", i * 100);
        plain.add(order);
        Object encrypted = encrypt.apply(ReencryptFixtures.record(null, order)).value();
        addSource(schemaless.fromConnectData(TOPIC, null, encrypted));
      }
    }
    ReencryptFixtures.rotateTo(registry.url(), NEW_KEK, "orders.reencrypted-value", 2);
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("source.value.converter.schemas.enable", "false");
    startTask(config, Map.of());

    List<SourceRecord> out = pollAll(20);

    assertThat(out).hasSize(3);
    try (DecryptField<SinkRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(ReencryptFixtures.keyConfig(registry.url(), NEW_KEK));
      for (int i = 0; i < out.size(); i++) {
        SourceRecord r = out.get(i);
        assertThat(r.valueSchema()).isNull();
        Map<?, ?> value = (Map<?, ?>) r.value();
        assertThat(ReencryptFixtures.versionOf((String) value.get("email"))).isEqualTo(2);
        assertThat(ReencryptFixtures.versionOf((String) value.get("amount"))).isEqualTo(2);
        SinkRecord sink = new SinkRecord(r.topic(), 0, null, null, null, value, i);
        assertThat(decrypt.apply(sink).value()).isEqualTo(plain.get(i));
      }
    }
    assertThat(task.counts()).containsEntry("reencrypted", 3L);
  }

  /**
   * Replaces the second of two source records with {@code bad}, runs a job with an errors topic,
   * and returns what went there (the first record must come out re-encrypted).
   */
  private SourceRecord errorRecordOf(ConsumerRecord<byte[], byte[]> bad) throws Exception {
    source.set(1, bad);
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("errors.topic", "orders.errors");
    startTask(config, Map.of());

    List<SourceRecord> out = pollAll(20);

    assertThat(out)
        .extracting(SourceRecord::topic)
        .containsExactly("orders.reencrypted", "orders.errors");
    return out.get(1);
  }

  private static String header(SourceRecord record, String name) {
    return new String(
        (byte[]) record.headers().lastWithName(name).value(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The JSON value with one character of the email ciphertext changed. */
  private static byte[] tampered(byte[] json) {
    String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    int at = text.indexOf("\"email\":\"") + "\"email\":\"".length() + 12;
    char c = text.charAt(at);
    return ReencryptFixtures.utf8(
        text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1));
  }

  private static ConsumerRecord<byte[], byte[]> withValue(
      ConsumerRecord<byte[], byte[]> r, byte[] value) {
    return new ConsumerRecord<>(
        r.topic(),
        r.partition(),
        r.offset(),
        r.timestamp(),
        r.timestampType(),
        -1,
        -1,
        r.key(),
        value,
        r.headers(),
        Optional.empty());
  }
}
