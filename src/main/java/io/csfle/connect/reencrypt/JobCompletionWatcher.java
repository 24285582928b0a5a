package io.csfle.connect.reencrypt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job-wide progress and completion, seen from the connector: compares the source offsets the tasks
 * stored through Connect with the end offsets captured when the job started. A partition is done
 * when its stored offset is the last one before its end, when it had nothing to read, or when its
 * stored offset stopped moving and the source log holds no readable record between it and the end
 * (transaction markers, aborted records). Because it reads only stored offsets, the signal survives
 * task restarts, rebalances and moves of the connector; counts are offset spans, not records the
 * tasks handled. Not thread-safe: one thread calls {@link #check()}.
 */
final class JobCompletionWatcher {
  private static final Logger log = LoggerFactory.getLogger(JobCompletionWatcher.class);

  /** What the watcher needs of the source cluster. */
  interface SourceLog extends AutoCloseable {
    Map<TopicPartition, Long> beginningOffsets(java.util.Set<TopicPartition> partitions);

    /** True when a readable record lies in [from, end) of the partition, or that is unknown. */
    boolean hasRecords(TopicPartition partition, long from, long end);

    @Override
    void close();
  }

  /** Where the job summary goes: returns false when it could not be written (tried again). */
  interface SummarySink extends AutoCloseable {
    boolean publish(String job, String run, String json);

    @Override
    void close();
  }

  private final String job;
  private final Map<TopicPartition, Long> ends;
  private final String run;
  private final OffsetStorageReader offsets;
  private final SourceLog source;
  private final SummarySink sink;
  private final LongSupplier clock;
  private final long progressIntervalMillis;

  private Map<TopicPartition, Long> starts;
  private final Map<TopicPartition, Long> lastPosition = new HashMap<>();
  private final Map<TopicPartition, Boolean> done = new HashMap<>();
  private long firstCheckMillis;
  private long doneAtFirstCheck;
  private long lastLogMillis;
  private volatile long total;
  private volatile long recordsDone;
  private volatile int partitionsDone;
  private volatile boolean complete;
  private boolean summaryWritten;

  JobCompletionWatcher(
      String job,
      Map<TopicPartition, Long> ends,
      OffsetStorageReader offsets,
      SourceLog source,
      SummarySink sink,
      Duration progressInterval,
      LongSupplier clock) {
    this.job = job;
    this.ends = Map.copyOf(ends);
    this.run = runId(ends);
    this.offsets = offsets;
    this.source = source;
    this.sink = sink;
    this.progressIntervalMillis = progressInterval.toMillis();
    this.clock = clock;
  }

  /** Identifies one run of the job: the connector's end offsets, which a restart keeps. */
  static String runId(Map<TopicPartition, Long> ends) {
    List<String> parts = new ArrayList<>();
    ends.forEach((tp, end) -> parts.add(SourcePartitions.encode(tp, end)));
    parts.sort(Comparator.naturalOrder());
    byte[] bytes = String.join(",", parts).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(bytes).toString();
  }

  String run() {
    return run;
  }

  boolean isComplete() {
    return complete;
  }

  /** True once the job is complete and, when there is a report topic, its summary is written. */
  boolean isFinished() {
    return complete && (sink == null || summaryWritten);
  }

  long recordsTotal() {
    return total;
  }

  long recordsDone() {
    return recordsDone;
  }

  /** One round: reads stored offsets, logs progress or completion, writes the summary. */
  void check() {
    if (isFinished()) {
      return;
    }
    long now = clock.getAsLong();
    boolean first = starts == null;
    if (first) {
      starts = new HashMap<>(source.beginningOffsets(ends.keySet()));
      long sum = 0;
      for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
        sum += Math.max(0, e.getValue() - start(e.getKey()));
      }
      total = sum;
      firstCheckMillis = now;
      lastLogMillis = now;
    }
    if (!complete) {
      update(now);
    }
    if (first) {
      doneAtFirstCheck = recordsDone;
    }
    if (complete && sink != null && !summaryWritten) {
      summaryWritten = sink.publish(job, run, summaryJson());
    }
  }

  private void update(long now) {
    Map<TopicPartition, Long> positions = storedPositions();
    long sum = 0;
    int finished = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      TopicPartition tp = e.getKey();
      long end = e.getValue();
      long start = start(tp);
      long position = Math.max(start, positions.getOrDefault(tp, start));
      if (!done.getOrDefault(tp, false)) {
        Long previous = lastPosition.put(tp, position);
        boolean stalled = previous != null && previous == position;
        done.put(tp, position >= end || (stalled && !source.hasRecords(tp, position, end)));
      }
      if (done.get(tp)) {
        finished++;
        sum += Math.max(0, end - start);
      } else {
        sum += Math.max(0, Math.min(position, end) - start);
      }
    }
    recordsDone = sum;
    partitionsDone = finished;
    if (finished == ends.size()) {
      complete = true;
      log.info(
          "Re-encryption job '{}' complete: {} records in {} partitions (offset spans of the"
              + " source partitions up to the end offsets captured at start; run {})",
          job,
          total,
          ends.size(),
          run);
    } else if (now - lastLogMillis >= progressIntervalMillis) {
      lastLogMillis = now;
      logProgress(now);
    }
  }

  private void logProgress(long now) {
    log.info("{}", progressLine(now));
  }

  /** The progress line: done/total, partitions done, rate since the first check, and ETA. */
  String progressLine(long now) {
    double seconds = Math.max(1, now - firstCheckMillis) / 1000.0;
    double rate = (recordsDone - doneAtFirstCheck) / seconds;
    long remaining = Math.max(0, total - recordsDone);
    String eta = rate > 0 ? Duration.ofSeconds((long) (remaining / rate)).toString() : "unknown";
    return String.format(
        "Re-encryption job '%s': %d/%d records, %d/%d partitions done, %.0f records/s, ETA %s",
        job, recordsDone, total, partitionsDone, ends.size(), rate, eta);
  }

  /** The next offset to read per partition: the stored offset plus one. */
  private Map<TopicPartition, Long> storedPositions() {
    Map<Map<String, Object>, TopicPartition> keys = new HashMap<>();
    ends.keySet()
        .forEach(tp -> keys.put(RecordReencryptor.sourcePartition(tp.topic(), tp.partition()), tp));
    Map<Map<String, Object>, Map<String, Object>> stored = offsets.offsets(keys.keySet());
    Map<TopicPartition, Long> positions = new HashMap<>();
    if (stored != null) {
      stored.forEach(
          (partition, offset) -> {
            TopicPartition tp = keys.get(partition);
            if (tp != null
                && offset != null
                && offset.get(RecordReencryptor.OFFSET_KEY) instanceof Number n) {
              positions.put(tp, n.longValue() + 1);
            }
          });
    }
    return positions;
  }

  private long start(TopicPartition tp) {
    return starts.getOrDefault(tp, 0L);
  }

  /** The job summary (topic names and the connector name are its only strings). */
  String summaryJson() {
    StringBuilder json = new StringBuilder("{\"job\":\"").append(escape(job)).append('"');
    json.append(",\"run\":\"").append(run).append('"');
    json.append(",\"complete\":").append(complete);
    json.append(",\"counts\":\"offsets\"");
    json.append(",\"records\":").append(total);
    json.append(",\"partitionCount\":").append(ends.size());
    json.append(",\"partitions\":[");
    List<TopicPartition> sorted = new ArrayList<>(ends.keySet());
    sorted.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    String sep = "";
    for (TopicPartition tp : sorted) {
      long start = start(tp);
      long end = ends.get(tp);
      json.append(sep)
          .append("{\"topic\":\"")
          .append(tp.topic())
          .append("\",\"partition\":")
          .append(tp.partition())
          .append(",\"startOffset\":")
          .append(start)
          .append(",\"endOffset\":")
          .append(end)
          .append(",\"records\":")
          .append(Math.max(0, end - start))
          .append('}');
      sep = ",";
    }
    return json.append("]}").toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Publishes job-wide gauges as plugin metrics of the connector. */
  void register(PluginMetrics metrics) {
    if (metrics == null) {
      return;
    }
    gauge(
        metrics,
        "job-complete",
        "1 once every partition reached its end offset.",
        () -> complete ? 1L : 0L);
    gauge(metrics, "job-records-total", "Offset span of the job, known at start.", () -> total);
    gauge(metrics, "job-records-done", "Offset span done, from stored offsets.", () -> recordsDone);
    gauge(metrics, "job-partitions-total", "Source partitions of the job.", () -> ends.size());
    gauge(metrics, "job-partitions-done", "Partitions read to their end.", () -> partitionsDone);
  }

  private static void gauge(PluginMetrics metrics, String name, String doc, LongSupplier value) {
    Gauge<Long> gauge = (config, now) -> value.getAsLong();
    metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>()), gauge);
  }

  void close() {
    source.close();
    if (sink != null) {
      sink.close();
    }
  }
}
