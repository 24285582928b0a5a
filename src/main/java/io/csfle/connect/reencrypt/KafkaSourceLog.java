package io.csfle.connect.reencrypt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The source cluster as the job watcher sees it, through one consumer with the job's source
 * settings (same isolation level as the tasks). Record contents are never looked at, only offsets.
 * Opened on first use, on the watcher's thread.
 */
final class KafkaSourceLog implements JobCompletionWatcher.SourceLog {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PROBE = Duration.ofSeconds(5);

  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Map<String, Object> props;
  private Consumer<byte[], byte[]> consumer;

  KafkaSourceLog(
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      Map<String, Object> props) {
    this.consumers = consumers;
    this.props = props;
  }

  private Consumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      consumer = consumers.apply(props);
    }
    return consumer;
  }

  @Override
  public Map<TopicPartition, Long> beginningOffsets(Set<TopicPartition> partitions) {
    return consumer().beginningOffsets(partitions, TIMEOUT);
  }

  @Override
  public boolean hasRecords(TopicPartition partition, long from, long end) {
    Consumer<byte[], byte[]> c = consumer();
    c.assign(List.of(partition));
    c.seek(partition, from);
    long deadline = System.nanoTime() + PROBE.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        if (r.offset() < end) {
          return true;
        }
      }
      if (c.position(partition, TIMEOUT) >= end) {
        return false;
      }
    }
    return true; // not known in time: not done yet
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }
}
