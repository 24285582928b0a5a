package io.csfle.connect.transforms;

import io.csfle.connect.fieldcrypto.PassThroughCounter;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * Counters a transform keeps and, on Connect 4.1+ (KIP-877), publishes as plugin metrics under
 * {@code kafka.connect:type=plugins,connector=...,task=...,transformation=<alias>}: records
 * processed, records failed, (DecryptField) fields passed through as ciphertext and fields of
 * forgotten entities set to null, and KMS calls.
 */
final class TransformMetrics implements PassThroughCounter {
  private final LongAdder records = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder passedThrough = new LongAdder();
  private final LongAdder forgotten = new LongAdder();
  private final LongAdder kmsCalls = new LongAdder();
  private final LongAdder kmsFailures = new LongAdder();

  void recordProcessed() {
    records.increment();
  }

  void recordFailed() {
    failures.increment();
  }

  @Override
  public void fieldPassedThrough() {
    passedThrough.increment();
  }

  @Override
  public void fieldForgotten() {
    forgotten.increment();
  }

  long forgotten() {
    return forgotten.sum();
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
  }

  private static void add(PluginMetrics metrics, String name, String doc, LongAdder counter) {
    Gauge<Long> gauge = (config, now) -> counter.sum();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }
}
