package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptClusterSupport.BYTE_ARRAY_CONVERTER;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.registry.InMemoryDekRegistryServer;
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

/**
 * Records per second of the re-encryption job next to MirrorMaker 2's MirrorSourceConnector copying
 * the same topic on the same one-worker cluster in the same run (both at-least-once, same tasks,
 * same converters for keys and headers; the job also converts values from and to JSON and
 * re-encrypts two fields). Opt-in, as it measures rather than checks:
 *
 * <pre>
 * mvn -o -B verify -Dit.test=ReencryptVsMirrorBenchmarkIT -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dreencrypt.benchmark=true \
 *     [-Dreencrypt.benchmark.records=100000]
 * </pre>
 */
@EnabledIfSystemProperty(named = "reencrypt.benchmark", matches = "true")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReencryptVsMirrorBenchmarkIT {
  private static final int RECORDS = Integer.getInteger("reencrypt.benchmark.records", 100_000);
  private static final int PARTITIONS = 6;

  @Test
  void reencryptionRate_isReportedBesideAPlainMirrorCopy() throws Exception {
    try (InMemoryDekRegistryServer registry =
        InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT)) {
      EmbeddedConnectCluster cluster = ReencryptClusterSupport.start(1, false);
      try {
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

        double mirror = run(cluster, "mirror", mirrorConfig(cluster), "src.bench");
        Map<String, String> job =
            ReencryptClusterSupport.jobConfig(cluster, registry.url(), "bench", PARTITIONS);
        job.remove("exactly.once.support");
        double reencrypt = run(cluster, "reencrypt", job, "bench.reencrypted");

        System.out.printf(
            "BENCHMARK %d records, %d partitions/tasks: MirrorSourceConnector %.0f records/s,"
                + " ReencryptSourceConnector %.0f records/s (%.0f %% of the plain copy)%n",
            RECORDS, PARTITIONS, mirror, reencrypt, 100 * reencrypt / mirror);
      } finally {
        cluster.stop();
      }
    }
  }

  private static Map<String, String> mirrorConfig(EmbeddedConnectCluster cluster) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
    config.put("tasks.max", Integer.toString(PARTITIONS));
    config.put("source.cluster.alias", "src");
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

  /** Runs a connector until {@code target} holds every record; returns records per second. */
  private static double run(
      EmbeddedConnectCluster cluster, String name, Map<String, String> config, String target)
      throws Exception {
    long start = System.nanoTime();
    cluster.configureConnector(name, config);
    long deadline = start + TimeUnit.MINUTES.toNanos(5);
    long written = 0;
    while (written < RECORDS && System.nanoTime() < deadline) {
      ReencryptClusterSupport.failFastOn(cluster, name).run();
      Thread.sleep(100);
      written = 0;
      for (int p = 0; p < PARTITIONS; p++) {
        try {
          written += cluster.kafka().endOffset(new TopicPartition(target, p));
        } catch (Exception e) {
          written = 0; // target not created yet
          break;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    cluster.deleteConnector(name);
    assertThat(written).as("records in %s", target).isEqualTo(RECORDS);
    return RECORDS / seconds;
  }
}
