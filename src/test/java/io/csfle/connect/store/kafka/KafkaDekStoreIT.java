package io.csfle.connect.store.kafka;

import static io.csfle.connect.store.StoreTestData.GCM;
import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.k1;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.StoreTestData.sharedKek;
import static io.csfle.connect.store.StoreTestData.wrapped;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.config;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.freshTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreContract;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract ({@link DekStoreContract}, Confluent's rules) for {@link KafkaDekStore} on a
 * real broker, plus what only the key topic store does: no shared-KEK DEKs, re-wraps keep the
 * creation time, readers that see other clients' shreds, the topic it creates or refuses.
 */
@Timeout(60)
class KafkaDekStoreIT extends DekStoreContract {
  @RegisterExtension static final ClusterExtension clusters = KafkaStoreTestSupport.broker();

  private String topic;

  @Override
  protected DekStoreAdmin openStore() {
    topic = freshTopic("contract");
    return KafkaDekStore.open(config(clusters.kafka(), topic, 1, null));
  }

  @Override
  protected DekStoreAdmin anotherClient() {
    return KafkaDekStore.open(config(clusters.kafka(), topic, 1, "other"));
  }

  // ---- what only the key topic store does ----

  @Test
  void sharedKek_createDekIsRefused_theTopicNeverHoldsPlaintextKeys() {
    store.createKek(sharedKek("shared"));

    assertThatThrownBy(
            () -> store.createDek(new NewDek(new DekSubject("shared", "s", GCM), 1, null)))
        .hasMessageContaining("shared KEKs need a registry server");
  }

  @Test
  void rewrapDek_keepsTheCreationTime() {
    store.createKek(kek("k1"));
    RegisteredDek created = store.createDek(dek("s", 1));

    RegisteredDek rewrapped = store.rewrapDek(new NewDek(k1("s"), 1, wrapped("new", 1)));

    assertThat(rewrapped.ts()).isEqualTo(created.ts());
  }

  @Test
  void dekShreddedByAnotherClient_disappearsFromAReaderThatHadIt_onceItsMemoryIsStale()
      throws InterruptedException {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));
    assertThat(store.getDek(k1("s"), 1, true)).isPresent();

    try (DekStoreAdmin other = anotherClient()) {
      other.deleteDek(k1("s"), false);
      other.deleteDek(k1("s"), true);
    }
    Thread.sleep(KeyTopicLog.MAX_STALENESS.toMillis() + 500);

    assertThat(store.getDek(k1("s"), 1, true)).isEmpty();
  }

  // ---- the topic ----

  @Test
  void missingTopic_isCreatedCompactedWithTheConfiguredPartitions() throws Exception {
    String created = freshTopic("created");
    KafkaDekStoreConfig config =
        new KafkaDekStoreConfig(
            clusters.kafka().bootstrapServers(),
            created,
            3,
            (short) 1,
            1,
            Map.of(),
            Duration.ofSeconds(30));
    try (KafkaDekStore threePartitions = KafkaDekStore.open(config)) {
      threePartitions.createKek(kek("k1"));
      for (int v = 1; v <= 6; v++) {
        threePartitions.createDek(dek("s", v));
      }
      assertThat(threePartitions.listDekVersions(k1("s"), false)).containsExactly(1, 2, 3, 4, 5, 6);
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, created);
    try (Admin admin = clusters.kafka().createAdminClient()) {
      Config topicConfig =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(topicConfig.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(topicConfig.get("min.insync.replicas").value()).isEqualTo("1");
    }
    assertThat(clusters.kafka().describeTopics(created).get(created).orElseThrow().partitions())
        .hasSize(3);
    // Claims and updates of one entity share a partition: a reader of all three agrees.
    try (KafkaDekStore fresh = KafkaDekStore.open(config(clusters.kafka(), created, 3, "fresh"))) {
      assertThat(fresh.getDek(k1("s"), 4, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(wrapped("s", 4));
    }
  }

  @Test
  void existingTopicThatDeletesByAge_isRefused() {
    String deleting = freshTopic("deleting");
    clusters.kafka().createTopic(deleting, 1, 1, Map.of("cleanup.policy", "delete"));

    try (KafkaDekStore onDeleting =
        KafkaDekStore.open(config(clusters.kafka(), deleting, 1, null))) {
      assertThatThrownBy(() -> onDeleting.getKek("k1", false))
          .isInstanceOfSatisfying(
              DekStoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
                assertThat(e.getMessage()).contains("cleanup.policy=delete", deleting);
              });
    }
  }
}
