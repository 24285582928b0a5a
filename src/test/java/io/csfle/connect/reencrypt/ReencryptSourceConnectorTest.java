package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReencryptSourceConnectorTest {
  private static final Node NODE = new Node(0, "localhost", 9092);
  private static InMemoryDekRegistryServer registry;

  @BeforeAll
  static void startRegistry() {
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    ReencryptFixtures.rotateTo(registry.url(), ReencryptFixtures.OLD_KEK, "orders-value", 1);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  /** A source cluster with {@code orders} (6 partitions, 10 records each) and more topics. */
  private static Consumer<byte[], byte[]> sourceConsumer(Map<String, Object> props) {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    List<PartitionInfo> partitions = new ArrayList<>();
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (int p = 0; p < 6; p++) {
      partitions.add(new PartitionInfo("orders", p, NODE, null, null));
      ends.put(new TopicPartition("orders", p), 10L + p);
    }
    consumer.updatePartitions("orders", partitions);
    consumer.updatePartitions(
        "orders.reencrypted",
        List.of(new PartitionInfo("orders.reencrypted", 0, NODE, null, null)));
    consumer.updatePartitions(
        "_internal", List.of(new PartitionInfo("_internal", 0, NODE, null, null)));
    ends.put(new TopicPartition("orders.reencrypted", 0), 0L);
    ends.put(new TopicPartition("_internal", 0), 0L);
    consumer.updateEndOffsets(ends);
    return consumer;
  }

  /**
   * Admin of a cluster where orders has the given cleanup policy and target the given partitions.
   */
  private static Admin admin(String cleanupPolicy, int targetPartitions) {
    MockAdminClient admin = new MockAdminClient(List.of(NODE), NODE);
    List<TopicPartitionInfo> six = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      six.add(new TopicPartitionInfo(p, NODE, List.of(NODE), List.of(NODE)));
    }
    admin.addTopic(false, "orders", six, Map.of("cleanup.policy", cleanupPolicy));
    if (targetPartitions > 0) {
      admin.addTopic(false, "orders.reencrypted", six.subList(0, targetPartitions), Map.of());
    }
    return admin;
  }

  private static Map<String, String> config() {
    Map<String, String> config = ReencryptFixtures.jobConfig(registry.url());
    config.put("name", "job");
    config.put("connector.class", ReencryptSourceConnector.class.getName());
    return config;
  }

  private static Map<String, List<String>> errors(
      ReencryptSourceConnector connector, Map<String, String> config) {
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue value : connector.validate(config).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    return errors;
  }

  private static ReencryptSourceConnector connector(String cleanupPolicy, int targetPartitions) {
    return new ReencryptSourceConnector(
        ReencryptSourceConnectorTest::sourceConsumer, p -> admin(cleanupPolicy, targetPartitions));
  }

  @Test
  void everyKey_hasADoc() {
    for (ConfigDef.ConfigKey key : ReencryptSourceConfig.CONFIG_DEF.configKeys().values()) {
      if (!key.internalConfig) {
        assertThat(key.documentation).as(key.name).isNotBlank();
      }
    }
  }

  @Test
  void everyConnectorKey_isInTheDocs() throws java.io.IOException {
    // The job's own keys, and the transforms' keys that describe its target.
    String docs =
        java.nio.file.Files.readString(java.nio.file.Path.of("docs/reencryption.md"))
            + java.nio.file.Files.readString(java.nio.file.Path.of("docs/configuration.md"));
    String reference =
        java.nio.file.Files.readString(java.nio.file.Path.of("docs/configuration-reference.md"));
    for (ConfigDef.ConfigKey key : ReencryptSourceConfig.CONFIG_DEF.configKeys().values()) {
      if (!key.internalConfig) {
        assertThat(docs).as("docs on " + key.name).contains("`" + key.name + "`");
        assertThat(reference).as("reference row of " + key.name).contains("| `" + key.name + "` |");
      }
    }
  }

  @Test
  void consistentConfig_validatesWithoutErrors() {
    assertThat(errors(connector("delete", 0), config())).isEmpty();
  }

  @Test
  void crossKeyProblems_areReportedOnTheKeyToFix() {
    Map<String, String> config = config();
    config.put("topics.regex", "ord.*");
    config.put("rotate.on.start", "true");
    config.put("encrypt.dek.expiry.days", "0");

    Map<String, List<String>> errors = errors(connector("delete", 0), config);

    assertThat(errors.get("topics.regex")).singleElement().asString().contains("exactly one");
    assertThat(errors.get("rotate.on.start")).singleElement().asString().contains("expiry.days");
  }

  @Test
  void verifyWithPlaintextSource_isRejectedOnMode() {
    Map<String, String> config = config();
    config.remove("source.encrypt.kek.name");
    config.put("source.plaintext", "true");
    config.put("mode", "verify");

    assertThat(errors(connector("delete", 0), config)).containsOnlyKeys("mode");
  }

  @Test
  void errorsTopicWithPlaintextSource_isRejectedOnTheErrorsTopic() {
    Map<String, String> config = config();
    config.remove("source.encrypt.kek.name");
    config.put("source.plaintext", "true");
    config.put("errors.topic", "orders.errors");

    assertThat(errors(connector("delete", 0), config).get("errors.topic"))
        .singleElement()
        .asString()
        .contains("plaintext");
  }

  @Test
  void unregisteredSourceKek_isReportedOnTheSourceKekName() {
    Map<String, String> config = config();
    config.put("source.encrypt.kek.name", "no-such-kek");

    assertThat(errors(connector("delete", 0), config).get("source.encrypt.kek.name"))
        .singleElement()
        .asString()
        .contains("'no-such-kek' is not in the DEK registry");
  }

  @Test
  void targetKekWithoutKmsAccess_isReportedOnTheKekName() {
    Map<String, String> config = config();
    config.put("encrypt.kek.name", "kek-without-access");
    config.put("kms.secret", ""); // local-kms then needs LOCAL_SECRET from the environment
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("LOCAL_SECRET") == null);

    assertThat(errors(connector("delete", 0), config).get("encrypt.kek.name"))
        .singleElement()
        .asString()
        .contains("cannot wrap a DEK");
  }

  @Test
  void unregisteredTargetKekWithoutKmsType_isReportedOnTheKekName() {
    Map<String, String> config = config();
    config.put("encrypt.kek.name", "kek-not-created");
    config.remove("encrypt.kms.type");
    config.remove("encrypt.kms.key.id");

    assertThat(errors(connector("delete", 0), config).get("encrypt.kek.name"))
        .singleElement()
        .asString()
        .contains("set encrypt.kms.type");
  }

  @Test
  void unreachableRegistry_isReportedOnTheRegistryUrl() {
    Map<String, String> config = config();
    config.put("schema.registry.url", "http://localhost:1");

    assertThat(errors(connector("delete", 0), config)).containsKey("schema.registry.url");
  }

  @Test
  void inPlaceOnANonCompactedTopic_isRejectedOnTheTargetFormat() {
    Map<String, String> config = config();
    config.put("target.topic.format", "${topic}");

    assertThat(errors(connector("delete", 0), config).get("target.topic.format"))
        .singleElement()
        .asString()
        .contains("cleanup.policy is delete");
    assertThat(errors(connector("compact", 0), config)).isEmpty();
  }

  @Test
  void targetWithFewerPartitions_isRejectedOnTheTargetFormat() {
    assertThat(errors(connector("delete", 3), config()).get("target.topic.format"))
        .singleElement()
        .asString()
        .contains("has 3 partitions, fewer than the 6");
  }

  @Test
  void unmatchedTopics_areReportedOnTopics() {
    Map<String, String> config = config();
    config.put("topics", "nope");
    assertThat(errors(connector("delete", 0), config)).containsOnlyKeys("topics");
  }

  @Test
  void exactlyOnce_isSupportedOnlyWhenReadingCommittedData() {
    ReencryptSourceConnector connector = connector("delete", 0);
    assertThat(connector.exactlyOnceSupport(config())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
    Map<String, String> uncommitted = config();
    uncommitted.put("source.consumer.isolation.level", "read_uncommitted");
    assertThat(connector.exactlyOnceSupport(uncommitted)).isEqualTo(ExactlyOnceSupport.UNSUPPORTED);
  }

  @Test
  void taskConfigs_spreadEveryPartitionOnceWithItsEndOffset() {
    ReencryptSourceConnector connector = connector("delete", 0);
    Map<String, String> config = config();
    config.put("mode", "verify"); // no target topics to prepare
    connector.initialize(context());
    connector.start(config);

    List<Map<String, String>> tasks = connector.taskConfigs(4);

    assertThat(tasks).hasSize(4);
    List<String> all = new ArrayList<>();
    tasks.forEach(t -> all.addAll(List.of(t.get("task.partitions").split(","))));
    assertThat(all)
        .containsExactlyInAnyOrder(
            "orders:0:10",
            "orders:1:11",
            "orders:2:12",
            "orders:3:13",
            "orders:4:14",
            "orders:5:15");
    assertThat(tasks).extracting(t -> t.get("task.index")).containsExactly("0", "1", "2", "3");
    assertThat(tasks.get(0)).containsEntry("encrypt.kek.name", "new-kek");
    assertThat(connector.taskConfigs(10)).hasSize(6);
    assertThat(connector.watcher()).as("verify mode stores no offsets to watch").isNull();
    connector.stop();
  }

  private static SourceConnectorContext context() {
    return new SourceConnectorContext() {
      @Override
      public OffsetStorageReader offsetStorageReader() {
        return ReencryptFixtures.context(Map.of()).offsetStorageReader();
      }

      @Override
      public void requestTaskReconfiguration() {}

      @Override
      public void raiseError(Exception e) {}

      @Override
      public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null;
      }
    };
  }
}
