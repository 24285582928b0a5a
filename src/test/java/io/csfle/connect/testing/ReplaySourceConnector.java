package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Benchmark source: one task that reads the first {@code records} records of {@code source.topic}
 * and writes them again to {@code topic}, each value parsed from schemaless JSON into a map (so
 * that a field-level transform such as {@code EncryptField} can work on it; a byte copy such as
 * MirrorMaker's cannot carry one), the key as a string. When the producer has acknowledged the last
 * record it writes the run's time and worker CPU to {@code report.file} ({@link PipelineProgress}).
 */
public final class ReplaySourceConnector extends SourceConnector {
  public static final String SOURCE_BOOTSTRAP_CONFIG = "source.bootstrap.servers";
  public static final String SOURCE_TOPIC_CONFIG = "source.topic";
  public static final String TOPIC_CONFIG = "topic";

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              SOURCE_BOOTSTRAP_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Bootstrap servers of the cluster holding the topic to replay.")
          .define(
              SOURCE_TOPIC_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Topic to replay, from its beginning; its values are schemaless JSON objects.")
          .define(
              TOPIC_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Topic to write the replayed records to.")
          .define(
              CountingSinkConnector.RECORDS_CONFIG,
              Type.LONG,
              ConfigDef.NO_DEFAULT_VALUE,
              ConfigDef.Range.atLeast(1),
              Importance.HIGH,
              "How many records to replay; then the task idles.")
          .define(
              CountingSinkConnector.REPORT_FILE_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "File the run's records, elapsed time and worker CPU time are written to.");

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ReplaySourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public String version() {
    return "test";
  }
}
