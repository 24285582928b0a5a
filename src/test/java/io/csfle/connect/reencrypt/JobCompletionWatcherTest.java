package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.transforms.CollectingPluginMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

class JobCompletionWatcherTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);
  private static final TopicPartition P2 = new TopicPartition("orders", 2);

  /** Stored source offsets, as Connect's offset store would return them. */
  private static final class FakeOffsets implements OffsetStorageReader {
    final Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
    int reads;

    void store(TopicPartition tp, long offset) {
      stored.put(
          RecordReencryptor.sourcePartition(tp.topic(), tp.partition()),
          Map.of(RecordReencryptor.OFFSET_KEY, offset));
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      return stored.get(partition);
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(
        Collection<Map<String, T>> partitions) {
      reads++;
      Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
      partitions.forEach(p -> result.put(p, stored.get(p)));
      return result;
    }
  }

  /** A source log whose partitions hold readable records only where the test says so. */
  private static final class FakeSourceLog implements JobCompletionWatcher.SourceLog {
    final Map<TopicPartition, Long> beginnings = new HashMap<>();
    final Set<TopicPartition> emptyTails = new HashSet<>();
    final List<String> probes = new ArrayList<>();

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Set<TopicPartition> partitions) {
      Map<TopicPartition, Long> result = new HashMap<>();
      partitions.forEach(tp -> result.put(tp, beginnings.getOrDefault(tp, 0L)));
      return result;
    }

    @Override
    public boolean hasRecords(TopicPartition partition, long from, long end) {
      probes.add(partition + "@" + from + ".." + end);
      return !emptyTails.contains(partition);
    }

    @Override
    public void close() {}
  }

  /** Records what was published; fails as many times as asked first. */
  private static final class FakeSink implements JobCompletionWatcher.SummarySink {
    final List<String> published = new ArrayList<>();
    int failures;
    int attempts;

    @Override
    public boolean publish(String job, String run, String json) {
      attempts++;
      if (failures > 0) {
        failures--;
        return false;
      }
      published.add(json);
      return true;
    }

    @Override
    public void close() {}
  }

  private final FakeOffsets offsets = new FakeOffsets();
  private final FakeSourceLog source = new FakeSourceLog();
  private final FakeSink sink = new FakeSink();
  private final AtomicLong clock = new AtomicLong(10_000);

  private JobCompletionWatcher watcher(Map<TopicPartition, Long> ends) {
    return new JobCompletionWatcher(
        "orders-job", ends, offsets, source, sink, Duration.ofSeconds(30), clock::get);
  }

  private static Map<TopicPartition, Long> ends(long e0, long e1, long e2) {
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    ends.put(P0, e0);
    ends.put(P1, e1);
    ends.put(P2, e2);
    return ends;
  }

  @Test
  void everyPartitionAtItsEnd_completesOnce_withOneSummaryAndGauges() {
    source.beginnings.put(P1, 2L);
    JobCompletionWatcher watcher = watcher(ends(10, 7, 0));
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    watcher.register(metrics);

    watcher.check();
    assertThat(watcher.isComplete()).isFalse();
    assertThat(metrics.value("job-records-total")).isEqualTo(15L);
    assertThat(metrics.value("job-records-done")).isEqualTo(0L);
    assertThat(metrics.value("job-partitions-done")).isEqualTo(1L); // the empty one

    offsets.store(P0, 4);
    offsets.store(P1, 6);
    clock.addAndGet(5_000);
    watcher.check();
    assertThat(watcher.isComplete()).isFalse();
    assertThat(metrics.value("job-records-done")).isEqualTo(10L);
    assertThat(metrics.value("job-complete")).isEqualTo(0L);
    assertThat(sink.published).isEmpty();

    offsets.store(P0, 9);
    clock.addAndGet(5_000);
    watcher.check();
    watcher.check();
    watcher.check();

    assertThat(watcher.isComplete()).isTrue();
    assertThat(watcher.isFinished()).isTrue();
    assertThat(metrics.value("job-complete")).isEqualTo(1L);
    assertThat(metrics.value("job-records-done")).isEqualTo(15L);
    assertThat(metrics.value("job-partitions-done")).isEqualTo(3L);
    assertThat(sink.published)
        .containsExactly(
            "{\"job\":\"orders-job\",\"run\":\""
                + watcher.run()
                + "\",\"complete\":true,\"counts\":\"offsets\",\"records\":15,"
                + "\"partitionCount\":3,\"partitions\":["
                + "{\"topic\":\"orders\",\"partition\":0,\"startOffset\":0,\"endOffset\":10,"
                + "\"records\":10},"
                + "{\"topic\":\"orders\",\"partition\":1,\"startOffset\":2,\"endOffset\":7,"
                + "\"records\":5},"
                + "{\"topic\":\"orders\",\"partition\":2,\"startOffset\":0,\"endOffset\":0,"
                + "\"records\":0}]}");
    assertThat(offsets.reads).as("no reads once finished").isEqualTo(3);
    assertThat(source.probes).isEmpty();
  }

  @Test
  void stalledBelowItsEnd_isDoneOnlyWhenNoReadableRecordIsLeft() {
    JobCompletionWatcher watcher = watcher(Map.of(P0, 10L, P1, 10L));
    offsets.store(P0, 7); // then a transaction marker and an aborted record
    offsets.store(P1, 7); // then records the task has not returned yet
    source.emptyTails.add(P0);

    watcher.check();
    assertThat(source.probes).as("a partition that just moved is not probed").isEmpty();
    watcher.check();

    assertThat(source.probes).containsExactlyInAnyOrder("orders-0@8..10", "orders-1@8..10");
    assertThat(watcher.isComplete()).isFalse();
    assertThat(watcher.recordsDone()).isEqualTo(10 + 8);

    offsets.store(P1, 9);
    watcher.check();
    assertThat(watcher.isComplete()).isTrue();
    assertThat(source.probes).hasSize(2);
  }

  @Test
  void progressLine_givesDoneOfTotalRateSinceTheFirstCheckAndEta() {
    JobCompletionWatcher watcher = watcher(Map.of(P0, 100L, P1, 100L));
    offsets.store(P0, 9); // 10 done before the watcher started
    watcher.check();
    offsets.store(P0, 99);
    offsets.store(P1, 29);
    clock.addAndGet(20_000);
    watcher.check();

    // 120 done in 20 s since the first check: 6 records/s; 70 left: ETA 11.7 s, shown as 11.
    assertThat(watcher.progressLine(clock.get()))
        .isEqualTo(
            "Re-encryption job 'orders-job': 130/200 records, 1/2 partitions done, 6 records/s,"
                + " ETA PT11S");
  }

  @Test
  void noStoredOffsetAndRecordsLeft_isNotComplete() {
    JobCompletionWatcher watcher = watcher(Map.of(P0, 5L));
    for (int i = 0; i < 3; i++) {
      watcher.check();
    }
    assertThat(watcher.isComplete()).isFalse();
    assertThat(sink.attempts).isZero();
  }

  @Test
  void summaryWriteFails_isRetriedOnTheNextCheck() {
    sink.failures = 1;
    offsets.store(P0, 4);
    JobCompletionWatcher watcher = watcher(Map.of(P0, 5L));

    watcher.check();
    assertThat(watcher.isComplete()).isTrue();
    assertThat(watcher.isFinished()).isFalse();
    watcher.check();
    watcher.check();

    assertThat(sink.attempts).isEqualTo(2);
    assertThat(sink.published).hasSize(1);
    assertThat(watcher.isFinished()).isTrue();
  }

  @Test
  void withoutReportTopic_completionNeedsNoSink() {
    offsets.store(P0, 4);
    JobCompletionWatcher watcher =
        new JobCompletionWatcher(
            "j", Map.of(P0, 5L), offsets, source, null, Duration.ofSeconds(30), clock::get);
    watcher.check();
    assertThat(watcher.isFinished()).isTrue();
  }

  @Test
  void runId_dependsOnTheEndOffsetsOnly() {
    assertThat(JobCompletionWatcher.runId(ends(10, 7, 0)))
        .isEqualTo(JobCompletionWatcher.runId(Map.of(P2, 0L, P1, 7L, P0, 10L)))
        .isNotEqualTo(JobCompletionWatcher.runId(ends(10, 8, 0)));
  }

  @Test
  void jobNameWithQuotes_isEscapedInTheSummary() {
    offsets.store(P0, 0);
    JobCompletionWatcher watcher =
        new JobCompletionWatcher(
            "a\"b\\c", Map.of(P0, 1L), offsets, source, sink, Duration.ofSeconds(30), clock::get);
    watcher.check();
    assertThat(sink.published.get(0)).startsWith("{\"job\":\"a\\\"b\\\\c\",");
  }
}
