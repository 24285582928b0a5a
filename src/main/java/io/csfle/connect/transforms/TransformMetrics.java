package io.csfle.connect.transforms;

import io.csfle.connect.fieldcrypto.PassThroughCounter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters a transform keeps and, on Connect 4.1+ (KIP-877), publishes as plugin metrics under
 * {@code kafka.connect:type=plugins,connector=...,task=...,transformation=<alias>}: records
 * processed, records failed, (DecryptField) fields passed through as ciphertext and fields of
 * forgotten entities set to null, KMS calls, and the time a record spends in the transform (average
 * and maximum over the metrics window). At close it logs one summary line per transform instance,
 * that is per task: counts and times, never a value.
 *
 * <p>Timing a record must not allocate: it adds to counters and records into a {@link Sensor} whose
 * {@link Avg} and {@link Max} reuse their samples.
 */
final class TransformMetrics implements PassThroughCounter {
  private static final Logger log = LoggerFactory.getLogger(TransformMetrics.class);
  private static final double NANOS_PER_MICRO = 1_000.0;

  private final LongAdder records = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder passedThrough = new LongAdder();
  private final LongAdder forgotten = new LongAdder();
  private final LongAdder kmsCalls = new LongAdder();
  private final LongAdder kmsFailures = new LongAdder();
  private final LongAdder timedRecords = new LongAdder();
  private final LongAdder timedNanos = new LongAdder();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0L);
  private final AtomicBoolean summarized = new AtomicBoolean();
  private volatile Sensor recordTime;
  private volatile Map<String, String> tags = Map.of();

  void recordProcessed() {
    records.increment();
  }

  void recordFailed() {
    failures.increment();
  }

  /**
   * A record took {@code nanos} in the transform: from the start of {@code apply} (after the
   * tombstone check) to the rewritten record. Only records that were rewritten are timed.
   */
  void recordTime(long nanos) {
    timedRecords.increment();
    timedNanos.add(nanos);
    maxNanos.accumulate(nanos);
    Sensor sensor = recordTime;
    if (sensor != null) {
      sensor.record(nanos / NANOS_PER_MICRO);
    }
  }

  @Override
  public void fieldPassedThrough() {
    passedThrough.increment();
  }

  @Override
  public void fieldForgotten() {
    forgotten.increment();
  }

  /** A {@link io.csfle.connect.kms.KmsCallListener}: counts KMS calls and their failures. */
  void kmsCall(
      String kmsType, String operation, long nanos, io.csfle.connect.kms.KmsException failure) {
    kmsCalls.increment();
    if (failure != null) {
      kmsFailures.increment();
    }
  }

  long records() {
    return records.sum();
  }

  long failures() {
    return failures.sum();
  }

  @Override
  public long passedThrough() {
    return passedThrough.sum();
  }

  /** Mean time per timed record since start, in microseconds (0 before the first). */
  double averageMicros() {
    long count = timedRecords.sum();
    return count == 0 ? 0.0 : timedNanos.sum() / NANOS_PER_MICRO / count;
  }

  /** Longest time of one record since start, in microseconds. */
  double maxMicros() {
    return maxNanos.get() / NANOS_PER_MICRO;
  }

  /**
   * Logs, once, the transform's counts and per-record times since start. {@code transform} names
   * the transform class; the connector, task and alias come from the plugin metrics' tags when
   * Connect provided them.
   */
  void logSummary(String transform, String verb) {
    if (!summarized.compareAndSet(false, true)) {
      return;
    }
    log.info(
        "{} summary{}: {} records {}, {} failed, {} us average and {} us maximum per record",
        transform,
        tags.isEmpty() ? "" : " " + tags,
        records(),
        verb,
        failures(),
        String.format(Locale.ROOT, "%.1f", averageMicros()),
        String.format(Locale.ROOT, "%.1f", maxMicros()));
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
    add(
        metrics,
        "forgotten-fields-total",
        "Fields of forgotten entities (destroyed DEKs) set to null (decrypt.on.forgotten=null).",
        forgotten);
    add(
        metrics,
        "kms-calls-total",
        "KMS wrap/unwrap calls; steady state makes none per record.",
        kmsCalls);
    add(metrics, "kms-failures-total", "KMS calls that failed after retries.", kmsFailures);
    registerRecordTime(metrics, verb);
  }

  private void registerRecordTime(PluginMetrics metrics, String verb) {
    MetricName average =
        metrics.metricName(
            "record-time-us-avg",
            "Average time in microseconds a record took to be " + verb + " (metrics window).",
            new LinkedHashMap<>());
    MetricName max =
        metrics.metricName(
            "record-time-us-max",
            "Longest time in microseconds a record took to be " + verb + " (metrics window).",
            new LinkedHashMap<>());
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(average.tags()));
    // Sensor names are global to the worker's metrics: the tags (connector, task, alias) make
    // this instance's name its own.
    Sensor sensor = metrics.addSensor("csfle-record-time" + new TreeMap<>(tags));
    sensor.add(average, new Avg());
    sensor.add(max, new Max());
    recordTime = sensor;
  }

  private static void add(PluginMetrics metrics, String name, String doc, LongAdder counter) {
    Gauge<Long> gauge = (config, now) -> counter.sum();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }
}
