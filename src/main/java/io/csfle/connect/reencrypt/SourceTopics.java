package io.csfle.connect.reencrypt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What the connector learns from the clusters: the source partitions and their end offsets (read
 * with the job's isolation level, so read_committed stops at the last stable offset), the source
 * cleanup policies, and the target topics' partition counts; and creating missing target topics.
 */
final class SourceTopics {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReencryptSourceConfig config;
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Function<Map<String, Object>, Admin> admins;

  SourceTopics(
      ReencryptSourceConfig config,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      Function<Map<String, Object>, Admin> admins) {
    this.config = config;
    this.consumers = consumers;
    this.admins = admins;
  }

  /** The job's source partitions with their end offsets now, by topic and partition. */
  Map<TopicPartition, Long> endOffsets() {
    try (Consumer<byte[], byte[]> consumer = consumers.apply(config.consumerProps())) {
      List<TopicPartition> partitions = new ArrayList<>();
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(TIMEOUT);
      for (String topic : matching(topics.keySet())) {
        topics.get(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      return partitions.isEmpty() ? Map.of() : consumer.endOffsets(partitions, TIMEOUT);
    }
  }

  /** The topics of the job among {@code existing}. */
  List<String> matching(Set<String> existing) {
    Pattern regex = config.topicsRegex();
    Set<String> excluded = new HashSet<>();
    if (config.errorsTopic() != null) {
      excluded.add(config.errorsTopic());
    }
    if (config.reportTopic() != null) {
      excluded.add(config.reportTopic());
    }
    List<String> matched = new ArrayList<>();
    for (String topic : existing) {
      boolean selected =
          regex == null
              ? config.topics().contains(topic)
              : regex.matcher(topic).matches() && !topic.startsWith("_");
      if (selected && !excluded.contains(topic)) {
        matched.add(topic);
      }
    }
    if (regex != null && !config.inPlace()) {
      // Never re-encrypt this job's own output, should the regex match it.
      List<String> targets = matched.stream().map(config::targetTopic).toList();
      matched.removeIf(targets::contains);
    }
    matched.sort(String::compareTo);
    return matched;
  }

  /** Source topic to its cleanup.policy. */
  Map<String, String> cleanupPolicies(Set<String> topics) {
    try (Admin admin = admins.apply(config.sourceAdminProps())) {
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, String> policies = new HashMap<>();
      configs.forEach(
          (resource, c) -> {
            ConfigEntry entry = c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            policies.put(resource.name(), entry == null ? "delete" : entry.value());
          });
      return policies;
    } catch (Exception e) {
      throw failure("read the source topics' cleanup.policy", e);
    }
  }

  /** Target topic to its partition count; topics that do not exist are left out. */
  Map<String, Integer> targetPartitionCounts(Set<String> targets) {
    Map<String, Integer> counts = new HashMap<>();
    try (Admin admin = admins.apply(config.targetAdminProps())) {
      for (String target : targets) {
        try {
          TopicDescription description =
              admin
                  .describeTopics(List.of(target))
                  .allTopicNames()
                  .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .get(target);
          counts.put(target, description.partitions().size());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
        }
      }
      return counts;
    } catch (Exception e) {
      throw failure("describe the target topics", e);
    }
  }

  /** Creates missing targets with the source's partition count and cleanup policy. */
  void createTargets(Map<String, Integer> partitionsByTarget, Map<String, String> policies) {
    if (partitionsByTarget.isEmpty()) {
      return;
    }
    try (Admin admin = admins.apply(config.targetAdminProps())) {
      List<NewTopic> topics = new ArrayList<>();
      partitionsByTarget.forEach(
          (topic, partitions) -> {
            NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty());
            String policy = policies.get(topic);
            if (policy != null) {
              newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy));
            }
            topics.add(newTopic);
          });
      admin.createTopics(topics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
        return; // another worker created it first
      }
      throw failure("create the target topics " + partitionsByTarget.keySet(), e);
    }
  }

  private static ConnectException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return new ConnectException("Could not " + what + ": " + cause, cause);
  }
}
