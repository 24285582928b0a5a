package io.csfle.connect.store.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader and writer of the key topic: an admin client (creates the topic), an idempotent {@code
 * acks=all} producer, and a consumer with no group that assigns every partition, reads from the
 * beginning and applies each record to a {@link KeyTopicState}. The consumer and the state are
 * guarded by this object's lock; the producer is used outside it.
 */
final class KeyTopicLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyTopicLog.class);
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * Lookups that hit memory re-read the topic first when it was last read to its end longer ago
   * than this, so a permanent delete by another worker reaches new readers of a long-lived log.
   */
  static final Duration MAX_STALENESS = Duration.ofSeconds(5);

  private final KafkaDekStoreConfig config;
  private final Admin admin;
  private final Producer<byte[], byte[]> producer;
  private final Consumer<byte[], byte[]> consumer;
  private final Consumer<byte[], byte[]> pointConsumer;
  private final Consumer<byte[], byte[]> offsetsConsumer;
  private final KeyTopicState state;
  private List<TopicPartition> partitions;
  private long lastSyncNanos;

  KeyTopicLog(KafkaDekStoreConfig config) {
    this.config = config;
    String clientId = "csfle-dek-store-" + CLIENT_IDS.incrementAndGet();
    Admin createdAdmin = null;
    Producer<byte[], byte[]> createdProducer = null;
    Consumer<byte[], byte[]> createdConsumer = null;
    Consumer<byte[], byte[]> createdPointConsumer = null;
    try {
      createdAdmin = Admin.create(adminProps(clientId));
      createdProducer =
          new KafkaProducer<>(
              producerProps(clientId), new ByteArraySerializer(), new ByteArraySerializer());
      createdConsumer =
          new KafkaConsumer<>(
              consumerProps(clientId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      createdPointConsumer =
          new KafkaConsumer<>(
              pointConsumerProps(clientId),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      this.offsetsConsumer =
          new KafkaConsumer<>(
              consumerProps(clientId + "-offsets"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
    } catch (KafkaException e) {
      closeQuietly(createdPointConsumer);
      closeQuietly(createdConsumer);
      closeQuietly(createdProducer);
      closeQuietly(createdAdmin);
      throw KafkaFailures.map("Creating the key topic clients", e);
    }
    this.admin = createdAdmin;
    this.producer = createdProducer;
    this.consumer = createdConsumer;
    this.pointConsumer = createdPointConsumer;
    this.state =
        new KeyTopicState(
            new KeyTopicPointReader(
                pointConsumer, offsetsConsumer, config.topic(), config.timeout()),
            config.cacheMaxEntries());
  }

  String topic() {
    return config.topic();
  }

  /** Creates the topic if needed and reads it up to the end offsets taken now; once. */
  synchronized void ensureStarted() {
    if (partitions != null) {
      return;
    }
    KeyTopicCreator.ensureTopic(admin, config);
    List<TopicPartition> found = discoverPartitions();
    consumer.assign(found);
    consumer.seekToBeginning(found);
    // Never polled, so the assignment fetches nothing; unassigned, every end-offsets answer
    // would log a warning.
    offsetsConsumer.assign(found);
    readTo(endOffsets(found), "Reading the key topic");
    lastSyncNanos = System.nanoTime();
    partitions = found;
    log.info(
        "Read key topic '{}' ({} partitions): {} entities", topic(), found.size(), state.size());
  }

  /** Reads every record written before now (the end offsets taken at this call). */
  synchronized void syncToEnd() {
    ensureStarted();
    long startedNanos = System.nanoTime();
    readTo(endOffsets(partitions), "Catching up with the key topic");
    lastSyncNanos = startedNanos;
  }

  /** {@link #syncToEnd()} unless that was done within {@link #MAX_STALENESS}. */
  synchronized void syncIfStale() {
    ensureStarted();
    if (System.nanoTime() - lastSyncNanos > MAX_STALENESS.toNanos()) {
      syncToEnd();
    }
  }

  /** Reads up to and including {@code offset} of {@code partition}. */
  synchronized void syncThrough(int partition, long offset) {
    ensureStarted();
    readTo(Map.of(new TopicPartition(topic(), partition), offset + 1), "Reading back a write");
  }

  /** Runs {@code query} on the state read so far, under the lock. */
  synchronized <T> T read(Function<KeyTopicState, T> query) {
    ensureStarted();
    return query.apply(state);
  }

  /** Writes a record ({@code value == null}: a tombstone) and returns where it landed. */
  Written append(RecordKey key, StoredEntity value, String operation) {
    int partition = partitionOf(key.entity());
    byte[] valueBytes = value == null ? null : KeyTopicJson.valueBytes(value);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic(), partition, KeyTopicJson.keyBytes(key), valueBytes);
    try {
      long offset =
          producer.send(record).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS).offset();
      return new Written(partition, offset);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailures.map(operation, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw KafkaFailures.map(operation, e);
    }
  }

  /** Where a record was written. */
  record Written(int partition, long offset) {}

  /** Claims and updates of one entity share a partition, so the log orders them. */
  int partitionOf(EntityId id) {
    int count = partitionCount();
    return Utils.toPositive(Utils.murmur2(KeyTopicJson.entityBytes(id))) % count;
  }

  private synchronized int partitionCount() {
    ensureStarted();
    return partitions.size();
  }

  @Override
  public synchronized void close() {
    closeQuietly(consumer);
    closeQuietly(pointConsumer);
    closeQuietly(offsetsConsumer);
    closeQuietly(producer);
    closeQuietly(admin);
  }

  // ---- reading ----

  private void readTo(Map<TopicPartition, Long> targets, String operation) {
    long deadline = System.nanoTime() + config.timeout().toNanos();
    try {
      while (!reached(targets)) {
        if (System.nanoTime() > deadline) {
          throw KafkaFailures.timeout(operation);
        }
        applyAll(consumer.poll(POLL));
      }
    } catch (KafkaException e) {
      throw KafkaFailures.map(operation, e);
    }
  }

  private boolean reached(Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
      if (consumer.position(target.getKey(), config.timeout()) < target.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies a polled batch. Applying may read a record back and fail (a timeout, a broker error);
   * the consumer is then moved back to the first record not applied of each partition, so that the
   * next catch-up applies it instead of skipping it for the life of this reader.
   */
  private void applyAll(ConsumerRecords<byte[], byte[]> batch) {
    List<TopicPartition> polled = List.copyOf(batch.partitions());
    for (int p = 0; p < polled.size(); p++) {
      List<ConsumerRecord<byte[], byte[]>> records = batch.records(polled.get(p));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        try {
          apply(record);
        } catch (RuntimeException e) {
          consumer.seek(polled.get(p), record.offset());
          for (TopicPartition untouched : polled.subList(p + 1, polled.size())) {
            consumer.seek(untouched, batch.records(untouched).get(0).offset());
          }
          throw e;
        }
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    RecordKey key;
    StoredEntity value;
    try {
      key = KeyTopicJson.readKey(record.key());
      value = record.value() == null ? null : KeyTopicJson.readValue(key.entity(), record.value());
    } catch (RuntimeException e) {
      // Never log the bytes: a foreign record could hold anything.
      log.warn(
          "Skipping unreadable record at {}-{}@{} of the key topic: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    state.apply(key, value, record.partition(), record.offset());
  }

  /**
   * Asked with a consumer that never fetches: the reader's own consumer usually has a fetch waiting
   * at the broker (up to {@code fetch.max.wait.ms}, 500 ms by default), and a broker answers one
   * connection's requests in order, so an end-offsets request behind it waited that long on every
   * miss.
   */
  private Map<TopicPartition, Long> endOffsets(List<TopicPartition> of) {
    try {
      return offsetsConsumer.endOffsets(of, config.timeout());
    } catch (KafkaException e) {
      throw KafkaFailures.map("Reading the key topic's end offsets", e);
    }
  }

  private List<TopicPartition> discoverPartitions() {
    long deadline = System.nanoTime() + config.timeout().toNanos();
    try {
      while (true) {
        List<PartitionInfo> infos =
            Optional.ofNullable(consumer.partitionsFor(topic(), config.timeout()))
                .orElse(List.of());
        if (!infos.isEmpty()) {
          return infos.stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
              .toList();
        }
        if (System.nanoTime() > deadline) {
          throw KafkaFailures.timeout("Finding the key topic's partitions");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailures.map("Finding the key topic's partitions", e);
    } catch (KafkaException e) {
      throw KafkaFailures.map("Finding the key topic's partitions", e);
    }
  }

  // ---- client settings: ours first, the operator's overrides win ----

  private Properties common(String clientId) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  private Properties adminProps(String clientId) {
    Properties props = common(clientId + "-admin");
    props.putAll(config.clientOverrides());
    return props;
  }

  private Properties producerProps(String clientId) {
    Properties props = common(clientId + "-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.putAll(config.clientOverrides());
    return props;
  }

  private Properties consumerProps(String clientId) {
    Properties props = common(clientId + "-consumer");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putAll(config.clientOverrides());
    // No group: every reader reads everything, and nothing is committed.
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return props;
  }

  /** The reader of single records and scans: a few records a poll, it mostly wants one. */
  private Properties pointConsumerProps(String clientId) {
    Properties props = consumerProps(clientId + "-point");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
    return props;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      if (closeable instanceof Consumer<?, ?> c) {
        c.close(Duration.ofSeconds(5));
      } else if (closeable instanceof Producer<?, ?> p) {
        p.close(Duration.ofSeconds(5));
      } else if (closeable instanceof Admin a) {
        a.close(Duration.ofSeconds(5));
      } else {
        closeable.close();
      }
    } catch (Exception e) {
      log.warn("Closing a key topic client failed: {}", e.toString());
    }
  }
}
