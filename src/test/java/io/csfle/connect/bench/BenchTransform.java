package io.csfle.connect.bench;

import io.csfle.connect.transforms.CollectingPluginMetrics;
import io.csfle.connect.transforms.EncryptField;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** One configured {@code EncryptField$Value} and the records it is given. */
final class BenchTransform implements AutoCloseable {
  private final EncryptField.Value<SourceRecord> transform = new EncryptField.Value<>();

  private final Struct[] values;

  BenchTransform(Map<String, String> config, CollectingPluginMetrics metrics, Struct[] values) {
    this.values = values;
    transform.configure(config);
    transform.withPluginMetrics(metrics);
  }

  /** Encrypts {@code count} records, record r of customer {@code ids(r)}; returns nanoseconds. */
  long run(LongUnaryOperator ids, long count) {
    long started = System.nanoTime();
    long reported = started;
    for (long r = 0; r < count; r++) {
      SourceRecord record =
          new SourceRecord(
              null,
              null,
              EntityKeysBench.TOPIC,
              0,
              Schema.INT64_SCHEMA,
              ids.applyAsLong(r),
              FieldEncryptionBenchmark.VALUE_SCHEMA,
              values[(int) (r & 15)]);
      if (transform.apply(record).value() == null) {
        throw new IllegalStateException("no value");
      }
      if ((r & 1023) == 1023 && System.nanoTime() - reported > 30_000_000_000L) {
        reported = System.nanoTime();
        EntityKeysBench.progress(
            String.format(
                Locale.ROOT,
                "  %,d of %,d records, %,.0f records/s",
                r + 1,
                count,
                (r + 1) * 1e9 / (reported - started)));
      }
    }
    return System.nanoTime() - started;
  }

  @Override
  public void close() {
    transform.close();
  }
}
