package io.csfle.connect.store.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the key topic when it is missing (compacted, with the configured partitions, replication
 * and min.insync.replicas) and refuses an existing one whose cleanup policy would delete keys by
 * age: under {@code cleanup.policy=delete} retention would crypto-shred every record silently.
 */
final class KeyTopicCreator {
  private static final Logger log = LoggerFactory.getLogger(KeyTopicCreator.class);

  private KeyTopicCreator() {}

  static void ensureTopic(Admin admin, KafkaDekStoreConfig config) {
    String describing = "Describing key topic '" + config.topic() + "'";
    try {
      admin
          .describeTopics(List.of(config.topic()))
          .allTopicNames()
          .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        create(admin, config);
        return;
      }
      throw KafkaFailures.map(describing, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailures.map(describing, e);
    } catch (TimeoutException | KafkaException e) {
      throw KafkaFailures.map(describing, e);
    }
    requireCompacted(admin, config);
  }

  private static void create(Admin admin, KafkaDekStoreConfig config) {
    String operation = "Creating key topic '" + config.topic() + "'";
    Map<String, String> topicConfigs = new HashMap<>();
    topicConfigs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    if (config.minInsyncReplicas() != null) {
      topicConfigs.put(
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, config.minInsyncReplicas().toString());
    }
    Optional<Short> replication =
        config.replicationFactor() < 0 ? Optional.empty() : Optional.of(config.replicationFactor());
    NewTopic topic =
        new NewTopic(config.topic(), Optional.of(config.partitions()), replication)
            .configs(topicConfigs);
    try {
      admin
          .createTopics(List.of(topic))
          .all()
          .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
      log.info(
          "Created compacted key topic '{}' with {} partition(s)",
          config.topic(),
          config.partitions());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw KafkaFailures.map(operation, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailures.map(operation, e);
    } catch (TimeoutException | KafkaException e) {
      throw KafkaFailures.map(operation, e);
    }
  }

  /**
   * REJECTED when the topic's cleanup policy has no {@code compact}; only a warning when the
   * principal may not describe configs (the check is a safety net, not a requirement).
   */
  private static void requireCompacted(Admin admin, KafkaDekStoreConfig config) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.topic());
    String policy;
    try {
      Config topicConfig =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
      ConfigEntry entry = topicConfig == null ? null : topicConfig.get("cleanup.policy");
      policy = entry == null ? null : entry.value();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailures.map("Describing key topic '" + config.topic() + "'", e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      log.warn(
          "Could not check the cleanup policy of key topic '{}' ({}); it must be compacted",
          config.topic(),
          e.toString());
      return;
    }
    if (policy != null && !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw KafkaFailures.rejected(
          "Key topic '"
              + config.topic()
              + "' has cleanup.policy="
              + policy
              + ": retention would delete keys and make data undecryptable; set"
              + " cleanup.policy=compact");
    }
  }
}
