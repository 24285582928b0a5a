package io.csfle.connect.reencrypt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The source partitions one task reads: where each resumes, which have not yet reached the end
 * offset captured at the job's start, and the records fetched but not yet handled. Handled records
 * leave the queue only once returned or absorbed, so a retried poll neither skips nor repeats one.
 */
final class AssignedPartitions {
  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> endOffsets;
  private final Set<TopicPartition> active = new HashSet<>();
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  private final Map<TopicPartition, Long> lastReturned = new HashMap<>();

  AssignedPartitions(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsets) {
    this.consumer = consumer;
    this.endOffsets = endOffsets;
  }

  /**
   * Assigns the partitions and seeks each to its stored offset plus one (or its beginning); those
   * already at their end are paused. Counts what is left to read into {@code progress}.
   */
  void assignAndSeek(OffsetStorageReader reader, ReencryptProgress progress) {
    consumer.assign(endOffsets.keySet());
    List<Map<String, Object>> keys = new ArrayList<>();
    endOffsets
        .keySet()
        .forEach(tp -> keys.add(RecordReencryptor.sourcePartition(tp.topic(), tp.partition())));
    Map<Map<String, Object>, Map<String, Object>> stored = reader.offsets(keys);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(endOffsets.keySet());
    for (Map.Entry<TopicPartition, Long> entry : endOffsets.entrySet()) {
      TopicPartition tp = entry.getKey();
      Map<String, Object> offset =
          stored == null
              ? null
              : stored.get(RecordReencryptor.sourcePartition(tp.topic(), tp.partition()));
      long start = beginning.getOrDefault(tp, 0L);
      if (offset != null && offset.get(RecordReencryptor.OFFSET_KEY) instanceof Number n) {
        start = Math.max(start, n.longValue() + 1);
      }
      if (start < entry.getValue()) {
        consumer.seek(tp, start);
        active.add(tp);
        progress.addTotal(tp, entry.getValue() - start);
      } else {
        progress.addTotal(tp, 0);
      }
    }
    Set<TopicPartition> idle = new HashSet<>(endOffsets.keySet());
    idle.removeAll(active);
    consumer.pause(idle);
  }

  /**
   * Polls the consumer once, queues the records before their partition's end, and pauses the
   * partitions that have now reached their end with nothing queued. Returns those partitions.
   */
  Set<TopicPartition> fetch(Duration timeout) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      Long end = endOffsets.get(tp);
      if (end != null && record.offset() < end && active.contains(tp)) {
        pending.add(record);
      }
    }
    Set<TopicPartition> reached = new HashSet<>();
    Set<TopicPartition> withPending = new HashSet<>();
    pending.forEach(r -> withPending.add(new TopicPartition(r.topic(), r.partition())));
    for (TopicPartition tp : active) {
      if (!withPending.contains(tp) && consumer.position(tp) >= endOffsets.get(tp)) {
        reached.add(tp);
      }
    }
    if (!reached.isEmpty()) {
      active.removeAll(reached);
      consumer.pause(reached);
    }
    return reached;
  }

  int size() {
    return endOffsets.size();
  }

  /** The partitions still to read up to their end offset. */
  Set<TopicPartition> toRead() {
    return active;
  }

  boolean allReached() {
    return active.isEmpty();
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  ConsumerRecord<byte[], byte[]> nextPending() {
    return pending.peek();
  }

  /** Takes the next record off the queue; {@code returned} when a record for it goes to Connect. */
  void handled(ConsumerRecord<byte[], byte[]> record, boolean returned) {
    pending.poll();
    if (returned) {
      lastReturned.put(new TopicPartition(record.topic(), record.partition()), record.offset());
    }
  }

  long endOffset(TopicPartition tp) {
    return endOffsets.get(tp);
  }

  /** The last offset of {@code tp} returned to Connect by this task, or -1. */
  long lastReturned(TopicPartition tp) {
    return lastReturned.getOrDefault(tp, -1L);
  }
}
