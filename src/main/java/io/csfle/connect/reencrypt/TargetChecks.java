package io.csfle.connect.reencrypt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Rules that need the clusters: the source topics exist, an in-place target is compacted, and an
 * existing target topic has at least the source's partitions (records keep their partition).
 */
final class TargetChecks {
  private TargetChecks() {}

  static List<String> problems(
      ReencryptSourceConfig config,
      Map<String, Integer> sourcePartitions,
      Map<String, String> policies,
      SourceTopics topics) {
    List<String> problems = new ArrayList<>();
    if (config.inPlace() && !config.verifyOnly()) {
      for (String topic : sourcePartitions.keySet()) {
        if (!ReencryptSourceConnector.isCompacted(policies.get(topic))) {
          problems.add(
              "in-place target for topic '"
                  + topic
                  + "' whose cleanup.policy is "
                  + policies.get(topic)
                  + ": old ciphertexts would stay until retention; use a compacted topic or a"
                  + " new target topic");
        }
      }
    }
    if (!config.inPlace() && !config.verifyOnly()) {
      Set<String> targets = new HashSet<>();
      sourcePartitions.keySet().forEach(t -> targets.add(config.targetTopic(t)));
      Map<String, Integer> existing = topics.targetPartitionCounts(targets);
      sourcePartitions.forEach(
          (source, partitions) -> {
            Integer target = existing.get(config.targetTopic(source));
            if (target != null && target < partitions) {
              problems.add(
                  "target topic '"
                      + config.targetTopic(source)
                      + "' has "
                      + target
                      + " partitions, fewer than the "
                      + partitions
                      + " of '"
                      + source
                      + "'");
            }
          });
    }
    return problems;
  }

  /** Cluster checks for {@code validate()}, by the key to report them on. */
  static Map<String, String> validateAgainstClusters(
      ReencryptSourceConfig config, SourceTopics topics) {
    Map<String, String> errors = new HashMap<>();
    Map<TopicPartition, Long> ends;
    try {
      ends = topics.endOffsets();
    } catch (RuntimeException e) {
      errors.put(
          ReencryptSourceConfig.SOURCE_BOOTSTRAP_SERVERS_CONFIG,
          "cannot list the source topics: " + e);
      return errors;
    }
    if (ends.isEmpty()) {
      errors.put(
          config.topicsRegex() == null
              ? ReencryptSourceConfig.TOPICS_CONFIG
              : ReencryptSourceConfig.TOPICS_REGEX_CONFIG,
          "no existing source topic matches");
      return errors;
    }
    Map<String, Integer> sourcePartitions = new HashMap<>();
    ends.keySet().forEach(tp -> sourcePartitions.merge(tp.topic(), 1, Integer::sum));
    try {
      List<String> problems =
          problems(
              config, sourcePartitions, topics.cleanupPolicies(sourcePartitions.keySet()), topics);
      if (!problems.isEmpty()) {
        errors.put(ReencryptSourceConfig.TARGET_TOPIC_FORMAT_CONFIG, String.join("; ", problems));
      }
    } catch (ConnectException e) {
      errors.put(ReencryptSourceConfig.TARGET_BOOTSTRAP_SERVERS_CONFIG, e.getMessage());
    }
    return errors;
  }
}
