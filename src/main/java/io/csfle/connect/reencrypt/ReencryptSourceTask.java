package io.csfle.connect.reencrypt;

import io.csfle.connect.PluginVersion;
import io.csfle.connect.fieldcrypto.FailureKind;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads its share of the source partitions up to the end offsets captured when the job started and
 * returns the re-encrypted records. Partitions are assigned, not subscribed (no consumer group);
 * each resumes at the offset stored through Connect plus one. Records that were polled but not yet
 * returned (rate limit, an outage) stay queued and are handled by the next poll, so a retried
 * failure neither skips nor repeats a record.
 */
public class ReencryptSourceTask extends SourceTask {
  private static final Logger log = LoggerFactory.getLogger(ReencryptSourceTask.class);

  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Object consumerLock = new Object();

  private ReencryptSourceConfig config;
  private Consumer<byte[], byte[]> consumer;
  private DekStore registry;
  private RecordReencryptor reencryptor;
  private ReencryptProgress progress;
  private RateLimit rateLimit;
  private AssignedPartitions partitions;
  private FailedRecordPolicy failures;
  private final List<SourceRecord> endMarkers = new ArrayList<>();
  private boolean reportSent;
  private volatile boolean stopping;

  public ReencryptSourceTask() {
    this(KafkaConsumer::new);
  }

  /** For tests: {@code consumers} builds the source consumer from its configuration. */
  ReencryptSourceTask(Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
    this.consumers = consumers;
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new ReencryptSourceConfig(props);
    SubjectRules.require(config);
    String name = "task " + config.taskIndex();
    progress = new ReencryptProgress(name, config.progressInterval(), System::currentTimeMillis);
    rateLimit = new RateLimit(config.maxRecordsPerSecond(), System::currentTimeMillis);
    registry = config.target().openDekStore();
    reencryptor = new RecordReencryptor(config, registry, KekProviders.standard());
    failures = new FailedRecordPolicy(config, reencryptor);
    consumer = consumers.apply(config.consumerProps());
    partitions = new AssignedPartitions(consumer, SourcePartitions.decode(config.taskPartitions()));
    partitions.assignAndSeek(context.offsetStorageReader(), progress);
    progress.register(context.pluginMetrics());
    log.info(
        "Re-encryption {} started: {} partitions, {} to read",
        name,
        partitions.size(),
        partitions.toRead());
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    synchronized (consumerLock) {
      if (stopping) {
        return null;
      }
      try {
        return pollOnce();
      } catch (WakeupException e) {
        return null;
      }
    }
  }

  private List<SourceRecord> pollOnce() throws InterruptedException {
    if (!partitions.hasPending() && partitions.allReached() && endMarkers.isEmpty()) {
      return finished();
    }
    if (!partitions.hasPending() && !partitions.allReached()) {
      fetch();
    }
    long allowance = rateLimit.allowance();
    if (allowance == 0) {
      Thread.sleep(Math.min(rateLimit.millisToNextWindow(), config.pollTimeout().toMillis()));
      return null;
    }
    List<SourceRecord> out = new ArrayList<>(endMarkers);
    endMarkers.clear();
    long handled = 0;
    while (partitions.hasPending() && handled < allowance) {
      ConsumerRecord<byte[], byte[]> record = partitions.nextPending();
      int before = out.size();
      try {
        handle(record, out);
      } catch (RuntimeException e) {
        if (FailureKind.of(e) == FailureKind.OUTAGE && !out.isEmpty()) {
          break; // return what is done; the next poll retries this record
        }
        throw FailedRecordPolicy.toConnect(e, record);
      }
      partitions.handled(record, out.size() > before);
      handled++;
    }
    rateLimit.used(handled);
    progress.maybeLog();
    return out.isEmpty() ? null : out;
  }

  private void fetch() {
    Set<TopicPartition> reached = partitions.fetch(config.pollTimeout());
    if (!reached.isEmpty()) {
      log.info("Re-encryption task {} reached the end offsets of {}", config.taskIndex(), reached);
      reached.forEach(this::markEndIfUnstored);
    }
  }

  /**
   * When the last offsets before a partition's end were not returned (records already at the target
   * in place, transaction markers), stores the end through a small record to the report topic, so
   * the stored offset shows the partition finished and a restart does not read that tail again. Not
   * in verify mode, whose offsets must not make a later job skip records.
   */
  private void markEndIfUnstored(TopicPartition tp) {
    long last = partitions.endOffset(tp) - 1;
    if (config.reportTopic() == null
        || config.verifyOnly()
        || last < 0
        || partitions.lastReturned(tp) >= last) {
      return;
    }
    endMarkers.add(ReportRecords.partitionEnd(config.reportTopic(), config.taskIndex(), tp, last));
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, List<SourceRecord> out) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    RecordReencryptor.Result result;
    try {
      result = reencryptor.process(record);
    } catch (RuntimeException e) {
      failures.absorbOrThrow(record, e, out);
      progress.failed(tp);
      return;
    }
    if (result.outcome() == RecordReencryptor.Outcome.SKIPPED) {
      progress.skipped(tp);
      if (!config.verifyOnly() && !config.inPlace()) {
        out.add(result.output());
      }
    } else {
      progress.reencrypted(tp, result.sourceVersions());
      if (!config.verifyOnly()) {
        out.add(result.output());
      }
    }
  }

  private List<SourceRecord> finished() throws InterruptedException {
    progress.complete();
    if (!reportSent && config.reportTopic() != null) {
      reportSent = true;
      return List.of(ReportRecords.summary(config.reportTopic(), progress.summaryJson()));
    }
    Thread.sleep(config.pollTimeout().toMillis());
    return null;
  }

  ReencryptProgress progress() {
    return progress;
  }

  @Override
  public void stop() {
    stopping = true;
    Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    synchronized (consumerLock) {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
      }
      if (reencryptor != null) {
        reencryptor.close();
        reencryptor = null;
      }
      if (registry != null) {
        registry.close();
        registry = null;
      }
    }
  }

  Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    counts.put("reencrypted", progress.reencryptedCount());
    counts.put("skipped", progress.skippedCount());
    counts.put("failed", progress.failedCount());
    return counts;
  }
}
