package io.csfle.connect.testing;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Hands every received record to {@link SinkRecordStore}. */
public final class CollectingSinkTask extends SinkTask {
  private String collectorId;

  @Override
  public void start(Map<String, String> props) {
    collectorId =
        new AbstractConfig(CollectingSinkConnector.CONFIG_DEF, props)
            .getString(CollectingSinkConnector.COLLECTOR_ID_CONFIG);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    SinkRecordStore.add(collectorId, records);
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return "test";
  }
}
