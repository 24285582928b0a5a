package io.csfle.connect.reencrypt;

import io.csfle.connect.testkit.ClusterExtension;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * The re-encryption ITs' cluster (one broker ready for transactions, N workers with exactly-once
 * source support), writing source topics encrypted by EncryptField or in plaintext, reading a topic
 * as a read_committed consumer, and decrypting target records with DecryptField.
 */
final class ReencryptClusterSupport {
  static final String BYTE_ARRAY_CONVERTER =
      "org.apache.kafka.connect.converters.ByteArrayConverter";

  /**
   * Timestamp of record 0; record i gets this + i. Recent on purpose: the broker's time-based
   * retention would delete older records while a test runs.
   */
  static final long BASE_TIMESTAMP = System.currentTimeMillis() - 3_600_000L;

  private ReencryptClusterSupport() {}

  /**
   * The job's test cluster: {@code workers} workers with byte-array keys and JSON values, quick
   * offset flushes, and tasks of a stopped worker moving within a second rather than five minutes;
   * exactly-once source support when asked.
   */
  static ClusterExtension clusters(int workers, boolean exactlyOnce) {
    ClusterExtension clusters =
        ClusterExtension.connect("reencrypt-it")
            .workers(workers)
            .worker("key.converter", BYTE_ARRAY_CONVERTER)
            .worker("value.converter", JsonConverter.class.getName())
            .worker("offset.flush.interval.ms", "500")
            .worker("scheduled.rebalance.max.delay.ms", "1000");
    return exactlyOnce ? clusters.exactlyOnce() : clusters;
  }

  /** The job's connector config: from {@code topics} under OLD_KEK to NEW_KEK, rotation mode. */
  static Map<String, String> jobConfig(
      EmbeddedConnectCluster cluster, String registryUrl, String topics, int tasks) {
    Map<String, String> config =
        ReencryptFixtures.keyConfig(registryUrl, ReencryptFixtures.NEW_KEK);
    config.put("connector.class", ReencryptSourceConnector.class.getName());
    config.put("tasks.max", Integer.toString(tasks));
    config.put("key.converter", BYTE_ARRAY_CONVERTER);
    config.put("header.converter", BYTE_ARRAY_CONVERTER);
    config.put("value.converter", JsonConverter.class.getName());
    config.put("value.converter.schemas.enable", "true");
    config.put("exactly.once.support", "required");
    config.put("source.bootstrap.servers", cluster.kafka().bootstrapServers());
    config.put("topics", topics);
    config.put("source.encrypt.kek.name", ReencryptFixtures.OLD_KEK);
    config.put("progress.log.interval.ms", "2000");
    config.put("max.retries", "2");
    return config;
  }

  /**
   * JSON values of {@code orders}, encrypted with the latest DEK of {@code kek} by EncryptField.
   */
  static List<byte[]> encryptAll(
      String registryUrl, String kek, String topic, List<Struct> orders) {
    return encryptAll(ReencryptFixtures.keyConfig(registryUrl, kek), topic, orders);
  }

  /** JSON values of {@code orders}, encrypted by EncryptField with {@code transformConfig}. */
  static List<byte[]> encryptAll(
      Map<String, String> transformConfig, String topic, List<Struct> orders) {
    List<byte[]> values = new ArrayList<>();
    JsonConverter json = ReencryptFixtures.json();
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(transformConfig);
      for (Struct order : orders) {
        SourceRecord encrypted =
            encrypt.apply(new SourceRecord(null, null, topic, 0, order.schema(), order));
        values.add(json.fromConnectData(topic, encrypted.valueSchema(), encrypted.value()));
      }
    }
    return values;
  }

  /** Produces {@code values} with keys {@code key-<id>}, record i to partition i % partitions. */
  static void produce(
      EmbeddedConnectCluster cluster,
      String topic,
      int partitions,
      List<Long> ids,
      List<byte[]> values) {
    try (KafkaProducer<byte[], byte[]> producer =
        cluster.kafka().createProducer(Map.of("linger.ms", 20, "batch.size", 262_144))) {
      for (int i = 0; i < values.size(); i++) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                topic,
                (int) (ids.get(i) % partitions),
                BASE_TIMESTAMP + ids.get(i),
                ReencryptFixtures.utf8("key-" + ids.get(i)),
                values.get(i));
        record.headers().add("trace", ReencryptFixtures.utf8("t-" + ids.get(i)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /**
   * Every committed record of {@code topic}, read until {@code expected} arrived and 1 s of quiet.
   */
  static List<ConsumerRecord<byte[], byte[]>> readCommitted(
      EmbeddedConnectCluster cluster, String topic, int expected, Duration timeout, Runnable onWait)
      throws InterruptedException {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumer(props)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          onWait.run();
          Thread.sleep(200); // the connector creates the topic when it starts
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long quietSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        int before = records.size();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        if (records.size() != before) {
          quietSince = System.nanoTime();
        } else if (records.size() >= expected
            && System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos()) {
          break;
        }
        onWait.run();
      }
    }
    return records;
  }

  /** Fails at once, with the task traces, when a task of {@code connector} failed. */
  static Runnable failFastOn(EmbeddedConnectCluster cluster, String connector) {
    return () -> {
      try {
        var status = cluster.connectorStatus(connector);
        List<String> failed =
            status.tasks().stream()
                .filter(t -> "FAILED".equals(t.state()))
                .map(t -> t.id() + ": " + t.trace())
                .toList();
        if (!failed.isEmpty()) {
          throw new AssertionError("Tasks of " + connector + " failed: " + failed);
        }
      } catch (ConnectRestException e) {
        // no status yet
      }
    };
  }

  /** The value of a record read from Kafka, decrypted with {@code kek} as a reader would. */
  static Struct decrypt(DecryptField<SinkRecord> decrypt, ConsumerRecord<byte[], byte[]> r) {
    var value = ReencryptFixtures.json().toConnectData(r.topic(), r.value());
    SinkRecord sink =
        new SinkRecord(
            r.topic(), r.partition(), null, null, value.schema(), value.value(), r.offset());
    return (Struct) decrypt.apply(sink).value();
  }

  static DecryptField<SinkRecord> decryptor(String registryUrl, String kek) {
    DecryptField<SinkRecord> decrypt = new DecryptField.Value<>();
    decrypt.configure(ReencryptFixtures.keyConfig(registryUrl, kek));
    return decrypt;
  }

  static Map<Integer, Long> countByPartition(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
  }

  static String text(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
