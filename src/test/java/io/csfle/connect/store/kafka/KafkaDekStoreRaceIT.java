package io.csfle.connect.store.kafka;

import static io.csfle.connect.store.StoreTestData.GCM;
import static io.csfle.connect.store.StoreTestData.k1;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.StoreTestData.wrapped;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.config;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.freshTopic;
import static io.csfle.connect.store.kafka.KafkaStoreTestSupport.rawRecords;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.testkit.Bytes;
import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writers on separate Kafka clients racing for the same KEK or DEK version converge on one winner
 * decided by log order; the decision survives compaction; the DEK layer on racing stores encrypts
 * only under the winner; no plaintext key reaches the topic; stores of one topic share a reader.
 */
@Timeout(90)
class KafkaDekStoreRaceIT {
  private static final int WRITERS = 4;
  private static final String SECRET = "race-secret";

  @RegisterExtension static final ClusterExtension clusters = KafkaStoreTestSupport.broker();

  /** One store per writer, each on its own clients; closed by the caller. */
  private static List<KafkaDekStore> stores(String topic, int partitions) {
    List<KafkaDekStore> stores = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      stores.add(KafkaDekStore.open(config(clusters.kafka(), topic, partitions, "writer-" + i)));
    }
    return stores;
  }

  /** Runs each call on its own thread, all released together; returns results or exceptions. */
  private static List<Object> race(List<Callable<?>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    CountDownLatch ready = new CountDownLatch(calls.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<?> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  try {
                    return call.call();
                  } catch (Exception e) {
                    return e;
                  }
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> List<T> successes(List<Object> outcomes, Class<T> type) {
    return outcomes.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static void assertLosersConflicted(List<Object> outcomes, int winners) {
    assertThat(outcomes.stream().filter(o -> !(o instanceof DekStoreException)).count())
        .as("winners in %s", outcomes)
        .isEqualTo(winners);
    assertThat(successes(outcomes, DekStoreException.class))
        .hasSize(WRITERS - winners)
        .allSatisfy(e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
  }

  private static void closeAll(List<KafkaDekStore> stores) {
    stores.forEach(KafkaDekStore::close);
  }

  @Test
  void racingDekCreates_oneWinnerPerVersion_everyClientSeesIt() throws Exception {
    String topic = freshTopic("race_dek");
    List<KafkaDekStore> stores = stores(topic, 3);
    try {
      stores.get(0).createKek(kek("k1"));
      // Every store reads the KEK now, so no store re-reads the topic before writing its claim:
      // each writer really writes one, and the log has to decide.
      stores.forEach(store -> assertThat(store.getKek("k1", false)).isPresent());
      for (int version = 1; version <= 3; version++) {
        int v = version;
        IntFunction<byte[]> material = i -> wrapped("writer-" + i, v);
        List<Callable<?>> calls = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
          KafkaDekStore store = stores.get(i);
          NewDek dek = new NewDek(k1("s"), v, material.apply(i));
          calls.add(() -> store.createDek(dek));
        }
        List<Object> outcomes = race(calls);

        assertLosersConflicted(outcomes, 1);
        byte[] winner = successes(outcomes, RegisteredDek.class).get(0).encryptedKeyMaterial();
        for (KafkaDekStore store : stores) {
          assertThat(store.getDek(k1("s"), v, false).orElseThrow().encryptedKeyMaterial())
              .isEqualTo(winner);
        }
        try (KafkaDekStore fresh =
            KafkaDekStore.open(config(clusters.kafka(), topic, 3, "fresh-" + v))) {
          assertThat(fresh.getDek(k1("s"), v, false).orElseThrow().encryptedKeyMaterial())
              .isEqualTo(winner);
        }
        // WRITERS claims in the log, and each loser withdrew its own.
        List<ConsumerRecord<byte[], byte[]>> records =
            recordsOf(topic, EntityId.dek("k1", "s", GCM, v));
        assertThat(records.stream().filter(r -> r.value() != null)).hasSize(WRITERS);
        assertThat(records.stream().filter(r -> r.value() == null)).hasSize(WRITERS - 1);
      }
    } finally {
      closeAll(stores);
    }
  }

  @Test
  void threadsRacingOnOneSharedReader_oneWinner_othersConflict() throws Exception {
    String topic = freshTopic("race_threads");
    try (KafkaDekStore shared = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "threads"))) {
      shared.createKek(kek("k1"));
      List<Callable<?>> calls = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        NewDek dek = new NewDek(k1("s"), 1, wrapped("thread-" + i, 1));
        calls.add(() -> shared.createDek(dek));
      }
      List<Object> outcomes = race(calls);

      assertLosersConflicted(outcomes, 1);
      assertThat(shared.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(successes(outcomes, RegisteredDek.class).get(0).encryptedKeyMaterial());
    }
  }

  @Test
  void racingKekCreates_oneWinner_everyClientSeesIt() throws Exception {
    String topic = freshTopic("race_kek");
    List<KafkaDekStore> stores = stores(topic, 1);
    try {
      List<Callable<?>> calls = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        KafkaDekStore store = stores.get(i);
        NewKek kek = new NewKek("k1", "local-kms", "key-of-writer-" + i, Map.of(), null, false);
        calls.add(() -> store.createKek(kek));
      }
      List<Object> outcomes = race(calls);

      assertLosersConflicted(outcomes, 1);
      String winner = successes(outcomes, RegisteredKek.class).get(0).kmsKeyId();
      for (KafkaDekStore store : stores) {
        assertThat(store.getKek("k1", false).orElseThrow().kmsKeyId()).isEqualTo(winner);
      }
    } finally {
      closeAll(stores);
    }
  }

  /**
   * The DEK layer on racing stores: each creates the KEK and DEK on first use; every ciphertext
   * must decrypt with the winner's DEK, and that DEK's plaintext never appears on the topic.
   */
  @Test
  void racingEncryptionKeys_encryptOnlyUnderTheWinner_andNoPlaintextKeyReachesTheTopic()
      throws Exception {
    String topic = freshTopic("race_layer");
    List<KafkaDekStore> stores = stores(topic, 1);
    KekSettings settings =
        new KekSettings(
            "layer-kek", LocalKekProvider.KMS_TYPE, "layer-key", Map.of("secret", SECRET));
    try {
      List<Callable<?>> calls = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        EncryptionKeys keys =
            new EncryptionKeys(
                stores.get(i),
                KekProviders.standard(),
                settings,
                GCM,
                0,
                System::currentTimeMillis);
        byte[] plaintext = ("record of writer " + i).getBytes(UTF_8);
        calls.add(
            () -> {
              EncryptionKey key = keys.forSubject("orders-value");
              return key.cipher().encrypt(plaintext);
            });
      }
      List<Object> outcomes = race(calls);
      assertThat(outcomes).allMatch(byte[].class::isInstance);

      RegisteredDek winner;
      try (KafkaDekStore fresh =
          KafkaDekStore.open(config(clusters.kafka(), topic, 1, "verifier"))) {
        winner =
            fresh.getDek(new DekSubject("layer-kek", "orders-value", GCM), 1, false).orElseThrow();
      }
      byte[] keyProto =
          KekProviders.standard()
              .create(LocalKekProvider.KMS_TYPE, "layer-key", Map.of("secret", SECRET))
              .unwrap(winner.encryptedKeyMaterial());
      FieldCipher winnerCipher = FieldCipher.of(GCM, keyProto);
      for (int i = 0; i < WRITERS; i++) {
        byte[] ciphertext = (byte[]) outcomes.get(i);
        assertThat(new String(winnerCipher.decrypt(ciphertext, 0, ciphertext.length), UTF_8))
            .isEqualTo("record of writer " + i);
      }
      assertNoPlaintextOnTopic(topic, keyProto);
    } finally {
      closeAll(stores);
    }
  }

  private static void assertNoPlaintextOnTopic(String topic, byte[] keyProto) {
    byte[] rawKey = java.util.Arrays.copyOfRange(keyProto, 2, keyProto.length);
    List<ConsumerRecord<byte[], byte[]>> records = rawRecords(clusters.kafka(), topic);
    assertThat(records).isNotEmpty();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.value() == null) {
        continue;
      }
      byte[] value = record.value();
      String text = new String(value, UTF_8);
      assertThat(Bytes.indexOf(value, rawKey)).isEqualTo(-1);
      assertThat(text)
          .doesNotContain(Base64.getEncoder().encodeToString(keyProto))
          .doesNotContain(Base64.getEncoder().encodeToString(rawKey))
          .doesNotContain("\"keyMaterial\"");
    }
  }

  /**
   * The log as compaction leaves it: the winner's claim (offset 0) replaced by its later soft
   * delete under the same key (offset 2), with a loser's claim (offset 1) in between. A fresh
   * reader must still pick the winner, and a new create must conflict.
   */
  @Test
  void compactedWinnerClaim_freshReaderStillPicksTheWinner() throws Exception {
    String topic = freshTopic("compacted");
    EntityId id = EntityId.dek("k1", "s", GCM, 1);
    RegisteredDek winner =
        new RegisteredDek("k1", "s", 1, GCM, wrapped("winner", 1), null, 1L, false);
    RegisteredDek loser =
        new RegisteredDek("k1", "s", 1, GCM, wrapped("loser", 1), null, 2L, false);
    try (KafkaDekStore setup = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "setup"))) {
      setup.createKek(kek("k1")); // creates the topic; offset 0 is this KEK's claim
    }
    try (KafkaProducer<byte[], byte[]> producer = clusters.kafka().createProducer(Map.of())) {
      send(producer, topic, new RecordKey(id, "loser"), StoredEntity.claimOf(loser));
      RegisteredDek deletedWinner =
          new RegisteredDek("k1", "s", 1, GCM, winner.encryptedKeyMaterial(), null, 1L, true);
      send(
          producer,
          topic,
          new RecordKey(id, "winner"),
          StoredEntity.claimOf(deletedWinner).continuing(0));
    }

    try (KafkaDekStore fresh = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "fresh"))) {
      assertThat(fresh.getDek(k1("s"), 1, false)).isEmpty();
      assertThat(fresh.getDek(k1("s"), 1, true).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(winner.encryptedKeyMaterial());
      fresh.undeleteDekVersion(k1("s"), 1);
      assertThat(fresh.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(winner.encryptedKeyMaterial());
      assertThat(RaceOutcome.of(() -> fresh.createDek(new NewDek(k1("s"), 1, wrapped("x", 1)))))
          .isInstanceOfSatisfying(
              DekStoreException.class,
              e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    }
    // The undelete went under the winner's key, so the loser's claim is still the only rival.
    try (KafkaDekStore again = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "again"))) {
      assertThat(again.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(winner.encryptedKeyMaterial());
    }
  }

  /**
   * The same with the broker's log cleaner doing the compaction: the winner's claim record is
   * superseded by its soft delete and removed, while a crashed loser's claim survives.
   */
  @Test
  void realCompaction_removesTheWinnersClaimRecord_freshReaderStillPicksTheWinner()
      throws Exception {
    String topic = freshTopic("cleaned");
    clusters
        .kafka()
        .createTopic(
            topic,
            1,
            1,
            Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.0001",
                "min.compaction.lag.ms", "0",
                "delete.retention.ms", "100"));
    EntityId id = EntityId.dek("k1", "s", GCM, 1);
    long winnerClaimOffset;
    try (KafkaDekStore winner = KafkaDekStore.open(config(clusters.kafka(), topic, 1, "winner"))) {
      winner.createKek(kek("k1"));
      winner.createDek(new NewDek(k1("s"), 1, wrapped("winner", 1)));
      winnerClaimOffset = recordsOf(topic, id).get(0).offset();
      try (KafkaProducer<byte[], byte[]> producer = clusters.kafka().createProducer(Map.of())) {
        RegisteredDek crashed =
            new RegisteredDek("k1", "s", 1, GCM, wrapped("loser", 1), null, 2L, false);
        send(producer, topic, new RecordKey(id, "crashed-loser"), StoredEntity.claimOf(crashed));
      }
      winner.deleteDekVersion(k1("s"), 1, false);
      // Roll the segment (segment.ms) with more writes, so the cleaner may compact the old one.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int filler = 0;
      while (recordsOf(topic, id).stream().anyMatch(r -> r.offset() == winnerClaimOffset)) {
        assertThat(System.nanoTime()).as("log cleaner did not run").isLessThan(deadline);
        Thread.sleep(200);
        winner.createKek(kek("filler-" + filler++));
      }
    }

    List<ConsumerRecord<byte[], byte[]>> left = recordsOf(topic, id);
    assertThat(left)
        .extracting(r -> KeyTopicJson.readKey(r.key()).claim())
        .contains("crashed-loser");
    try (KafkaDekStore fresh =
        KafkaDekStore.open(config(clusters.kafka(), topic, 1, "after-cleaning"))) {
      assertThat(fresh.getDek(k1("s"), 1, false)).isEmpty();
      assertThat(fresh.getDek(k1("s"), 1, true).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(wrapped("winner", 1));
    }
  }

  @Test
  void storesWithTheSameSettings_shareOneReader_releasedByTheLastClose() {
    KafkaDekStoreConfig config = config(clusters.kafka(), freshTopic("shared"), 1, "sharing");
    KafkaDekStore first = KafkaDekStore.open(config);
    KafkaDekStore second = KafkaDekStore.open(config);
    try {
      first.createKek(kek("k1"));
      assertThat(second.getKek("k1", false)).isPresent();
      assertThat(SharedKeyTopicLogs.references(config)).isEqualTo(2);
    } finally {
      first.close();
      first.close(); // idempotent: must not release the second store's reference
      assertThat(SharedKeyTopicLogs.references(config)).isEqualTo(1);
      second.close();
    }
    assertThat(SharedKeyTopicLogs.references(config)).isZero();
  }

  private static List<ConsumerRecord<byte[], byte[]>> recordsOf(String topic, EntityId id) {
    return rawRecords(clusters.kafka(), topic).stream()
        .filter(r -> KeyTopicJson.readKey(r.key()).entity().equals(id))
        .toList();
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, RecordKey key, StoredEntity value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic, 0, KeyTopicJson.keyBytes(key), KeyTopicJson.valueBytes(value)))
        .get(30, TimeUnit.SECONDS);
  }

  /** A call's result or the exception it threw. */
  private static final class RaceOutcome {
    private RaceOutcome() {}

    static Object of(Callable<?> call) {
      try {
        return call.call();
      } catch (Exception e) {
        return e;
      }
    }
  }
}
