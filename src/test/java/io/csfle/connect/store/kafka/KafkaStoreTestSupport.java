package io.csfle.connect.store.kafka;

import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/** A one-broker cluster per test class, a fresh key topic per test, and shared test data. */
public final class KafkaStoreTestSupport {
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private KafkaStoreTestSupport() {}

  /** One broker without topic auto-creation, whose log cleaner runs within seconds. */
  public static ClusterExtension broker() {
    return ClusterExtension.kafkaOnly()
        .broker("auto.create.topics.enable", "false")
        // Lets a test with tiny segments see the log cleaner run within seconds.
        .broker("log.cleaner.backoff.ms", "100");
  }

  static String freshTopic(String prefix) {
    return "_csfle_keys_" + prefix + "_" + TOPICS.incrementAndGet();
  }

  /** A store config; a distinct {@code clientTag} gives the store its own clients and reader. */
  static KafkaDekStoreConfig config(
      EmbeddedKafkaCluster kafka, String topic, int partitions, String clientTag) {
    Map<String, String> overrides =
        clientTag == null ? Map.of() : Map.of("metadata.max.age.ms", tagValue(clientTag));
    return new KafkaDekStoreConfig(
        kafka.bootstrapServers(),
        topic,
        partitions,
        (short) 1,
        null,
        overrides,
        Duration.ofSeconds(30));
  }

  /** A harmless per-client setting whose only purpose is to make reader identities differ. */
  private static String tagValue(String clientTag) {
    return Integer.toString(300_000 + Math.floorMod(clientTag.hashCode(), 100_000));
  }

  /** Every record of every partition of {@code topic}, as the broker stores them. */
  public static List<ConsumerRecord<byte[], byte[]>> rawRecords(
      EmbeddedKafkaCluster kafka, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.createConsumer(Map.of())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }
}
