package io.csfle.connect.reencrypt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The Kafka client settings of a job: the source consumer and the admin clients. */
final class ClientProps {
  private ClientProps() {}

  /** Source consumer settings: the prefix, our deserializers, no group, no auto commit. */
  static Map<String, Object> consumer(ReencryptSourceConfig config) {
    Map<String, Object> props =
        new HashMap<>(config.originalsWithPrefix(ReencryptSourceConfig.SOURCE_CONSUMER_PREFIX));
    props.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", config.getList(ReencryptSourceConfig.SOURCE_BOOTSTRAP_SERVERS_CONFIG)));
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        config.getString(ReencryptSourceConfig.ISOLATION_LEVEL_CONFIG));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    readRawBytes(props);
    return props;
  }

  /** Sets consumer settings that read keys and values as they are, byte arrays. */
  static void readRawBytes(Map<String, Object> consumerProps) {
    consumerProps.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
    consumerProps.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
  }

  /** Admin settings for the target cluster. */
  static Map<String, Object> targetAdmin(ReencryptSourceConfig config) {
    List<String> target = config.getList(ReencryptSourceConfig.TARGET_BOOTSTRAP_SERVERS_CONFIG);
    Map<String, Object> props =
        target.isEmpty()
            ? new HashMap<>(
                config.originalsWithPrefix(ReencryptSourceConfig.SOURCE_CONSUMER_PREFIX))
            : new HashMap<>(config.originalsWithPrefix(ReencryptSourceConfig.TARGET_ADMIN_PREFIX));
    props.put(
        "bootstrap.servers",
        String.join(
            ",",
            target.isEmpty()
                ? config.getList(ReencryptSourceConfig.SOURCE_BOOTSTRAP_SERVERS_CONFIG)
                : target));
    return props;
  }

  /** Source admin settings: the consumer prefix's client settings. */
  static Map<String, Object> sourceAdmin(ReencryptSourceConfig config) {
    Map<String, Object> props =
        new HashMap<>(config.originalsWithPrefix(ReencryptSourceConfig.SOURCE_CONSUMER_PREFIX));
    props.put(
        "bootstrap.servers",
        String.join(",", config.getList(ReencryptSourceConfig.SOURCE_BOOTSTRAP_SERVERS_CONFIG)));
    return props;
  }
}
