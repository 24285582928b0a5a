package io.csfle.connect.reencrypt;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics a job needs before its tasks run: existing targets checked against their sources,
 * missing targets created like their sources, missing errors and report topics created.
 */
final class JobTopicSetup {
  // The connector's logger: this line keeps the category operators already filter on.
  private static final Logger log = LoggerFactory.getLogger(ReencryptSourceConnector.class);

  private JobTopicSetup() {}

  /**
   * Fails when an existing target does not fit its source; creates the missing targets with their
   * source's partition count and cleanup policy.
   */
  static void prepareTargets(
      ReencryptSourceConfig config, SourceTopics topics, Map<TopicPartition, Long> endOffsets) {
    Map<String, Integer> sourcePartitions = new HashMap<>();
    endOffsets.keySet().forEach(tp -> sourcePartitions.merge(tp.topic(), 1, Integer::sum));
    Map<String, String> policies = topics.cleanupPolicies(sourcePartitions.keySet());
    List<String> problems = TargetChecks.problems(config, sourcePartitions, policies, topics);
    if (!problems.isEmpty()) {
      throw new ConnectException(String.join("; ", problems));
    }
    Set<String> targets = new HashSet<>();
    sourcePartitions.keySet().forEach(t -> targets.add(config.targetTopic(t)));
    Map<String, Integer> existing = topics.targetPartitionCounts(targets);
    Map<String, Integer> missing = new HashMap<>();
    Map<String, String> missingPolicies = new HashMap<>();
    sourcePartitions.forEach(
        (source, partitions) -> {
          String target = config.targetTopic(source);
          if (!existing.containsKey(target)) {
            missing.put(target, partitions);
            missingPolicies.put(target, policies.get(source));
          }
        });
    if (!missing.isEmpty()) {
      log.info("Creating target topics {}", missing);
      topics.createTargets(missing, missingPolicies);
    }
  }

  /** Creates a missing errors or report topic with one partition. */
  static void createSideTopics(ReencryptSourceConfig config, SourceTopics topics) {
    Set<String> side = new HashSet<>();
    if (config.errorsTopic() != null) {
      side.add(config.errorsTopic());
    }
    if (config.reportTopic() != null) {
      side.add(config.reportTopic());
    }
    if (side.isEmpty()) {
      return;
    }
    Map<String, Integer> missing = new HashMap<>();
    Set<String> existing = topics.targetPartitionCounts(side).keySet();
    side.stream().filter(t -> !existing.contains(t)).forEach(t -> missing.put(t, 1));
    topics.createTargets(missing, Map.of());
  }
}
