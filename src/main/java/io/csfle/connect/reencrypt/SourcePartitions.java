package io.csfle.connect.reencrypt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;

/**
 * The job's partitions with the end offsets captured at start, in the form tasks receive them
 * ({@code topic:partition:endOffset}; Kafka topic names cannot hold a colon), and how they are
 * spread over tasks.
 */
final class SourcePartitions {
  private SourcePartitions() {}

  static String encode(TopicPartition partition, long endOffset) {
    return partition.topic() + ":" + partition.partition() + ":" + endOffset;
  }

  static Map<TopicPartition, Long> decode(List<String> encoded) {
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    for (String entry : encoded) {
      String[] parts = entry.split(":");
      try {
        if (parts.length != 3) {
          throw new NumberFormatException();
        }
        ends.put(
            new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            ReencryptSourceConfig.TASK_PARTITIONS_CONFIG, entry, "expected topic:partition:end");
      }
    }
    return ends;
  }

  /**
   * Spreads partitions round robin, in topic and partition order, over at most {@code maxTasks}
   * groups; no group is empty.
   */
  static List<List<String>> spread(Map<TopicPartition, Long> endOffsets, int maxTasks) {
    List<TopicPartition> sorted = new ArrayList<>(endOffsets.keySet());
    sorted.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    int groups = Math.min(maxTasks, sorted.size());
    List<List<String>> spread = new ArrayList<>();
    for (int i = 0; i < groups; i++) {
      spread.add(new ArrayList<>());
    }
    for (int i = 0; i < sorted.size(); i++) {
      TopicPartition partition = sorted.get(i);
      spread.get(i % groups).add(encode(partition, endOffsets.get(partition)));
    }
    return spread;
  }
}
