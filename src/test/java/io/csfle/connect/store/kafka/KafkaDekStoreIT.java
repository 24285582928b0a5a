package io.csfle.connect.store.kafka;

import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.GCM;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.config;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.dek;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.freshTopic;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.kek;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DEK registry contract (the cases {@code RestDekStoreContractTest} checks against REST
 * servers, with Confluent's rules) for {@link KafkaDekStore} on a real broker.
 */
@Timeout(60)
class KafkaDekStoreIT {
  private static EmbeddedKafkaCluster kafka;

  private String topic;
  private KafkaDekStore store;

  @BeforeAll
  @Timeout(120)
  static void startBroker() {
    kafka = KafkaStoreTestSupport.startBroker();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @BeforeEach
  void openStore() {
    topic = freshTopic("contract");
    store = KafkaDekStore.open(config(kafka, topic, 1, null));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static void assertKind(ThrowingCallable call, DekStoreException.Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DekStoreException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  // ---- KEKs ----

  @Test
  void createKek_returnsWhatWasRegistered_andAnotherClientReadsItBack() {
    RegisteredKek kek =
        store.createKek(
            new NewKek(
                "k1", "aws-kms", "arn:aws:kms:eu-west-1:1:key/x", Map.of("a", "b"), "d", false));

    assertThat(kek.name()).isEqualTo("k1");
    assertThat(kek.kmsProps()).containsExactly(Map.entry("a", "b"));
    assertThat(kek.doc()).isEqualTo("d");
    assertThat(kek.deleted()).isFalse();
    assertThat(kek.ts()).isPositive();
    assertThat(store.getKek("k1", false)).contains(kek);
    try (KafkaDekStore other = KafkaDekStore.open(config(kafka, topic, 1, "other"))) {
      assertThat(other.getKek("k1", false)).contains(kek);
    }
  }

  @Test
  void getKek_absent_isEmpty() {
    assertThat(store.getKek("nope", false)).isEmpty();
    assertThat(store.getKek("nope", true)).isEmpty();
  }

  @Test
  void createKek_conflictWhenNameExistsEvenIdentical() {
    store.createKek(kek("k1"));

    assertThatThrownBy(() -> store.createKek(kek("k1")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT);
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.isRetriable()).isFalse();
            });
  }

  @Test
  void deleteKek_softDeletedVisibleOnlyWithDeletedTrue_andUndeleteRestoresIt() {
    store.createKek(kek("k1"));
    store.createKek(kek("k2"));

    store.deleteKek("k1", false);

    assertThat(store.getKek("k1", false)).isEmpty();
    assertThat(store.getKek("k1", true)).hasValueSatisfying(k -> assertThat(k.deleted()).isTrue());
    assertThat(store.listKeks(false)).containsExactly("k2");
    assertThat(store.listKeks(true)).containsExactly("k1", "k2");

    store.undeleteKek("k1");
    assertThat(store.getKek("k1", false))
        .hasValueSatisfying(k -> assertThat(k.deleted()).isFalse());
  }

  @Test
  void deleteKek_permanentNeedsSoftDeleteFirst_thenRemovesIt() {
    store.createKek(kek("k1"));
    assertKind(() -> store.deleteKek("k1", true), DekStoreException.Kind.NOT_FOUND);

    store.deleteKek("k1", false);
    store.deleteKek("k1", true);

    assertThat(store.getKek("k1", true)).isEmpty();
    assertThat(store.listKeks(true)).isEmpty();
    store.deleteKek("absent", false); // Confluent: a no-op
  }

  @Test
  void deleteKek_refusedWhileDeksUseIt() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));

    assertKind(() -> store.deleteKek("k1", false), DekStoreException.Kind.REJECTED);
    store.deleteDek("k1", "s", GCM, false);
    store.deleteKek("k1", false);
    assertKind(() -> store.deleteKek("k1", true), DekStoreException.Kind.REJECTED);
  }

  @Test
  void updateKek_changesPropsDocAndShared_absentIsNotFound() {
    store.createKek(kek("k1"));

    RegisteredKek updated = store.updateKek("k1", Map.of("x", "y"), "new doc", true);

    assertThat(updated.kmsProps()).containsExactly(Map.entry("x", "y"));
    assertThat(updated.doc()).isEqualTo("new doc");
    assertThat(updated.shared()).isTrue();
    assertThat(updated.kmsKeyId()).isEqualTo("mykey");
    assertThat(store.getKek("k1", false)).contains(updated);
    assertKind(() -> store.updateKek("nope", null, null, false), DekStoreException.Kind.NOT_FOUND);
  }

  // ---- DEKs ----

  @Test
  void createDek_roundTripsAndGetReturnsExactlyTheRequestedVersion() {
    store.createKek(kek("k1"));
    RegisteredDek created = store.createDek("k1", dek("orders-value", 1));
    store.createDek("k1", dek("orders-value", 2));

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.algorithm()).isEqualTo(GCM);
    assertThat(created.encryptedKeyMaterial()).isEqualTo(wrapped("orders-value", 1));
    assertThat(created.keyMaterial()).isNull();
    assertThat(created.ts()).isPositive();
    RegisteredDek v2 = store.getDek("k1", "orders-value", 2, GCM, false).orElseThrow();
    assertThat(v2.encryptedKeyMaterial()).isEqualTo(wrapped("orders-value", 2));
    assertThat(store.getLatestDek("k1", "orders-value", GCM, false).orElseThrow().version())
        .isEqualTo(2);
  }

  @Test
  void getDek_absentKekSubjectOrVersion_isEmpty() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));

    assertThat(store.getDek("nope", "s", 1, GCM, false)).isEmpty();
    assertThat(store.getDek("k1", "other", 1, GCM, false)).isEmpty();
    assertThat(store.getDek("k1", "s", 2, GCM, true)).isEmpty();
    assertThat(store.getDek("k1", "s", 1, io.csfle.connect.crypto.DekAlgorithm.AES256_SIV, true))
        .isEmpty();
    assertThat(store.getLatestDek("k1", "other", GCM, false)).isEmpty();
  }

  @Test
  void listDekVersionsAndSubjects_sortedAndEmptyWhenAbsent() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("b-value", 2));
    store.createDek("k1", dek("b-value", 1));
    store.createDek("k1", dek("a-value", 1));

    assertThat(store.listDekVersions("k1", "b-value", GCM, false)).containsExactly(1, 2);
    assertThat(store.listDekVersions("k1", "other", GCM, false)).isEmpty();
    assertThat(store.listDekVersions("nope", "b-value", GCM, false)).isEmpty();
    assertThat(store.listDekSubjects("k1", false)).containsExactly("a-value", "b-value");
    assertKind(() -> store.listDekSubjects("nope", false), DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void createDek_conflictWhenVersionExists_firstStays() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));

    assertKind(
        () -> store.createDek("k1", new NewDek("s", 1, GCM, wrapped("x", 9))),
        DekStoreException.Kind.CONFLICT);
    assertThat(store.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  @Test
  void createDek_absentOrDeletedKek_notFound_missingMaterialRejected() {
    assertKind(() -> store.createDek("nope", dek("s", 1)), DekStoreException.Kind.NOT_FOUND);
    store.createKek(kek("k1"));
    assertKind(
        () -> store.createDek("k1", new NewDek("s", 1, GCM, null)),
        DekStoreException.Kind.REJECTED);
    store.createKek(new NewKek("shared", "local-kms", "id", Map.of(), null, true));
    assertThatThrownBy(() -> store.createDek("shared", new NewDek("s", 1, GCM, null)))
        .hasMessageContaining("shared KEKs need a registry server");
    store.deleteKek("k1", false);
    assertKind(() -> store.createDek("k1", dek("s", 1)), DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void deleteDekVersion_softDeletedReadableOnlyWithDeletedTrue() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));
    store.createDek("k1", dek("s", 2));

    store.deleteDekVersion("k1", "s", 2, GCM, false);

    assertThat(store.getDek("k1", "s", 2, GCM, false)).isEmpty();
    assertThat(store.getDek("k1", "s", 2, GCM, true))
        .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
    assertThat(store.getLatestDek("k1", "s", GCM, false).orElseThrow().version()).isEqualTo(1);
    assertThat(store.getLatestDek("k1", "s", GCM, true).orElseThrow().version()).isEqualTo(2);
    assertThat(store.listDekVersions("k1", "s", GCM, false)).containsExactly(1);
    assertThat(store.listDekVersions("k1", "s", GCM, true)).containsExactly(1, 2);
  }

  @Test
  void deleteDek_softDeletesEveryVersion_undeleteRestoresAllOrOne() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));
    store.createDek("k1", dek("s", 2));

    store.deleteDek("k1", "s", GCM, false);
    assertThat(store.listDekVersions("k1", "s", GCM, false)).isEmpty();
    assertThat(store.getDek("k1", "s", 1, GCM, true)).isPresent();

    store.undeleteDekVersion("k1", "s", 1, GCM);
    assertThat(store.listDekVersions("k1", "s", GCM, false)).containsExactly(1);
    store.undeleteDek("k1", "s", GCM);
    assertThat(store.listDekVersions("k1", "s", GCM, false)).containsExactly(1, 2);
  }

  @Test
  void deleteDekVersion_permanentNeedsSoftDeleteFirst_thenRemovesOnlyThatVersion() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));
    store.createDek("k1", dek("s", 2));
    assertKind(
        () -> store.deleteDekVersion("k1", "s", 2, GCM, true), DekStoreException.Kind.NOT_FOUND);

    store.deleteDekVersion("k1", "s", 2, GCM, false);
    store.deleteDekVersion("k1", "s", 2, GCM, true);

    assertThat(store.getDek("k1", "s", 2, GCM, true)).isEmpty();
    assertThat(store.listDekVersions("k1", "s", GCM, true)).containsExactly(1);
  }

  @Test
  void deleteDek_permanentAfterSoftDelete_removesEveryVersion_andTheVersionCanBeCreatedAgain() {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));
    store.createDek("k1", dek("s", 2));
    store.deleteDek("k1", "s", GCM, false);

    store.deleteDek("k1", "s", GCM, true);

    assertThat(store.listDekVersions("k1", "s", GCM, true)).isEmpty();
    assertThat(store.listDekSubjects("k1", true)).isEmpty();
    try (KafkaDekStore fresh = KafkaDekStore.open(config(kafka, topic, 1, "fresh"))) {
      assertThat(fresh.getDek("k1", "s", 1, GCM, true)).isEmpty();
    }
    NewDek again = new NewDek("s", 1, GCM, wrapped("again", 1));
    assertThat(store.createDek("k1", again).encryptedKeyMaterial()).isEqualTo(wrapped("again", 1));
  }

  @Test
  void rewrapDek_replacesWrappedBytesOfThatVersionAndKeepsItsCreationTime() {
    store.createKek(kek("k1"));
    RegisteredDek created = store.createDek("k1", dek("s", 1));

    RegisteredDek rewrapped = store.rewrapDek("k1", new NewDek("s", 1, GCM, wrapped("new", 1)));

    assertThat(rewrapped.encryptedKeyMaterial()).isEqualTo(wrapped("new", 1));
    assertThat(rewrapped.ts()).isEqualTo(created.ts());
    try (KafkaDekStore fresh = KafkaDekStore.open(config(kafka, topic, 1, "fresh"))) {
      assertThat(fresh.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(wrapped("new", 1));
    }
    assertKind(() -> store.rewrapDek("k1", dek("s", 2)), DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void dekCreatedByAnotherClient_isFoundByALookupThatMisses() {
    store.createKek(kek("k1"));
    assertThat(store.getDek("k1", "s", 1, GCM, false)).isEmpty(); // this reader is started

    try (KafkaDekStore other = KafkaDekStore.open(config(kafka, topic, 1, "other"))) {
      other.createDek("k1", dek("s", 1));
    }

    assertThat(store.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  @Test
  void dekShreddedByAnotherClient_disappearsFromAReaderThatHadIt_onceItsMemoryIsStale()
      throws InterruptedException {
    store.createKek(kek("k1"));
    store.createDek("k1", dek("s", 1));
    assertThat(store.getDek("k1", "s", 1, GCM, true)).isPresent();

    try (KafkaDekStore other = KafkaDekStore.open(config(kafka, topic, 1, "other"))) {
      other.deleteDek("k1", "s", GCM, false);
      other.deleteDek("k1", "s", GCM, true);
    }
    Thread.sleep(KeyTopicLog.MAX_STALENESS.toMillis() + 500);

    assertThat(store.getDek("k1", "s", 1, GCM, true)).isEmpty();
  }

  // ---- the topic ----

  @Test
  void missingTopic_isCreatedCompactedWithTheConfiguredPartitions() throws Exception {
    String created = freshTopic("created");
    KafkaDekStoreConfig config =
        new KafkaDekStoreConfig(
            kafka.bootstrapServers(), created, 3, (short) 1, 1, Map.of(), Duration.ofSeconds(30));
    try (KafkaDekStore threePartitions = KafkaDekStore.open(config)) {
      threePartitions.createKek(kek("k1"));
      for (int v = 1; v <= 6; v++) {
        threePartitions.createDek("k1", dek("s", v));
      }
      assertThat(threePartitions.listDekVersions("k1", "s", GCM, false))
          .containsExactly(1, 2, 3, 4, 5, 6);
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, created);
    try (Admin admin = kafka.createAdminClient()) {
      Config topicConfig =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      assertThat(topicConfig.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(topicConfig.get("min.insync.replicas").value()).isEqualTo("1");
    }
    assertThat(kafka.describeTopics(created).get(created).orElseThrow().partitions()).hasSize(3);
    // Claims and updates of one entity share a partition: a reader of all three agrees.
    try (KafkaDekStore fresh = KafkaDekStore.open(config(kafka, created, 3, "fresh"))) {
      assertThat(fresh.getDek("k1", "s", 4, GCM, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(wrapped("s", 4));
    }
  }

  @Test
  void existingTopicThatDeletesByAge_isRefused() {
    String deleting = freshTopic("deleting");
    kafka.createTopic(deleting, 1, 1, Map.of("cleanup.policy", "delete"));

    try (KafkaDekStore onDeleting = KafkaDekStore.open(config(kafka, deleting, 1, null))) {
      assertThatThrownBy(() -> onDeleting.getKek("k1", false))
          .isInstanceOfSatisfying(
              DekStoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
                assertThat(e.getMessage()).contains("cleanup.policy=delete", deleting);
              });
    }
  }

  @Test
  void versionBelowOne_isRefused() {
    assertThatThrownBy(() -> store.getDek("k1", "s", 0, GCM, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.createDek("k1", dek("s", 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
