package io.csfle.connect.store.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A second consumer of the key topic that reads single records by offset (a DEK seen for the first
 * time) and scans record keys (listings), without moving the reader that follows the topic's end.
 * Each read is bounded by the store's timeout; a scan's bound restarts whenever records arrive. End
 * offsets and partitions are asked with {@code offsets}, a consumer that never fetches: a broker
 * answers one connection's requests in order, so behind a fetch left waiting for new records they
 * would wait up to {@code fetch.max.wait.ms}. Used under {@link KeyTopicLog}'s lock.
 */
final class KeyTopicPointReader implements KeyTopicRecords {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Consumer<byte[], byte[]> consumer;
  private final Consumer<byte[], byte[]> offsets;
  private final String topic;
  private final Duration timeout;

  KeyTopicPointReader(
      Consumer<byte[], byte[]> consumer,
      Consumer<byte[], byte[]> offsets,
      String topic,
      Duration timeout) {
    this.consumer = consumer;
    this.offsets = offsets;
    this.topic = topic;
    this.timeout = timeout;
  }

  @Override
  public Optional<Parsed> readAt(int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.offset() >= offset) {
            return record.offset() == offset ? parse(record) : Optional.empty();
          }
        }
        if (consumer.position(tp, timeout) >= endOffset(tp)) {
          return Optional.empty();
        }
        if (System.nanoTime() > deadline) {
          throw KafkaFailures.timeout("Reading a key of the key topic");
        }
      }
    } catch (KafkaException e) {
      throw KafkaFailures.map("Reading a key of the key topic", e);
    }
  }

  @Override
  public void scan(Visitor visitor) {
    try {
      List<TopicPartition> partitions =
          offsets.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = offsets.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(ends)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.offset() < ends.get(new TopicPartition(topic, record.partition()))) {
            // Progress towards the ends restarts the bound; records written since do not.
            deadline = System.nanoTime() + timeout.toNanos();
            readKey(record)
                .ifPresent(key -> visitor.visit(key, record.partition(), record.offset()));
          }
        }
        if (System.nanoTime() > deadline) {
          throw KafkaFailures.timeout("Scanning the key topic");
        }
      }
    } catch (KafkaException e) {
      throw KafkaFailures.map("Scanning the key topic", e);
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey(), timeout) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private long endOffset(TopicPartition tp) {
    return offsets.endOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
  }

  /** Unreadable records are skipped here as by the reader (which logs them once). */
  private static Optional<Parsed> parse(ConsumerRecord<byte[], byte[]> record) {
    try {
      RecordKey key = KeyTopicJson.readKey(record.key());
      StoredEntity value =
          record.value() == null ? null : KeyTopicJson.readValue(key.entity(), record.value());
      return value == null
          ? Optional.empty()
          : Optional.of(new Parsed(key, value, record.partition(), record.offset()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<RecordKey> readKey(ConsumerRecord<byte[], byte[]> record) {
    try {
      return Optional.of(KeyTopicJson.readKey(record.key()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
