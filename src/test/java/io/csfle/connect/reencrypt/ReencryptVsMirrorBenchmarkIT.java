package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptClusterSupport.BYTE_ARRAY_CONVERTER;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.testkit.ClusterExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records per second of the re-encryption job next to MirrorMaker 2's MirrorSourceConnector copying
 * the same topic on the same one-worker cluster in the same run (both at-least-once, same tasks,
 * same converters for keys and headers; the job also converts values from and to JSON and
 * re-encrypts two fields). The first round warms the JIT and is printed as the warm-up; the rounds
 * after it are the measurement. Opt-in, as it measures rather than checks:
 *
 * <pre>
 * mvn -o -B verify -Dit.test=ReencryptVsMirrorBenchmarkIT -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dreencrypt.benchmark=true \
 *     [-Dreencrypt.benchmark.records=300000] [-Dreencrypt.benchmark.rounds=2]
 * </pre>
 */
@EnabledIfSystemProperty(named = "reencrypt.benchmark", matches = "true")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ReencryptVsMirrorBenchmarkIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ReencryptClusterSupport.clusters(1, false).withRegistry();

  private static final int RECORDS = Integer.getInteger("reencrypt.benchmark.records", 300_000);
  private static final int PARTITIONS = 6;
  private static final int ROUNDS = Integer.getInteger("reencrypt.benchmark.rounds", 2);

  @Test
  void reencryptionRate_isReportedBesideAPlainMirrorCopy() throws Exception {
    EmbeddedConnectCluster cluster = clusters.connectCluster();
    InMemoryDekRegistryServer registry = clusters.registry();
    cluster.kafka().createTopic("bench", PARTITIONS);
    ReencryptFixtures.rotateTo(registry.url(), OLD_KEK, "bench-value", 1);
    List<Long> ids = LongStream.range(0, RECORDS).boxed().toList();
    List<Struct> orders = ids.stream().map(ReencryptFixtures::order).toList();
    ReencryptClusterSupport.produce(
        cluster,
        "bench",
        PARTITIONS,
        ids,
        ReencryptClusterSupport.encryptAll(registry.url(), OLD_KEK, "bench", orders));

    // Round 1 warms the JIT of the broker, the worker and both connectors; rounds after it
    // are measured. Each round writes new target topics.
    for (int round = 1; round <= ROUNDS; round++) {
      String alias = "r" + round;
      Run mirror = run(cluster, "mirror-" + alias, mirrorConfig(cluster, alias), alias + ".bench");
      Map<String, String> job =
          ReencryptClusterSupport.jobConfig(cluster, registry.url(), "bench", PARTITIONS);
      job.remove("exactly.once.support");
      job.put("target.topic.format", "${topic}." + alias);
      Run reencrypt = run(cluster, "reencrypt-" + alias, job, "bench." + alias);
      System.out.printf(
          "BENCHMARK %s %d records, %d partitions/tasks: MirrorSourceConnector %s,"
              + " ReencryptSourceConnector %s: %.0f %% of the plain copy%n",
          round == 1 ? "warm-up" : "round " + round,
          RECORDS,
          PARTITIONS,
          mirror.describe(),
          reencrypt.describe(),
          100 * reencrypt.rate() / mirror.rate());
    }
  }

  /** {@code alias} names the source cluster, so the copy goes to {@code <alias>.bench}. */
  private static Map<String, String> mirrorConfig(EmbeddedConnectCluster cluster, String alias) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
    config.put("tasks.max", Integer.toString(PARTITIONS));
    config.put("source.cluster.alias", alias);
    config.put("target.cluster.alias", "dst");
    config.put("source.cluster.bootstrap.servers", cluster.kafka().bootstrapServers());
    config.put("target.cluster.bootstrap.servers", cluster.kafka().bootstrapServers());
    config.put("topics", "bench");
    config.put("key.converter", BYTE_ARRAY_CONVERTER);
    config.put("value.converter", BYTE_ARRAY_CONVERTER);
    config.put("header.converter", BYTE_ARRAY_CONVERTER);
    config.put("replication.factor", "1");
    config.put("offset-syncs.topic.replication.factor", "1");
    config.put("sync.topic.acls.enabled", "false");
    config.put("sync.topic.configs.enabled", "false");
    return config;
  }

  /** One connector's run: start-up until the first record, then the rest. */
  private record Run(double seconds, double firstRecordSeconds) {
    double rate() {
      return RECORDS / seconds;
    }

    String describe() {
      return String.format(
          "%.0f records/s (%.1f s, first record after %.1f s)",
          rate(), seconds, firstRecordSeconds);
    }
  }

  /** Runs a connector until {@code target} holds every record. */
  private static Run run(
      EmbeddedConnectCluster cluster, String name, Map<String, String> config, String target)
      throws Exception {
    long start = System.nanoTime();
    cluster.configureConnector(name, config);
    long deadline = start + TimeUnit.MINUTES.toNanos(5);
    long written = 0;
    long firstRecord = 0;
    while (written < RECORDS && System.nanoTime() < deadline) {
      ReencryptClusterSupport.failFastOn(cluster, name).run();
      Thread.sleep(50);
      written = 0;
      for (int p = 0; p < PARTITIONS; p++) {
        try {
          written += cluster.kafka().endOffset(new TopicPartition(target, p));
        } catch (Exception e) {
          written = 0; // target not created yet
          break;
        }
      }
      if (written > 0 && firstRecord == 0) {
        firstRecord = System.nanoTime();
      }
    }
    long end = System.nanoTime();
    cluster.deleteConnector(name);
    assertThat(written).as("records in %s", target).isEqualTo(RECORDS);
    return new Run((end - start) / 1e9, (firstRecord - start) / 1e9);
  }
}
