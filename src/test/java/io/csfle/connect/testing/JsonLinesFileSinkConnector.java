package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Demo sink connector for a worker in its own process: its task appends each record's value to
 * {@code file} as one line of schemaless JSON (bytes as base64), so that a test or a person can
 * compare what arrived with what the source wrote. Kafka's FileStreamSink prints {@code
 * Struct.toString()}, which shows byte arrays as object ids.
 */
public final class JsonLinesFileSinkConnector extends SinkConnector {
  public static final String FILE_CONFIG = "file";

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              FILE_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "File the record values are appended to, one JSON document a line.");

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return JsonLinesFileSinkTask.class;
  }

  /** One task: several would interleave lines in the same file. */
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
