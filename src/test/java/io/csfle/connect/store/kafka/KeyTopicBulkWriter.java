package io.csfle.connect.store.kafka;

import io.csfle.connect.store.RegisteredDek;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Appends DEK records to a one-partition key topic in the store's own record format, batched and
 * without waiting for each: fills a key topic with many DEKs far faster than the store's create,
 * which reads every claim back. For benchmarks of large key topics; the DEKs must not exist yet.
 */
public final class KeyTopicBulkWriter implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  public KeyTopicBulkWriter(String bootstrapServers, String topic) {
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", bootstrapServers,
                "linger.ms", "20",
                "batch.size", "262144",
                "compression.type", "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /** Appends {@code dek} as a winning claim of a fresh claim id. */
  public void append(RegisteredDek dek) {
    RecordKey key =
        new RecordKey(EntityId.dek(dek.dekSubject(), dek.version()), UUID.randomUUID().toString());
    producer.send(
        new ProducerRecord<>(
            topic,
            0,
            KeyTopicJson.keyBytes(key),
            KeyTopicJson.valueBytes(StoredEntity.claimOf(dek))));
  }

  @Override
  public void close() {
    producer.flush();
    producer.close();
  }
}
