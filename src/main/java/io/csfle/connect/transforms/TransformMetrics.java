package io.csfle.connect.transforms;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * Counters a transform keeps and, on Connect 4.1+ (KIP-877), publishes as plugin metrics under
 * {@code kafka.connect:type=plugins,connector=...,task=...,transformation=<alias>}: records
 * processed, records failed, and (DecryptField) fields passed through as ciphertext.
 */
final class TransformMetrics {
  private final LongAdder records = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder passedThrough = new LongAdder();

  void recordProcessed() {
    records.increment();
  }

  void recordFailed() {
    failures.increment();
  }

  void fieldPassedThrough() {
    passedThrough.increment();
  }

  long records() {
    return records.sum();
  }

  long failures() {
    return failures.sum();
  }

  long passedThrough() {
    return passedThrough.sum();
  }

  void register(PluginMetrics metrics, String verb) {
    add(metrics, "records-total", "Records whose fields were " + verb + ".", records);
    add(metrics, "failures-total", "Records that failed while being " + verb + ".", failures);
    add(
        metrics,
        "passthrough-fields-total",
        "Fields that could not be decrypted and were passed through as ciphertext"
            + " (decrypt.on.failure=passthrough).",
        passedThrough);
  }

  private static void add(PluginMetrics metrics, String name, String doc, LongAdder counter) {
    Gauge<Long> gauge = (config, now) -> counter.sum();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }
}
