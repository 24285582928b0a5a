package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Test-only sink connector: its task puts every record it receives into {@link SinkRecordStore}
 * under the configured {@code collector.id}, where the test reads them.
 */
public final class CollectingSinkConnector extends SinkConnector {
  public static final String COLLECTOR_ID_CONFIG = "collector.id";

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              COLLECTOR_ID_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Key under which the received records are stored.");

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CollectingSinkTask.class;
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
