package io.csfle.connect.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Writes records {@code 0..count-1} in batches, resuming after the last committed index when
 * restarted, then idles.
 */
public final class CustomerSourceTask extends SourceTask {
  private static final int BATCH = 50;
  private static final long IDLE_MS = 100;

  private String topic;
  private int count;
  private boolean schemaless;
  private boolean withCustomerId;
  private Map<String, String> partition;
  private int next;

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig config = new AbstractConfig(CustomerSourceConnector.CONFIG_DEF, props);
    topic = config.getString(CustomerSourceConnector.TOPIC_CONFIG);
    count = config.getInt(CustomerSourceConnector.COUNT_CONFIG);
    schemaless = config.getBoolean(CustomerSourceConnector.SCHEMALESS_CONFIG);
    withCustomerId = config.getBoolean(CustomerSourceConnector.CUSTOMER_ID_CONFIG);
    partition = Map.of("topic", topic);
    Map<String, Object> committed = context.offsetStorageReader().offset(partition);
    next = committed == null ? 0 : ((Number) committed.get("index")).intValue() + 1;
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (next >= count) {
      Thread.sleep(IDLE_MS);
      return null;
    }
    List<SourceRecord> batch = new ArrayList<>();
    for (int end = Math.min(count, next + BATCH); next < end; next++) {
      batch.add(record(next));
    }
    return batch;
  }

  private SourceRecord record(int i) {
    Map<String, Long> offset = Map.of("index", (long) i);
    if (schemaless) {
      return new SourceRecord(
          partition,
          offset,
          topic,
          0,
          null,
          CustomerRecords.keyMap(i),
          null,
          withCustomerId ? CustomerRecords.valueMapWithCustomerId(i) : CustomerRecords.valueMap(i));
    }
    return new SourceRecord(
        partition,
        offset,
        topic,
        0,
        CustomerRecords.KEY_SCHEMA,
        CustomerRecords.key(i),
        withCustomerId
            ? CustomerRecords.VALUE_WITH_CUSTOMER_ID_SCHEMA
            : CustomerRecords.VALUE_SCHEMA,
        withCustomerId ? CustomerRecords.valueWithCustomerId(i) : CustomerRecords.value(i));
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return "test";
  }
}
