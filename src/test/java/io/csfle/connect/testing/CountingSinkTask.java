package io.csfle.connect.testing;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Counts the records it is given, drops them, and reports the run when all have arrived. */
public final class CountingSinkTask extends SinkTask {
  private PipelineProgress progress;

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig config = new AbstractConfig(CountingSinkConnector.CONFIG_DEF, props);
    progress =
        new PipelineProgress(
            Path.of(config.getString(CountingSinkConnector.REPORT_FILE_CONFIG)),
            config.getLong(CountingSinkConnector.RECORDS_CONFIG));
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    progress.add(records.size());
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return "test";
  }
}
