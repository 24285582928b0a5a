package io.csfle.connect.reencrypt;

import io.csfle.connect.PluginVersion;
import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.fieldcrypto.FailureKind;
import io.csfle.connect.fieldcrypto.FieldCryptoException;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.OffsetStorageReader;
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
  private static final String ACTION = "re-encrypting";
  static final String HEADER_PREFIX = "csfle.reencrypt.";

  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Object consumerLock = new Object();

  private ReencryptSourceConfig config;
  private Consumer<byte[], byte[]> consumer;
  private DekStore registry;
  private RecordReencryptor reencryptor;
  private ReencryptProgress progress;
  private RateLimit rateLimit;
  private Map<TopicPartition, Long> endOffsets;
  private final Set<TopicPartition> active = new HashSet<>();
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  private final Map<TopicPartition, Long> lastReturned = new HashMap<>();
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
    endOffsets = SourcePartitions.decode(config.taskPartitions());
    String name = "task " + config.taskIndex();
    progress = new ReencryptProgress(name, config.progressInterval(), System::currentTimeMillis);
    rateLimit = new RateLimit(config.maxRecordsPerSecond(), System::currentTimeMillis);
    registry = config.target().openDekStore();
    reencryptor = new RecordReencryptor(config, registry, KekProviders.standard());
    consumer = consumers.apply(config.consumerProps());
    consumer.assign(endOffsets.keySet());
    seekToStoredOffsets(context.offsetStorageReader());
    progress.register(context.pluginMetrics());
    log.info(
        "Re-encryption {} started: {} partitions, {} to read", name, endOffsets.size(), active);
  }

  private void seekToStoredOffsets(OffsetStorageReader reader) {
    List<Map<String, Object>> keys = new ArrayList<>();
    endOffsets
        .keySet()
        .forEach(tp -> keys.add(RecordReencryptor.sourcePartition(tp.topic(), tp.partition())));
    Map<Map<String, Object>, Map<String, Object>> stored = reader.offsets(keys);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(endOffsets.keySet());
    for (Map.Entry<TopicPartition, Long> entry : endOffsets.entrySet()) {
      TopicPartition tp = entry.getKey();
      Map<String, Object> offset =
          stored == null
              ? null
              : stored.get(RecordReencryptor.sourcePartition(tp.topic(), tp.partition()));
      long start = beginning.getOrDefault(tp, 0L);
      if (offset != null && offset.get(RecordReencryptor.OFFSET_KEY) instanceof Number n) {
        start = Math.max(start, n.longValue() + 1);
      }
      if (start < entry.getValue()) {
        consumer.seek(tp, start);
        active.add(tp);
        progress.addTotal(tp, entry.getValue() - start);
      } else {
        progress.addTotal(tp, 0);
      }
    }
    consumer.pause(difference(endOffsets.keySet(), active));
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
    if (pending.isEmpty() && active.isEmpty() && endMarkers.isEmpty()) {
      return finished();
    }
    if (pending.isEmpty() && !active.isEmpty()) {
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
    while (!pending.isEmpty() && handled < allowance) {
      ConsumerRecord<byte[], byte[]> record = pending.peek();
      int before = out.size();
      try {
        handle(record, out);
      } catch (RuntimeException e) {
        if (FailureKind.of(e) == FailureKind.OUTAGE && !out.isEmpty()) {
          break; // return what is done; the next poll retries this record
        }
        throw ConnectErrors.map(e, coordinates(record), ACTION);
      }
      pending.poll();
      if (out.size() > before) {
        lastReturned.put(new TopicPartition(record.topic(), record.partition()), record.offset());
      }
      handled++;
    }
    rateLimit.used(handled);
    progress.maybeLog();
    return out.isEmpty() ? null : out;
  }

  private void fetch() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(config.pollTimeout())) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      Long end = endOffsets.get(tp);
      if (end != null && record.offset() < end && active.contains(tp)) {
        pending.add(record);
      }
    }
    Set<TopicPartition> reached = new HashSet<>();
    Set<TopicPartition> withPending = new HashSet<>();
    pending.forEach(r -> withPending.add(new TopicPartition(r.topic(), r.partition())));
    for (TopicPartition tp : active) {
      if (!withPending.contains(tp) && consumer.position(tp) >= endOffsets.get(tp)) {
        reached.add(tp);
      }
    }
    if (!reached.isEmpty()) {
      active.removeAll(reached);
      consumer.pause(reached);
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
    long last = endOffsets.get(tp) - 1;
    if (config.reportTopic() == null
        || config.verifyOnly()
        || last < 0
        || lastReturned.getOrDefault(tp, -1L) >= last) {
      return;
    }
    String json =
        "{\"event\":\"partition-end\",\"task\":\"task "
            + config.taskIndex()
            + "\",\"topic\":\""
            + tp.topic()
            + "\",\"partition\":"
            + tp.partition()
            + ",\"endOffset\":"
            + (last + 1)
            + "}";
    endMarkers.add(
        new SourceRecord(
            RecordReencryptor.sourcePartition(tp.topic(), tp.partition()),
            Map.of(RecordReencryptor.OFFSET_KEY, last),
            config.reportTopic(),
            null,
            null,
            null,
            org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
            json));
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, List<SourceRecord> out) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    RecordReencryptor.Result result;
    try {
      result = reencryptor.process(record);
    } catch (RuntimeException e) {
      if (FailureKind.of(e) != FailureKind.RECORD) {
        throw e; // not this record's fault: poll() maps it, and Connect retries or stops
      }
      if (config.verifyOnly()) {
        log.warn("Verify: {}", ConnectErrors.map(e, coordinates(record), ACTION).getMessage());
      } else if (config.errorsTopic() != null) {
        out.add(errorRecord(record, e));
      } else {
        throw e;
      }
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

  /**
   * The source record unchanged, to the errors topic, with its coordinates and error class. A
   * record the source converters cannot read goes as its raw bytes (BYTES key and value).
   */
  private SourceRecord errorRecord(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
    SourceRecord unchanged;
    try {
      unchanged = reencryptor.convert(record, config.errorsTopic());
    } catch (DataException unreadable) {
      unchanged = reencryptor.rawBytes(record, config.errorsTopic());
    }
    SourceRecord routed =
        unchanged.newRecord(
            unchanged.topic(),
            null,
            unchanged.keySchema(),
            unchanged.key(),
            unchanged.valueSchema(),
            unchanged.value(),
            unchanged.timestamp(),
            unchanged.headers());
    routed
        .headers()
        .addBytes(HEADER_PREFIX + "source.topic", utf8(record.topic()))
        .addBytes(HEADER_PREFIX + "source.partition", utf8(Integer.toString(record.partition())))
        .addBytes(HEADER_PREFIX + "source.offset", utf8(Long.toString(record.offset())))
        .addBytes(
            HEADER_PREFIX + "error.class",
            utf8(FieldCryptoException.rootOf(e).getClass().getName()));
    return routed;
  }

  private List<SourceRecord> finished() throws InterruptedException {
    progress.complete();
    if (!reportSent && config.reportTopic() != null) {
      reportSent = true;
      return List.of(
          new SourceRecord(
              null,
              null,
              config.reportTopic(),
              null,
              null,
              null,
              org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
              progress.summaryJson()));
    }
    Thread.sleep(config.pollTimeout().toMillis());
    return null;
  }

  ReencryptProgress progress() {
    return progress;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String coordinates(ConsumerRecord<?, ?> record) {
    return "record in topic '"
        + record.topic()
        + "', partition "
        + record.partition()
        + ", offset "
        + record.offset();
  }

  private static Set<TopicPartition> difference(
      Set<TopicPartition> all, Set<TopicPartition> minus) {
    Set<TopicPartition> result = new HashSet<>(all);
    result.removeAll(minus);
    return result;
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
