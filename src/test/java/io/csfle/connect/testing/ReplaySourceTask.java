package io.csfle.connect.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Reads the source topic from its beginning with its own consumer (all partitions assigned, no
 * group) and hands each record on as a schemaless map value. Counts producer acknowledgements to
 * know when the run is complete. {@code stop()} wakes a blocked poll and closes the consumer under
 * the lock {@code poll()} holds, since a consumer is not safe for concurrent use.
 */
public final class ReplaySourceTask extends SourceTask {
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final long IDLE_MS = 200;

  private final Object lock = new Object();
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private volatile Consumer<byte[], byte[]> consumer;
  private final JsonConverter json = new JsonConverter();
  private String sourceTopic;
  private String topic;
  private long records;
  private long replayed;
  private PipelineProgress progress;

  public ReplaySourceTask() {
    this(
        props ->
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /** For tests: the consumer comes from {@code consumers}, given the properties it would get. */
  ReplaySourceTask(Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
    this.consumers = consumers;
  }

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig config = new AbstractConfig(ReplaySourceConnector.CONFIG_DEF, props);
    sourceTopic = config.getString(ReplaySourceConnector.SOURCE_TOPIC_CONFIG);
    topic = config.getString(ReplaySourceConnector.TOPIC_CONFIG);
    records = config.getLong(CountingSinkConnector.RECORDS_CONFIG);
    progress =
        new PipelineProgress(
            Path.of(config.getString(CountingSinkConnector.REPORT_FILE_CONFIG)), records);
    json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    consumer =
        consumers.apply(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.getString(ReplaySourceConnector.SOURCE_BOOTSTRAP_CONFIG),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"));
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(sourceTopic)
        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (replayed >= records) {
      Thread.sleep(IDLE_MS);
      return null;
    }
    List<SourceRecord> batch = new ArrayList<>();
    synchronized (lock) {
      if (consumer == null) {
        return null; // stopped
      }
      try {
        for (ConsumerRecord<byte[], byte[]> in : consumer.poll(POLL_TIMEOUT)) {
          if (replayed >= records) {
            break;
          }
          batch.add(replay(in));
          replayed++;
        }
      } catch (WakeupException e) {
        return null; // stopping
      }
    }
    return batch.isEmpty() ? null : batch;
  }

  private SourceRecord replay(ConsumerRecord<byte[], byte[]> in) {
    Object value = json.toConnectData(sourceTopic, in.value()).value();
    String key = in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8);
    return new SourceRecord(
        Map.of("topic", in.topic(), "partition", in.partition()),
        Map.of("offset", in.offset()),
        topic,
        null,
        null,
        key,
        null,
        value);
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    if (metadata != null) {
      progress.add(1);
    }
  }

  @Override
  public void stop() {
    Consumer<byte[], byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
    synchronized (lock) {
      if (consumer != null) {
        consumer.close();
        consumer = null;
      }
    }
  }

  @Override
  public String version() {
    return "test";
  }
}
