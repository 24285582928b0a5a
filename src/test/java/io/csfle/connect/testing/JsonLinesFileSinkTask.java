package io.csfle.connect.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Appends record values as schemaless JSON lines and flushes the file after every batch. */
public final class JsonLinesFileSinkTask extends SinkTask {
  private final JsonConverter json = new JsonConverter();
  private OutputStream out;

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig config = new AbstractConfig(JsonLinesFileSinkConnector.CONFIG_DEF, props);
    // Schemaless JSON in the file, whatever the worker's converters are.
    json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    Path file = Path.of(config.getString(JsonLinesFileSinkConnector.FILE_CONFIG));
    try {
      out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new ConnectException("cannot open " + file, e);
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    try {
      for (SinkRecord record : records) {
        byte[] value = json.fromConnectData(record.topic(), record.valueSchema(), record.value());
        // One write per line, so a reader never sees a line without its end.
        byte[] line = Arrays.copyOf(value, value.length + 1);
        line[value.length] = '\n';
        out.write(line);
      }
      out.flush();
    } catch (IOException e) {
      throw new ConnectException("cannot write records", e);
    }
  }

  @Override
  public void stop() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      throw new ConnectException("cannot close the file", e);
    } finally {
      json.close();
    }
  }

  @Override
  public String version() {
    return "test";
  }
}
