package io.csfle.connect.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The race and compaction rules of the key topic, fed records with chosen offsets. */
class KeyTopicStateTest {
  private static final EntityId DEK = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, 1);

  private final InMemoryKeyTopicRecords records = new InMemoryKeyTopicRecords();
  private final KeyTopicState state = records.state(2);

  private static StoredEntity dek(byte marker, boolean deleted) {
    return StoredEntity.claimOf(
        new RegisteredDek(
            "k1", "s", 1, DekAlgorithm.AES256_GCM, new byte[] {marker}, null, 1L, deleted));
  }

  private byte winnerMarker() {
    return state.entry(DEK).orElseThrow().value().dek().encryptedKeyMaterial()[0];
  }

  @Test
  void firstClaimInLogOrder_wins_laterClaimIsRememberedAsLoser() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);

    KeyTopicState.Entry entry = state.entry(DEK).orElseThrow();
    assertThat(entry.winnerClaim()).isEqualTo("a");
    assertThat(entry.claimOffset()).isEqualTo(5);
    assertThat(entry.loserClaims()).containsExactly("b");
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void winnerClaimCompactedAway_updateCarryingItsClaimOffsetTakesTheEntityBack() {
    // Offset 5 (A's claim) was compacted: A's soft delete at 10 replaced it under A's key.
    records.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);
    assertThat(winnerMarker()).isEqualTo((byte) 'b');

    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', true).continuing(5), 10);

    KeyTopicState.Entry entry = state.entry(DEK).orElseThrow();
    assertThat(entry.winnerClaim()).isEqualTo("a");
    assertThat(entry.claimOffset()).isEqualTo(5);
    assertThat(entry.value().deleted()).isTrue();
    assertThat(entry.loserClaims()).containsExactly("b");
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void updateOfTheWinner_replacesItsValueButKeepsItsClaimOffset() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'r', false).continuing(5), 9);

    assertThat(winnerMarker()).isEqualTo((byte) 'r');
    assertThat(state.entry(DEK).orElseThrow().claimOffset()).isEqualTo(5);
  }

  @Test
  void loserTombstone_forgetsTheLoserOnly() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);

    records.apply(new RecordKey(DEK, "b"), null, 8);

    assertThat(state.entry(DEK).orElseThrow().loserClaims()).isEmpty();
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void winnerTombstone_removesTheEntity_andALaterClaimWinsAfresh() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.apply(new RecordKey(DEK, "a"), null, 9);
    assertThat(state.entry(DEK)).isEmpty();

    records.apply(new RecordKey(DEK, "c"), dek((byte) 'c', false), 12);

    assertThat(winnerMarker()).isEqualTo((byte) 'c');
  }

  @Test
  void shreddedEntityWithSurvivingLoserClaim_staysGoneOnceTheLoserIsTombstoned() {
    // A fresh reader after compaction: A's records are gone, B's claim and its tombstone remain.
    records.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);
    records.apply(new RecordKey(DEK, "b"), null, 20);

    assertThat(state.entry(DEK)).isEmpty();
  }

  @Test
  void entitiesAreIndependent() {
    EntityId other = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, 2);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.apply(new RecordKey(other, "b"), dek((byte) 'b', false), 6);

    assertThat(state.entry(DEK).orElseThrow().loserClaims()).isEmpty();
    assertThat(state.find(id -> id.version() == 2, true)).containsExactly(other);
  }

  private static StoredEntity dekOf(EntityId id, byte marker, boolean deleted) {
    return StoredEntity.claimOf(
        new RegisteredDek(
            id.kekName(),
            id.subject(),
            id.version(),
            id.algorithm(),
            new byte[] {marker},
            null,
            1L,
            deleted));
  }

  @Test
  void dekSeenFirstTime_isReadBackOnce_thenServedFromTheCache() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);

    assertThat(winnerMarker()).isEqualTo((byte) 'a');
    assertThat(winnerMarker()).isEqualTo((byte) 'a');

    assertThat(records.reads()).isEqualTo(1);
    assertThat(state.cachedEntries()).isEqualTo(1);
  }

  @Test
  void cacheHoldsAtMostItsBound_andAnEvictedDekIsReadBackAgain() {
    for (int v = 1; v <= 5; v++) {
      EntityId id = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, v);
      records.apply(new RecordKey(id, "c" + v), dekOf(id, (byte) v, false), v);
      assertThat(state.entry(id)).isPresent();
    }
    assertThat(state.cachedEntries()).isEqualTo(2);
    int reads = records.reads();

    assertThat(winnerMarker()).isEqualTo((byte) 1);

    assertThat(records.reads()).isEqualTo(reads + 1);
    assertThat(state.cachedEntries()).isEqualTo(2);
  }

  @Test
  void updateOfACachedDek_isSeenWithoutReadingBack() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    assertThat(winnerMarker()).isEqualTo((byte) 'a');

    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', true).continuing(5), 9);

    assertThat(state.entry(DEK).orElseThrow().value().deleted()).isTrue();
    assertThat(records.reads()).isEqualTo(1);
  }

  @Test
  void latest_probesDownFromTheHighestVersion_skippingGapsAndSoftDeletes() {
    DekSubject subject = new DekSubject("k1", "s", DekAlgorithm.AES256_GCM);
    EntityId v2 = EntityId.dek(subject, 2);
    EntityId v4 = EntityId.dek(subject, 4);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 1, false), 1);
    records.apply(new RecordKey(v2, "b"), dekOf(v2, (byte) 2, false), 2);
    records.apply(new RecordKey(v4, "c"), dekOf(v4, (byte) 4, true), 3);

    assertThat(state.latest(subject, false).orElseThrow().dek().version()).isEqualTo(2);
    assertThat(state.latest(subject, true).orElseThrow().dek().version()).isEqualTo(4);
    assertThat(state.latest(new DekSubject("k1", "other", DekAlgorithm.AES256_GCM), true))
        .isEmpty();
  }

  @Test
  @Timeout(10)
  void hugeVersionWrittenThenTombstoned_latestProbesOnlyVersionsThatExist() {
    DekSubject subject = new DekSubject("k1", "s", DekAlgorithm.AES256_GCM);
    EntityId huge = EntityId.dek(subject, Integer.MAX_VALUE);
    EntityId v3 = EntityId.dek(subject, 3);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 1, false), 1);
    records.apply(new RecordKey(v3, "b"), dekOf(v3, (byte) 3, false), 2);
    records.apply(new RecordKey(huge, "x"), dekOf(huge, (byte) 9, true), 3);

    assertThat(state.latest(subject, true).orElseThrow().dek().version())
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(state.latest(subject, false).orElseThrow().dek().version()).isEqualTo(3);
    records.apply(new RecordKey(huge, "x"), null, 4);
    records.apply(new RecordKey(v3, "b"), null, 5);
    assertThat(state.latest(subject, true).orElseThrow().dek().version()).isEqualTo(1);
  }

  @Test
  void find_listsEachCurrentDekOnce_andLeavesSoftDeletedOnesOutUnlessAsked() {
    EntityId v2 = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, 2);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 1);
    records.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 2);
    records.apply(new RecordKey(v2, "c"), dekOf(v2, (byte) 2, true), 3);

    assertThat(state.find(id -> true, false)).containsExactly(DEK);
    assertThat(state.find(id -> true, true)).containsExactlyInAnyOrder(DEK, v2);
  }

  @Test
  void collidingFingerprints_areToldApartByTheRecordKeyReadBack() {
    KeyTopicState colliding = records.collidingState(2);
    EntityId other = EntityId.dek("k1", "t", DekAlgorithm.AES256_GCM, 1);
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 1);
    records.apply(new RecordKey(other, "b"), dekOf(other, (byte) 'b', false), 2);

    assertThat(colliding.entry(DEK).orElseThrow().value().dek().encryptedKeyMaterial())
        .containsExactly('a');
    assertThat(colliding.entry(other).orElseThrow().value().dek().encryptedKeyMaterial())
        .containsExactly('b');
    assertThat(colliding.entry(other).orElseThrow().loserClaims()).isEmpty();
    assertThat(colliding.entry(EntityId.dek("k1", "u", DekAlgorithm.AES256_GCM, 1))).isEmpty();
    assertThat(colliding.size()).isEqualTo(2);

    records.apply(new RecordKey(other, "b"), null, 3);
    assertThat(colliding.entry(other)).isEmpty();
    assertThat(colliding.entry(DEK)).isPresent();
  }

  @Test
  void keks_areKeptWhole_andListedWithoutReadingTheTopic() {
    EntityId kek = EntityId.kek("k1");
    EntityId gone = EntityId.kek("k2");
    records.apply(new RecordKey(kek, "a"), kekOf("k1", false), 1);
    records.apply(new RecordKey(gone, "b"), kekOf("k2", true), 2);

    assertThat(state.keks(false)).containsExactly(kek);
    assertThat(state.keks(true)).containsExactlyInAnyOrder(kek, gone);
    assertThat(state.entry(kek).orElseThrow().value().kek().kmsKeyId()).isEqualTo("id");
    assertThat(records.reads()).isZero();
  }

  private static StoredEntity kekOf(String name, boolean deleted) {
    return StoredEntity.claimOf(
        new RegisteredKek(name, "local-kms", "id", Map.of(), null, false, 1L, deleted));
  }

  @Test
  void dekWhoseRecordWasCompactedAway_readsAsAbsent_untilItsLaterRecordIsApplied() {
    records.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    records.compactAway(5); // the cleaner kept a later record of the key, not applied yet

    assertThat(state.entry(DEK)).isEmpty();

    records.apply(new RecordKey(DEK, "a"), dek((byte) 'r', false).continuing(5), 9);
    assertThat(winnerMarker()).isEqualTo((byte) 'r');
  }
}
