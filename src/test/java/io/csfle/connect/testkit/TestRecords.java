package io.csfle.connect.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Connect records for unit tests, built one way: a source record as a source task makes it (no
 * source partition or offset, partition 0, no key), a sink record as a sink task gets it, and
 * copies of a value with one field or entry replaced (how tests tamper with ciphertexts).
 */
public final class TestRecords {
  private TestRecords() {}

  /** A source record of {@code value} on partition 0 of {@code topic}, without a key. */
  public static SourceRecord source(String topic, Schema schema, Object value) {
    return new SourceRecord(null, null, topic, 0, schema, value);
  }

  /** A sink record of {@code value}, without a key, at {@code partition} and {@code offset}. */
  public static SinkRecord sink(
      String topic, int partition, Schema schema, Object value, long offset) {
    return new SinkRecord(topic, partition, null, null, schema, value, offset);
  }

  /** {@code record} as a sink task gets it after Kafka, key included, at the given place. */
  public static SinkRecord asSink(SourceRecord record, int partition, long offset) {
    return new SinkRecord(
        record.topic(),
        partition,
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        offset);
  }

  /** A copy of {@code struct} with {@code field} set to {@code replacement}. */
  public static Struct withField(Struct struct, String field, Object replacement) {
    Struct changed = new Struct(struct.schema());
    struct.schema().fields().forEach(f -> changed.put(f, struct.get(f)));
    return changed.put(field, replacement);
  }

  /** A copy of {@code map} with {@code key} mapped to {@code replacement}. */
  public static Map<Object, Object> withEntry(Map<?, ?> map, String key, Object replacement) {
    Map<Object, Object> changed = new LinkedHashMap<>(map);
    changed.put(key, replacement);
    return changed;
  }
}
