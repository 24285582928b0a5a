package io.csfle.connect.transforms;

import io.csfle.connect.fieldcrypto.PassThroughCounter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters a transform keeps and, on Connect 4.1+ (KIP-877), publishes as plugin metrics under
 * {@code kafka.connect:type=plugins,connector=...,task=...,transformation=<alias>}: records
 * processed, records failed, (DecryptField) fields passed through as ciphertext and fields of
 * forgotten entities set to null, KMS calls, and the time a record spends in the transform (average
 * and maximum over a window of at least 30 s, see {@link RecordTimes}). At close it logs one
 * summary line per transform instance, that is per task: counts and times since start, never a
 * value.
 *
 * <p>Every metric is a gauge over lock-free accumulators: counting or timing a record takes no
 * lock, reads no clock and allocates nothing (a Kafka {@code Sensor} would take a lock and read the
 * clock for every record).
 */
final class TransformMetrics implements PassThroughCounter {
  private static final Logger log = LoggerFactory.getLogger(TransformMetrics.class);

  private final LongAdder records = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder passedThrough = new LongAdder();
  private final LongAdder forgotten = new LongAdder();
  private final LongAdder kmsCalls = new LongAdder();
  private final LongAdder kmsFailures = new LongAdder();
  private final RecordTimes times;
  private final AtomicBoolean summarized = new AtomicBoolean();
  private volatile Map<String, String> tags = Map.of();

  TransformMetrics() {
    this(System::nanoTime);
  }

  /** Metrics whose record-time window is measured by {@code clock} (nanoseconds). */
  TransformMetrics(LongSupplier clock) {
    this.times = new RecordTimes(clock);
  }

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
    times.record(nanos);
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
    return times.averageMicros();
  }

  /** Longest time of one record since start, in microseconds. */
  double maxMicros() {
    return times.maxMicros();
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
    Gauge<Double> averageGauge = (config, now) -> times.windowAverageMicros();
    Gauge<Double> maxGauge = (config, now) -> times.windowMaxMicros();
    metrics.addMetric(average, averageGauge);
    metrics.addMetric(max, maxGauge);
  }

  private static void add(PluginMetrics metrics, String name, String doc, LongAdder counter) {
    Gauge<Long> gauge = (config, now) -> counter.sum();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }
}
