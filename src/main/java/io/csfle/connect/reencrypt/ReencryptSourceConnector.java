package io.csfle.connect.reencrypt;

import io.csfle.connect.PluginVersion;
import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded job that re-encrypts topics already in Kafka: the source partitions and their end
 * offsets are captured when the connector starts and spread over {@code tasks.max} tasks, which
 * stop at those offsets. Source offsets are stored through Connect, so with {@code
 * exactly.once.source.support=enabled} on the workers and read_committed input the job neither
 * repeats nor drops a record across restarts and rebalances.
 */
public class ReencryptSourceConnector extends SourceConnector {
  private static final Logger log = LoggerFactory.getLogger(ReencryptSourceConnector.class);
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);

  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Function<Map<String, Object>, Admin> admins;
  private Map<String, String> props;
  private Map<TopicPartition, Long> endOffsets;
  private JobWatcherThread watcherThread;

  public ReencryptSourceConnector() {
    this(KafkaConsumer::new, Admin::create);
  }

  ReencryptSourceConnector(
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      Function<Map<String, Object>, Admin> admins) {
    this.consumers = consumers;
    this.admins = admins;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
    ReencryptSourceConfig config = new ReencryptSourceConfig(props);
    SubjectRules.require(config);
    SourceTopics topics = new SourceTopics(config, consumers, admins);
    endOffsets = topics.endOffsets();
    if (endOffsets.isEmpty()) {
      throw new ConnectException("No source topic matches topics / topics.regex");
    }
    if (!config.verifyOnly()) {
      JobTopicSetup.prepareTargets(config, topics, endOffsets);
    }
    JobTopicSetup.createSideTopics(config, topics);
    if (config.rotateOnStart() && !config.verifyOnly() && firstStart()) {
      rotateTargetDeks(config);
    }
    long total = 0;
    for (long end : endOffsets.values()) {
      total += end;
    }
    log.info(
        "Re-encryption job started: {} partitions of {} topics, end offsets sum {}",
        endOffsets.size(),
        sourceTopics().size(),
        total);
    startWatcher(config);
  }

  /**
   * Starts the job-wide watcher on its own daemon thread. Not in verify mode: there the tasks store
   * no offsets, so each task's own summary is the signal.
   */
  private void startWatcher(ReencryptSourceConfig config) {
    if (config.verifyOnly()) {
      log.info("Verify mode: job-wide completion is not tracked; each task reports its own");
      return;
    }
    String name = props.getOrDefault("name", "re-encryption");
    JobCompletionWatcher created =
        new JobCompletionWatcher(
            name,
            endOffsets,
            context().offsetStorageReader(),
            new KafkaSourceLog(consumers, config.consumerProps()),
            config.reportTopic() == null ? null : JobReportWriter.forConfig(config, consumers),
            config.progressInterval(),
            System::currentTimeMillis);
    created.register(context().pluginMetrics());
    watcherThread = JobWatcherThread.start(created, name, WATCH_INTERVAL);
  }

  JobCompletionWatcher watcher() {
    return watcherThread == null ? null : watcherThread.watcher();
  }

  private Set<String> sourceTopics() {
    Set<String> topics = new TreeSet<>();
    endOffsets.keySet().forEach(tp -> topics.add(tp.topic()));
    return topics;
  }

  /** True when no task has stored an offset yet: the job has not written anything. */
  private boolean firstStart() {
    List<Map<String, Object>> partitions = new ArrayList<>();
    endOffsets
        .keySet()
        .forEach(
            tp -> partitions.add(RecordReencryptor.sourcePartition(tp.topic(), tp.partition())));
    Map<Map<String, Object>, Map<String, Object>> stored =
        context().offsetStorageReader().offsets(partitions);
    return stored == null || stored.values().stream().allMatch(o -> o == null);
  }

  private void rotateTargetDeks(ReencryptSourceConfig config) {
    FieldCryptoSettings target = config.target();
    try (DekStore registry = target.openDekStore();
        EncryptionKeys keys =
            new EncryptionKeys(
                registry,
                KekProviders.standard(),
                target.kek(),
                target.algorithm(),
                target.expiryDays(),
                System::currentTimeMillis)) {
      for (String topic : sourceTopics()) {
        String subject = target.subjectFor(config.targetTopic(topic));
        int version = keys.rotateNow(subject).version();
        log.info("rotate.on.start: target DEK '{}' is now at version {}", subject, version);
      }
    } catch (RuntimeException e) {
      throw ConnectErrors.map(e, "rotate.on.start", "re-encrypting");
    }
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ReencryptSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    List<List<String>> groups = SourcePartitions.spread(endOffsets, maxTasks);
    for (int i = 0; i < groups.size(); i++) {
      Map<String, String> task = new HashMap<>(props);
      task.put(ReencryptSourceConfig.TASK_PARTITIONS_CONFIG, String.join(",", groups.get(i)));
      task.put(ReencryptSourceConfig.TASK_INDEX_CONFIG, Integer.toString(i));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {
    if (watcherThread != null) {
      watcherThread.stop();
      watcherThread = null;
    }
    endOffsets = null;
  }

  @Override
  public ConfigDef config() {
    return ReencryptSourceConfig.CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config result = super.validate(connectorConfigs);
    boolean keysValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
    if (!keysValid) {
      return result;
    }
    Map<String, ConfigValue> byName = new HashMap<>();
    result.configValues().forEach(v -> byName.put(v.name(), v));
    ReencryptSourceConfig config = new ReencryptSourceConfig(connectorConfigs);
    config.crossKeyErrors().forEach((key, message) -> byName.get(key).addErrorMessage(message));
    if (config.crossKeyErrors().isEmpty()) {
      TargetChecks.validateAgainstClusters(config, new SourceTopics(config, consumers, admins))
          .forEach((key, message) -> byName.get(key).addErrorMessage(message));
      KeyAccessChecks.errors(config, KekProviders.standard())
          .forEach((key, message) -> byName.get(key).addErrorMessage(message));
    }
    return result;
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    String isolation =
        connectorConfig.getOrDefault(
            ReencryptSourceConfig.ISOLATION_LEVEL_CONFIG,
            ReencryptSourceConfig.ISOLATION_LEVEL_DEFAULT);
    return "read_committed".equalsIgnoreCase(isolation.trim())
        ? ExactlyOnceSupport.SUPPORTED
        : ExactlyOnceSupport.UNSUPPORTED;
  }

  /** Transactions follow Connect's polls; the connector does not define its own boundaries. */
  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(
      Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }

  static boolean isCompacted(String policy) {
    return policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
  }
}
