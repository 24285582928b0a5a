package io.csfle.connect.store.kafka;

import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.config;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.freshTopic;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.testkit.ClusterExtension;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key topic store at scale on a real broker: writes {@code footprint.keys} entity-key records
 * to a fresh key topic, opens a store on it and reports the time to read the topic at start, the
 * heap the store retains, and the time of first-sight lookups (each a read of one record by
 * offset). Runs only when asked, e.g. {@code -Dfootprint.keys=1000000 -Dit.fork.argLine=-Xmx3g}.
 */
@EnabledIfSystemProperty(named = "footprint.keys", matches = "\\d+")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KeyTopicScaleIT {
  @RegisterExtension static final ClusterExtension clusters = KafkaStoreTestSupport.broker();

  @Test
  void millionEntityKeys_startWithBoundedHeap_andFirstSightLookupsReadOneRecord() throws Exception {
    int keys = Integer.getInteger("footprint.keys");
    String topic = freshTopic("scale");
    KafkaDekStoreConfig config = config(clusters.kafka(), topic, 1, null);
    try (KafkaDekStore writer = KafkaDekStore.open(config)) {
      writer.createKek(new NewKek("orders.entities", "local-kms", "key-1", Map.of(), null, false));
    }
    long produceStarted = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", clusters.kafka().bootstrapServers(),
                "linger.ms", "20",
                "batch.size", "262144",
                "compression.type", "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < keys; i++) {
        producer.send(
            new ProducerRecord<>(
                topic,
                0,
                KeyTopicJson.keyBytes(KeyTopicFootprintTest.keyOf(i)),
                KeyTopicFootprintTest.valueBytes(i)));
      }
      producer.flush();
    }
    long produceMillis = (System.nanoTime() - produceStarted) / 1_000_000;

    long before = usedAfterGc();
    try (KafkaDekStore store = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "reader"))) {
      long started = System.nanoTime();
      assertThat(store.getKek("orders.entities", false)).isPresent();
      long startMillis = (System.nanoTime() - started) / 1_000_000;
      long after = usedAfterGc();

      int lookups = 1_000;
      started = System.nanoTime();
      for (int n = 0; n < lookups; n++) {
        int i = (int) ((n * 2_654_435_761L) % keys);
        var id = KeyTopicFootprintTest.keyOf(i).entity();
        assertThat(
                store.getLatestDek(
                    new DekSubject(id.kekName(), id.subject(), id.algorithm()), false))
            .isPresent();
      }
      double lookupMicros = (System.nanoTime() - started) / 1000.0 / lookups;

      System.out.printf(
          "scale: %,d keys written in %,d ms; store start (read the whole topic) %,d ms;"
              + " %,d bytes retained, %.1f bytes per key; first-sight getLatestDek %.0f us each%n",
          keys,
          produceMillis,
          startMillis,
          after - before,
          (after - before) / (double) keys,
          lookupMicros);
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
