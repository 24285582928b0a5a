package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptClusterSupport.countByPartition;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.decrypt;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.failFastOn;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.jobConfig;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.readCommitted;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.text;
import static io.csfle.connect.reencrypt.ReencryptFixtures.NEW_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.testkit.ClusterExtension;
import io.csfle.connect.transforms.DecryptField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector on a real broker and three Connect workers with exactly-once source support. The
 * main job moves 100,000 records across six partitions (about 15 s of job time on two cores); the
 * system property {@code reencrypt.it.records} sets another count.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReencryptSourceConnectorIT {
  @RegisterExtension
  static final ClusterExtension clusters = ReencryptClusterSupport.clusters(3, true).withRegistry();

  private static final int RECORDS = Integer.getInteger("reencrypt.it.records", 100_000);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

  private static List<Long> ids(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static List<Struct> orders(List<Long> ids) {
    return ids.stream().map(id -> order(id)).toList();
  }

  /** Writes ids [from, to) to {@code topic} under the latest DEK of {@code kek}. */
  private static void writeEncrypted(String topic, int partitions, String kek, List<Long> ids) {
    ReencryptClusterSupport.produce(
        clusters.connectCluster(),
        topic,
        partitions,
        ids,
        ReencryptClusterSupport.encryptAll(clusters.registry().url(), kek, topic, orders(ids)));
  }

  @Test
  @Order(1)
  void plaintextTopic_isEncryptedUnderTheTargetKek() throws Exception {
    clusters.connectCluster().kafka().createTopic("plain", 1);
    List<Long> ids = ids(0, 50);
    ReencryptClusterSupport.produce(
        clusters.connectCluster(),
        "plain",
        1,
        ids,
        orders(ids).stream().map(ReencryptFixtures::plainJson).toList());
    Map<String, String> config =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "plain", 1);
    config.remove("source.encrypt.kek.name");
    config.put("source.plaintext", "true");
    clusters.connectCluster().configureConnector("plain-job", config);

    List<ConsumerRecord<byte[], byte[]>> out =
        readCommitted(
            clusters.connectCluster(),
            "plain.reencrypted",
            50,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "plain-job"));

    assertThat(out).hasSize(50);
    try (DecryptField<SinkRecord> decrypt =
        ReencryptClusterSupport.decryptor(clusters.registry().url(), NEW_KEK)) {
      for (ConsumerRecord<byte[], byte[]> r : out) {
        long id = Long.parseLong(text(r.key()).substring("key-".length()));
        assertThat(text(r.value())).doesNotContain("user" + id + "@example.com");
        assertThat(decrypt(decrypt, r)).isEqualTo(order(id));
      }
    }
    clusters.connectCluster().deleteConnector("plain-job");
  }

  @Test
  @Order(2)
  void verifyMode_writesNothing_andErrorsTopic_getsTheUndecryptableRecordUnchanged()
      throws Exception {
    clusters.connectCluster().kafka().createTopic("mixed", 1);
    ReencryptFixtures.rotateTo(clusters.registry().url(), OLD_KEK, "mixed-value", 1);
    List<Long> ids = ids(0, 30);
    List<byte[]> values =
        new ArrayList<>(
            ReencryptClusterSupport.encryptAll(
                clusters.registry().url(), OLD_KEK, "mixed", orders(ids)));
    String tampered =
        text(values.get(10)).replaceFirst("\"email\":\"(.{12})(.)", "\"email\":\"$1#");
    values.set(10, ReencryptFixtures.utf8(tampered));
    ReencryptClusterSupport.produce(clusters.connectCluster(), "mixed", 1, ids, values);

    Map<String, String> verify =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "mixed", 1);
    verify.put("mode", "verify");
    verify.put("report.topic", "mixed.verify.report");
    clusters.connectCluster().configureConnector("mixed-verify", verify);
    List<ConsumerRecord<byte[], byte[]>> report =
        readCommitted(
            clusters.connectCluster(),
            "mixed.verify.report",
            1,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "mixed-verify"));
    assertThat(report)
        .singleElement()
        .satisfies(
            r -> assertThat(report(r)).contains("\"failed\":1").contains("\"reencrypted\":29"));
    try (var consumer = clusters.connectCluster().kafka().createConsumer(Map.of())) {
      assertThat(consumer.listTopics()).doesNotContainKey("mixed.reencrypted");
    }
    clusters.connectCluster().deleteConnector("mixed-verify");

    Map<String, String> job =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "mixed", 1);
    job.put("errors.topic", "mixed.errors");
    clusters.connectCluster().kafka().createTopic("mixed.errors", 1);
    clusters.connectCluster().configureConnector("mixed-job", job);
    List<ConsumerRecord<byte[], byte[]>> out =
        readCommitted(
            clusters.connectCluster(),
            "mixed.reencrypted",
            29,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "mixed-job"));
    List<ConsumerRecord<byte[], byte[]>> errors =
        readCommitted(
            clusters.connectCluster(),
            "mixed.errors",
            1,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "mixed-job"));

    assertThat(out).hasSize(29);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(ReencryptFixtures.json().toConnectData("mixed", e.value()))
                  .isEqualTo(ReencryptFixtures.json().toConnectData("mixed", values.get(10)));
              assertThat(text(e.key())).isEqualTo("key-10");
              assertThat(text(e.headers().lastHeader("csfle.reencrypt.source.offset").value()))
                  .isEqualTo("10");
              assertThat(text(e.headers().lastHeader("csfle.reencrypt.source.topic").value()))
                  .isEqualTo("mixed");
              assertThat(text(e.headers().lastHeader("csfle.reencrypt.error.class").value()))
                  .isNotBlank();
            });
    clusters.connectCluster().deleteConnector("mixed-job");
  }

  @Test
  @Order(3)
  void inPlaceOnACompactedTopic_rewritesEveryKeyAndSkipsRecordsAlreadyAtTheTarget()
      throws Exception {
    clusters
        .connectCluster()
        .kafka()
        .createTopic("accounts", 2, 1, Map.of("cleanup.policy", "compact"));
    ReencryptFixtures.rotateTo(clusters.registry().url(), OLD_KEK, "accounts-value", 1);
    writeEncrypted("accounts", 2, OLD_KEK, ids(0, 100));
    // Producers already moved to the new KEK wrote newer values of 20 keys.
    ReencryptFixtures.rotateTo(clusters.registry().url(), NEW_KEK, "accounts-value", 1);
    writeEncrypted("accounts", 2, NEW_KEK, ids(0, 20));
    Map<String, String> config =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "accounts", 2);
    config.put("target.topic.format", "${topic}");
    config.put("report.topic", "accounts.report");
    clusters.connectCluster().configureConnector("accounts-job", config);

    List<ConsumerRecord<byte[], byte[]>> reports =
        readCommitted(
            clusters.connectCluster(),
            "accounts.report",
            2,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "accounts-job"));
    List<ConsumerRecord<byte[], byte[]>> all =
        readCommitted(
            clusters.connectCluster(),
            "accounts",
            220,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "accounts-job"));

    List<String> taskSummaries = taskSummaries(reports);
    assertThat(taskSummaries).hasSize(2);
    String summaries = taskSummaries.get(0) + taskSummaries.get(1);
    assertThat(count(summaries, "reencrypted")).isEqualTo(100);
    assertThat(count(summaries, "skipped")).isEqualTo(20);
    assertThat(all).hasSize(220);
    Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
    all.forEach(r -> latest.put(text(r.key()), r));
    try (DecryptField<SinkRecord> decrypt =
        ReencryptClusterSupport.decryptor(clusters.registry().url(), NEW_KEK)) {
      for (long id = 0; id < 100; id++) {
        assertThat(decrypt(decrypt, latest.get("key-" + id))).isEqualTo(order(id));
      }
    }
    // The last records of both partitions were already at the target, so nothing was written for
    // them in place; the tasks stored those ends through the report topic and the job completes.
    assertThat(jobSummary("accounts.report", "accounts-job"))
        .contains("\"complete\":true", "\"records\":120", "\"partitionCount\":2");
    clusters.connectCluster().deleteConnector("accounts-job");
  }

  @Test
  @Order(4)
  void bulkJob_acrossThreeWorkers_exactlyOnceThroughAWorkerStopAndAConnectorRestart()
      throws Exception {
    clusters.connectCluster().kafka().createTopic("orders", 6);
    ReencryptFixtures.rotateTo(clusters.registry().url(), OLD_KEK, "orders-value", 1);
    writeEncrypted("orders", 6, OLD_KEK, ids(0, RECORDS / 2));
    ReencryptFixtures.rotateTo(clusters.registry().url(), OLD_KEK, "orders-value", 2);
    writeEncrypted("orders", 6, OLD_KEK, ids(RECORDS / 2, RECORDS));
    // The target subject has two versions already; rotate.on.start makes the job use version 3.
    ReencryptFixtures.rotateTo(clusters.registry().url(), NEW_KEK, "orders.reencrypted-value", 2);
    Map<String, String> config =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "orders", 6);
    config.put("rotate.on.start", "true");
    config.put("report.topic", "orders.report");
    config.put("max.records.per.second", Integer.toString(Math.max(100, RECORDS / 30)));
    long started = System.nanoTime();
    clusters.connectCluster().configureConnector("orders-job", config);

    awaitCommitted("orders.reencrypted", RECORDS / 4);
    clusters.connectCluster().removeWorker();
    clusters.connectCluster().restartConnectorAndTasks("orders-job", false, true, false);
    List<ConsumerRecord<byte[], byte[]>> out =
        readCommitted(
            clusters.connectCluster(),
            "orders.reencrypted",
            RECORDS,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "orders-job"));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "Re-encrypted %d records in %.1f s across 3 then 2 workers%n", out.size(), seconds);

    List<ConsumerRecord<byte[], byte[]>> source =
        readCommitted(clusters.connectCluster(), "orders", RECORDS, JOB_TIMEOUT, () -> {});
    assertThat(out).hasSize(RECORDS);
    assertThat(countByPartition(out)).isEqualTo(countByPartition(source));
    Set<String> keys = new HashSet<>();
    try (DecryptField<SinkRecord> decrypt =
        ReencryptClusterSupport.decryptor(clusters.registry().url(), NEW_KEK)) {
      for (ConsumerRecord<byte[], byte[]> r : out) {
        String key = text(r.key());
        assertThat(keys.add(key)).as("duplicate %s", key).isTrue();
        long id = Long.parseLong(key.substring("key-".length()));
        assertThat(r.partition()).isEqualTo((int) (id % 6));
        assertThat(r.timestamp()).isEqualTo(ReencryptClusterSupport.BASE_TIMESTAMP + id);
        assertThat(text(r.headers().lastHeader("trace").value())).isEqualTo("t-" + id);
        Struct raw = (Struct) ReencryptFixtures.json().toConnectData(r.topic(), r.value()).value();
        assertThat(ReencryptFixtures.versionOf(raw.getString("email"))).isEqualTo(3);
        assertThat(ReencryptFixtures.versionOf(raw.getString("amount"))).isEqualTo(3);
        assertThat(decrypt(decrypt, r)).isEqualTo(order(id));
      }
    }

    // Its stored source offsets are the last offset of every partition, so running the finished
    // job again under its name has nothing left to read (ReencryptSourceTaskTest checks the seek).
    Map<Integer, Long> lastOffsets = new HashMap<>();
    source.forEach(r -> lastOffsets.merge(r.partition(), r.offset(), Math::max));
    Map<Integer, Long> stored = new HashMap<>();
    List<String> listed = new ArrayList<>();
    long offsetsDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    do {
      stored.clear();
      listed.clear();
      // Offsets are committed with each transaction; the last flush may still be on its way.
      clusters
          .connectCluster()
          .connectorOffsets("orders-job")
          .offsets()
          .forEach(
              o -> {
                listed.add(o.partition() + "=" + o.offset());
                if (o.offset() != null && o.offset().get("offset") instanceof Number n) {
                  stored.put(((Number) o.partition().get("partition")).intValue(), n.longValue());
                }
              });
    } while (!stored.equals(lastOffsets) && System.nanoTime() < offsetsDeadline && pause());
    assertThat(stored).as("stored offsets %s", listed).isEqualTo(lastOffsets);

    // The connector saw every partition reach its end: one job summary, the gauge at 1; a
    // restart after completion (same end offsets, same run) does not write a second summary.
    String summary = jobSummary("orders.report", "orders-job");
    assertThat(summary)
        .contains(
            "\"complete\":true",
            "\"records\":" + RECORDS,
            "\"partitionCount\":6",
            "\"endOffset\":" + (lastOffsets.get(0) + 1));
    assertThat(jobCompleteGauge("orders-job")).isEqualTo(1L);
    clusters.connectCluster().restartConnectorAndTasks("orders-job", false, true, false);
    Thread.sleep(ReencryptSourceConnector.WATCH_INTERVAL.toMillis() * 2);
    assertThat(jobSummaries("orders.report", "orders-job")).containsExactly(summary);
    clusters.connectCluster().deleteConnector("orders-job");
  }

  @Test
  @Order(5)
  void embeddedKafkaDekStore_jobReadsTheSourceDeksAndWritesTheTargetDekInTheKeyTopic()
      throws Exception {
    clusters.connectCluster().kafka().createTopic("kstore", 2);
    List<Long> ids = ids(0, 40);
    ReencryptClusterSupport.produce(
        clusters.connectCluster(),
        "kstore",
        2,
        ids,
        ReencryptClusterSupport.encryptAll(kafkaStore(OLD_KEK), "kstore", orders(ids)));
    Map<String, String> config =
        jobConfig(clusters.connectCluster(), clusters.registry().url(), "kstore", 2);
    config.remove("schema.registry.url");
    config.putAll(kafkaStore(NEW_KEK));
    config.put("fields", ReencryptFixtures.FIELDS);
    clusters.connectCluster().configureConnector("kstore-job", config);

    List<ConsumerRecord<byte[], byte[]>> out =
        readCommitted(
            clusters.connectCluster(),
            "kstore.reencrypted",
            40,
            JOB_TIMEOUT,
            failFastOn(clusters.connectCluster(), "kstore-job"));

    assertThat(out).hasSize(40);
    try (DecryptField<SinkRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(kafkaStore(NEW_KEK));
      for (ConsumerRecord<byte[], byte[]> r : out) {
        long id = Long.parseLong(text(r.key()).substring("key-".length()));
        assertThat(decrypt(decrypt, r)).isEqualTo(order(id));
      }
    }
    // The target DEK is in the key topic, and the REST registry never heard of either subject.
    List<String> keyTopic =
        readCommitted(clusters.connectCluster(), KEY_TOPIC, 1, Duration.ofSeconds(10), () -> {})
            .stream()
            .filter(r -> r.value() != null)
            .map(r -> text(r.value()))
            .toList();
    assertThat(keyTopic)
        .anyMatch(v -> v.contains("kstore.reencrypted-value") && v.contains(NEW_KEK));
    assertThat(clusters.registry().requests())
        .noneMatch(request -> request.path().contains("kstore"));
    clusters.connectCluster().deleteConnector("kstore-job");
  }

  private static final String KEY_TOPIC = "_csfle_keys_reencrypt_it";

  /**
   * The transforms' keys for {@code kek}, with the DEKs in a key topic of the test
   * clusters.connectCluster().
   */
  private static Map<String, String> kafkaStore(String kek) {
    Map<String, String> config = ReencryptFixtures.keyConfig(clusters.registry().url(), kek);
    config.remove("schema.registry.url");
    config.put("dek.store", "kafka");
    config.put("dek.store.bootstrap.servers", clusters.connectCluster().kafka().bootstrapServers());
    config.put("dek.store.topic", KEY_TOPIC);
    return config;
  }

  private static boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void awaitCommitted(String topic, int count) throws Exception {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long written = 0;
      try {
        for (int p = 0; p < 6; p++) {
          written +=
              clusters
                  .connectCluster()
                  .kafka()
                  .endOffset(new org.apache.kafka.common.TopicPartition(topic, p));
        }
      } catch (Exception e) {
        written = 0; // topic not created yet
      }
      if (written >= count) {
        return;
      }
      failFastOn(clusters.connectCluster(), "orders-job").run();
      Thread.sleep(100);
    }
    throw new AssertionError(topic + " did not reach " + count + " records");
  }

  /** The task summaries (key-less, {@code {"task":...}}) among a report topic's records. */
  private static List<String> taskSummaries(List<ConsumerRecord<byte[], byte[]>> reports) {
    return reports.stream()
        .filter(r -> r.key() == null)
        .map(ReencryptSourceConnectorIT::report)
        .filter(json -> json.startsWith("{\"task\""))
        .toList();
  }

  /** Every job summary of {@code job} in the report topic (key "job", plain JSON). */
  private static List<String> jobSummaries(String topic, String job) throws InterruptedException {
    return readCommitted(clusters.connectCluster(), topic, 0, Duration.ofSeconds(10), () -> {})
        .stream()
        .filter(r -> r.key() != null && "job".equals(text(r.key())))
        .map(r -> text(r.value()))
        .filter(json -> json.startsWith("{\"job\":\"" + job + "\""))
        .toList();
  }

  /** Waits for the job summary of {@code job} and returns it. */
  private static String jobSummary(String topic, String job) throws InterruptedException {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> found = jobSummaries(topic, job);
      if (!found.isEmpty()) {
        assertThat(found).hasSize(1);
        return found.get(0);
      }
      failFastOn(clusters.connectCluster(), job).run();
      Thread.sleep(500);
    }
    throw new AssertionError("no job summary of " + job + " in " + topic);
  }

  /** The connector's job-complete gauge, read over JMX from the worker that runs it. */
  private static long jobCompleteGauge(String job) throws Exception {
    javax.management.MBeanServer server =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName name =
        new javax.management.ObjectName("kafka.connect:type=plugins,connector=" + job);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!server.isRegistered(name) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return ((Number) server.getAttribute(name, "job-complete")).longValue();
  }

  /** The JSON summary a task wrote to a report topic. */
  private static String report(ConsumerRecord<byte[], byte[]> r) {
    return (String) ReencryptFixtures.json().toConnectData(r.topic(), r.value()).value();
  }

  /** Sum of the top-level "name":N counts in the summaries. */
  private static long count(String summaries, String name) {
    long sum = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\{\"task\":[^\\[]*?\"" + name + "\":(\\d+)")
            .matcher(summaries);
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }
}
