package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Benchmark sink: one task that counts and discards what it is given and, at the {@code records}-th
 * record, writes the run's time and worker CPU to {@code report.file} ({@link PipelineProgress}).
 * Whatever the worker spends on a record besides this sink (consumer, converter, transforms) is
 * what the benchmark measures.
 */
public final class CountingSinkConnector extends SinkConnector {
  public static final String RECORDS_CONFIG = "records";
  public static final String REPORT_FILE_CONFIG = "report.file";

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              RECORDS_CONFIG,
              Type.LONG,
              ConfigDef.NO_DEFAULT_VALUE,
              ConfigDef.Range.atLeast(1),
              Importance.HIGH,
              "How many records make a complete run.")
          .define(
              REPORT_FILE_CONFIG,
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
    return CountingSinkTask.class;
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
