package io.csfle.connect.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.RegisteredDek;
import org.junit.jupiter.api.Test;

/** The race and compaction rules of the key topic, fed records with chosen offsets. */
class KeyTopicStateTest {
  private static final EntityId DEK = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, 1);

  private final KeyTopicState state = new KeyTopicState();

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
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    state.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);

    KeyTopicState.Entry entry = state.entry(DEK).orElseThrow();
    assertThat(entry.winnerClaim()).isEqualTo("a");
    assertThat(entry.claimOffset()).isEqualTo(5);
    assertThat(entry.loserClaims()).containsExactly("b");
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void winnerClaimCompactedAway_updateCarryingItsClaimOffsetTakesTheEntityBack() {
    // Offset 5 (A's claim) was compacted: A's soft delete at 10 replaced it under A's key.
    state.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);
    assertThat(winnerMarker()).isEqualTo((byte) 'b');

    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', true).continuing(5), 10);

    KeyTopicState.Entry entry = state.entry(DEK).orElseThrow();
    assertThat(entry.winnerClaim()).isEqualTo("a");
    assertThat(entry.claimOffset()).isEqualTo(5);
    assertThat(entry.value().deleted()).isTrue();
    assertThat(entry.loserClaims()).containsExactly("b");
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void updateOfTheWinner_replacesItsValueButKeepsItsClaimOffset() {
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'r', false).continuing(5), 9);

    assertThat(winnerMarker()).isEqualTo((byte) 'r');
    assertThat(state.entry(DEK).orElseThrow().claimOffset()).isEqualTo(5);
  }

  @Test
  void loserTombstone_forgetsTheLoserOnly() {
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    state.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);

    state.apply(new RecordKey(DEK, "b"), null, 8);

    assertThat(state.entry(DEK).orElseThrow().loserClaims()).isEmpty();
    assertThat(winnerMarker()).isEqualTo((byte) 'a');
  }

  @Test
  void winnerTombstone_removesTheEntity_andALaterClaimWinsAfresh() {
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    state.apply(new RecordKey(DEK, "a"), null, 9);
    assertThat(state.entry(DEK)).isEmpty();

    state.apply(new RecordKey(DEK, "c"), dek((byte) 'c', false), 12);

    assertThat(winnerMarker()).isEqualTo((byte) 'c');
  }

  @Test
  void shreddedEntityWithSurvivingLoserClaim_staysGoneOnceTheLoserIsTombstoned() {
    // A fresh reader after compaction: A's records are gone, B's claim and its tombstone remain.
    state.apply(new RecordKey(DEK, "b"), dek((byte) 'b', false), 7);
    state.apply(new RecordKey(DEK, "b"), null, 20);

    assertThat(state.entry(DEK)).isEmpty();
  }

  @Test
  void entitiesAreIndependent() {
    EntityId other = EntityId.dek("k1", "s", DekAlgorithm.AES256_GCM, 2);
    state.apply(new RecordKey(DEK, "a"), dek((byte) 'a', false), 5);
    state.apply(new RecordKey(other, "b"), dek((byte) 'b', false), 6);

    assertThat(state.entry(DEK).orElseThrow().loserClaims()).isEmpty();
    assertThat(state.find(id -> id.version() == 2)).containsExactly(other);
  }
}
