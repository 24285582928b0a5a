package io.csfle.connect.reencrypt;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's progress: records done of the total known at start, re-encrypted, skipped and failed
 * counts, per partition and in all, the records per source DEK version seen; logged at an interval,
 * published as KIP-877 plugin metrics, and summarised as JSON when the task finishes. Counts cover
 * this run of the task (a restarted task resumes from stored offsets and counts what it still
 * reads).
 */
final class ReencryptProgress {
  private static final Logger log = LoggerFactory.getLogger(ReencryptProgress.class);

  private final String task;
  private final LongSupplier clock;
  private final long intervalMillis;
  private final long startMillis;
  private long lastLogMillis;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong reencrypted = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean complete;
  private final Map<TopicPartition, long[]> byPartition =
      new TreeMap<>(
          (a, b) ->
              a.topic().equals(b.topic())
                  ? Integer.compare(a.partition(), b.partition())
                  : a.topic().compareTo(b.topic()));
  private final TreeMap<Integer, Long> sourceVersions = new TreeMap<>();

  ReencryptProgress(String task, Duration interval, LongSupplier clock) {
    this.task = task;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.startMillis = clock.getAsLong();
    this.lastLogMillis = startMillis;
  }

  void addTotal(TopicPartition partition, long records) {
    total.addAndGet(records);
    byPartition.computeIfAbsent(partition, p -> new long[3]);
  }

  void reencrypted(TopicPartition partition, Map<Integer, Integer> versions) {
    count(partition, 0, reencrypted);
    versions.keySet().forEach(v -> sourceVersions.merge(v, 1L, Long::sum));
  }

  void skipped(TopicPartition partition) {
    count(partition, 1, skipped);
  }

  void failed(TopicPartition partition) {
    count(partition, 2, failed);
  }

  private void count(TopicPartition partition, int index, AtomicLong counter) {
    byPartition.computeIfAbsent(partition, p -> new long[3])[index]++;
    counter.incrementAndGet();
    done.incrementAndGet();
  }

  long done() {
    return done.get();
  }

  long reencryptedCount() {
    return reencrypted.get();
  }

  long skippedCount() {
    return skipped.get();
  }

  long failedCount() {
    return failed.get();
  }

  boolean isComplete() {
    return complete;
  }

  /** Logs a progress line when the interval has passed. */
  void maybeLog() {
    long now = clock.getAsLong();
    if (now - lastLogMillis < intervalMillis) {
      return;
    }
    lastLogMillis = now;
    double rate = rate(now);
    long remaining = Math.max(0, total.get() - done.get());
    String eta = rate > 0 ? Duration.ofSeconds((long) (remaining / rate)).toString() : "unknown";
    log.info(
        "Re-encryption {}: {}/{} records ({} re-encrypted, {} skipped, {} failed), {} records/s,"
            + " ETA {}",
        task,
        done.get(),
        total.get(),
        reencrypted.get(),
        skipped.get(),
        failed.get(),
        String.format("%.0f", rate),
        eta);
  }

  /** Marks the task finished and logs the completion line once. */
  void complete() {
    if (complete) {
      return;
    }
    complete = true;
    long now = clock.getAsLong();
    log.info(
        "Re-encryption {} complete: {} records in {} ({} re-encrypted, {} skipped, {} failed),"
            + " source DEK versions {}",
        task,
        done.get(),
        Duration.ofMillis(now - startMillis),
        reencrypted.get(),
        skipped.get(),
        failed.get(),
        sourceVersions);
  }

  private double rate(long now) {
    long elapsed = Math.max(1, now - startMillis);
    return done.get() * 1000.0 / elapsed;
  }

  /** The summary as a JSON object (topic names are the only strings, and Kafka restricts them). */
  String summaryJson() {
    StringBuilder json = new StringBuilder("{\"task\":\"").append(task).append('"');
    json.append(",\"complete\":").append(complete);
    json.append(",\"records\":").append(done.get());
    json.append(",\"reencrypted\":").append(reencrypted.get());
    json.append(",\"skipped\":").append(skipped.get());
    json.append(",\"failed\":").append(failed.get());
    json.append(",\"sourceDekVersions\":{");
    String sep = "";
    for (Map.Entry<Integer, Long> e : sourceVersions.entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
      sep = ",";
    }
    json.append("},\"partitions\":[");
    sep = "";
    for (Map.Entry<TopicPartition, long[]> e : byPartition.entrySet()) {
      long[] c = e.getValue();
      json.append(sep)
          .append("{\"topic\":\"")
          .append(e.getKey().topic())
          .append("\",\"partition\":")
          .append(e.getKey().partition())
          .append(",\"reencrypted\":")
          .append(c[0])
          .append(",\"skipped\":")
          .append(c[1])
          .append(",\"failed\":")
          .append(c[2])
          .append('}');
      sep = ",";
    }
    return json.append("]}").toString();
  }

  /** Publishes the counters as plugin metrics of the task. */
  void register(PluginMetrics metrics) {
    if (metrics == null) {
      return;
    }
    gauge(metrics, "records-total", "Records the task has to read, known at start.", total::get);
    gauge(metrics, "records-done", "Records read and handled so far.", done::get);
    gauge(metrics, "reencrypted-total", "Records re-encrypted.", reencrypted::get);
    gauge(
        metrics,
        "skipped-total",
        "Records already at the target, left as they were.",
        skipped::get);
    gauge(metrics, "failed-total", "Records that could not be decrypted.", failed::get);
    gauge(
        metrics,
        "complete",
        "1 once the task read all its partitions to their end offsets.",
        () -> complete ? 1L : 0L);
    gauge(
        metrics,
        "records-per-second",
        "Average rate since the task started.",
        () -> (long) rate(clock.getAsLong()));
  }

  private static void gauge(PluginMetrics metrics, String name, String doc, LongSupplier value) {
    Gauge<Long> gauge = (config, now) -> value.getAsLong();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }
}
