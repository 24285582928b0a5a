package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Test-only source connector: one task that writes {@code count} records of {@link TypedRecords} (a
 * field of every Connect type) to {@code topic}, keyed by their INT64 id, with schemas or, when
 * {@code schemaless} is true, as JSON-native maps without schemas, then goes idle. Takes the same
 * settings as {@link CustomerSourceConnector}.
 */
public final class TypedRecordsSourceConnector extends SourceConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return TypedRecordsSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CustomerSourceConnector.CONFIG_DEF;
  }

  @Override
  public String version() {
    return "test";
  }
}
