package io.csfle.connect.reencrypt;

import static io.csfle.connect.reencrypt.ReencryptClusterSupport.decrypt;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.failFastOn;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.readCommitted;
import static io.csfle.connect.reencrypt.ReencryptClusterSupport.text;
import static io.csfle.connect.reencrypt.ReencryptFixtures.NEW_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.OLD_KEK;
import static io.csfle.connect.reencrypt.ReencryptFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.admin.DekAdmin;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testkit.ClusterExtension;
import io.csfle.connect.transforms.DecryptField;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data already in Kafka becomes forgettable: a topic encrypted per topic is re-encrypted by the
 * connector on a real worker under one entity key per customer, DecryptField with the same subject
 * template reads it, and after one customer is forgotten with the key tool only that customer's
 * records stay unreadable.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReencryptEntityKeysIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ReencryptClusterSupport.clusters(1, false).withRegistry();

  private static final String TOPIC = "customers";
  private static final String TEMPLATE = "customer-${value.id}";
  private static final int COUNT = 8;
  private static final long FORGOTTEN = 3;

  @TempDir Path dir;

  @Test
  void perTopicTopic_isMovedToEntityKeys_andForgettingOneCustomerHidesOnlyIt() throws Exception {
    String registryUrl = clusters.registry().url();
    clusters.connectCluster().kafka().createTopic(TOPIC, 1);
    List<Long> ids = LongStream.range(0, COUNT).boxed().toList();
    List<Struct> orders = ids.stream().map(ReencryptFixtures::order).toList();
    ReencryptClusterSupport.produce(
        clusters.connectCluster(),
        TOPIC,
        1,
        ids,
        ReencryptClusterSupport.encryptAll(registryUrl, OLD_KEK, TOPIC, orders));

    Map<String, String> config =
        ReencryptClusterSupport.jobConfig(clusters.connectCluster(), registryUrl, TOPIC, 1);
    config.remove("exactly.once.support");
    config.put("dek.subject", TEMPLATE);
    config.put("source.dek.subject", "${topic}-value");
    clusters.connectCluster().configureConnector("entity-job", config);
    List<ConsumerRecord<byte[], byte[]>> out =
        readCommitted(
            clusters.connectCluster(),
            TOPIC + ".reencrypted",
            COUNT,
            Duration.ofSeconds(90),
            failFastOn(clusters.connectCluster(), "entity-job"));
    clusters.connectCluster().deleteConnector("entity-job");

    assertThat(out).hasSize(COUNT);
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registryUrl))) {
      for (long id : ids) {
        assertThat(entityVersions(store, "customer-" + id)).containsExactly(1);
      }
      assertThat(
              store.listDekVersions(
                  new DekSubject(NEW_KEK, TOPIC + ".reencrypted-value", DekAlgorithm.AES256_GCM),
                  false))
          .isEmpty();
    }
    try (DecryptField<SinkRecord> decrypt = decryptor(registryUrl)) {
      for (ConsumerRecord<byte[], byte[]> r : out) {
        long id = idOf(r);
        assertThat(text(r.value())).doesNotContain("user" + id + "@example.com");
        assertThat(decrypt(decrypt, r)).isEqualTo(order(id));
      }
    }

    forget("customer-" + FORGOTTEN, registryUrl);

    try (DecryptField<SinkRecord> decrypt = decryptor(registryUrl)) {
      for (ConsumerRecord<byte[], byte[]> r : out) {
        long id = idOf(r);
        if (id == FORGOTTEN) {
          assertThatThrownBy(() -> decrypt(decrypt, r))
              .isInstanceOf(DataException.class)
              .hasMessageContaining("customer-" + FORGOTTEN);
        } else {
          assertThat(decrypt(decrypt, r)).isEqualTo(order(id));
        }
      }
    }
  }

  private static List<Integer> entityVersions(RestDekStore store, String subject) {
    return store.listDekVersions(
        new DekSubject(NEW_KEK + "-entities", subject, DekAlgorithm.AES256_GCM), false);
  }

  private static long idOf(ConsumerRecord<byte[], byte[]> r) {
    return Long.parseLong(text(r.key()).substring("key-".length()));
  }

  /** DecryptField under NEW_KEK reading the customer template, as a downstream reader would. */
  private static DecryptField<SinkRecord> decryptor(String registryUrl) {
    Map<String, String> config = ReencryptFixtures.keyConfig(registryUrl, NEW_KEK);
    config.put("dek.subject", TEMPLATE);
    DecryptField<SinkRecord> decrypt = new DecryptField.Value<>();
    decrypt.configure(config);
    return decrypt;
  }

  /** Forgets {@code subject} with the key tool, as an operator would. */
  private void forget(String subject, String registryUrl) throws Exception {
    Path config = dir.resolve("store.properties");
    Files.writeString(
        config, "schema.registry.url=" + registryUrl + "\nencrypt.kek.name=" + NEW_KEK + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        DekAdmin.run(
            new String[] {"--config", config.toString(), "forget", subject, "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"kekName\":\"" + NEW_KEK + "-entities\"");
  }
}
