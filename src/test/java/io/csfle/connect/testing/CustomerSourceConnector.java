package io.csfle.connect.testing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Test-only source connector: one task that writes {@code count} records of {@link CustomerRecords}
 * to {@code topic}, with schemas or, when {@code schemaless} is true, as maps without schemas, then
 * goes idle; with {@code with.customer.id}, each value starts with its customer's number.
 */
public final class CustomerSourceConnector extends SourceConnector {
  public static final String TOPIC_CONFIG = "topic";
  public static final String COUNT_CONFIG = "count";
  public static final String SCHEMALESS_CONFIG = "schemaless";
  public static final String CUSTOMER_ID_CONFIG = "with.customer.id";

  static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              TOPIC_CONFIG,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Topic to write to.")
          .define(
              COUNT_CONFIG,
              Type.INT,
              10,
              ConfigDef.Range.atLeast(0),
              Importance.HIGH,
              "How many records to write.")
          .define(
              SCHEMALESS_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "Write maps without schemas instead of structs.")
          .define(
              CUSTOMER_ID_CONFIG,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Give each value a customer_id field first (the customer's number).");

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CustomerSourceTask.class;
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
