package io.csfle.connect.store.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyTopicJsonTest {
  private static final EntityId DEK = EntityId.dek("k1", "orders/eu ü", DekAlgorithm.AES256_SIV, 3);

  @Test
  void kekValue_roundTrips() {
    RegisteredKek kek =
        new RegisteredKek("k1", "aws-kms", "arn:x", Map.of("a", "b"), "doc", false, 42L, true);

    StoredEntity read =
        KeyTopicJson.readValue(
            EntityId.kek("k1"), KeyTopicJson.valueBytes(StoredEntity.claimOf(kek)));

    assertThat(read.kek()).isEqualTo(kek);
    assertThat(read.claimOffset()).isEqualTo(StoredEntity.CLAIM);
  }

  @Test
  void dekValue_roundTripsWithClaimOffset_andHasNoKeyMaterialField() {
    RegisteredDek dek =
        new RegisteredDek(
            "k1", DEK.subject(), 3, DekAlgorithm.AES256_SIV, new byte[] {1, 2, 3}, null, 7L, false);
    byte[] bytes = KeyTopicJson.valueBytes(StoredEntity.claimOf(dek).continuing(12));

    StoredEntity read = KeyTopicJson.readValue(DEK, bytes);

    assertThat(read.dek().encryptedKeyMaterial()).containsExactly(1, 2, 3);
    assertThat(read.dek().keyMaterial()).isNull();
    assertThat(read.dek().toString()).isEqualTo(dek.toString());
    assertThat(read.claimOffset()).isEqualTo(12);
    assertThat(new String(bytes, UTF_8)).doesNotContain("\"keyMaterial\"");
  }

  @Test
  void dekWithPlaintextKeyMaterial_cannotBeStored() {
    RegisteredDek shared =
        new RegisteredDek(
            "k1", "s", 1, DekAlgorithm.AES256_GCM, new byte[] {1}, new byte[] {9}, 1L, false);

    assertThatThrownBy(() -> StoredEntity.claimOf(shared))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void key_roundTripsAndClaimsOfOneEntityDifferOnlyByClaim() {
    RecordKey a = new RecordKey(DEK, "claim-a");
    RecordKey b = new RecordKey(DEK, "claim-b");

    assertThat(KeyTopicJson.readKey(KeyTopicJson.keyBytes(a))).isEqualTo(a);
    assertThat(KeyTopicJson.keyBytes(a)).isNotEqualTo(KeyTopicJson.keyBytes(b));
    assertThat(KeyTopicJson.entityBytes(DEK))
        .isEqualTo(
            KeyTopicJson.entityBytes(
                EntityId.dek(DEK.kekName(), DEK.subject(), DEK.algorithm(), 3)));
    assertThat(KeyTopicJson.readKey(KeyTopicJson.keyBytes(new RecordKey(EntityId.kek("k"), "c"))))
        .isEqualTo(new RecordKey(EntityId.kek("k"), "c"));
  }

  @Test
  void dekKeyWithoutAVersionFromOne_isUnreadableSoTheReaderSkipsIt() {
    for (String version :
        new String[] {"", ",\"version\":0", ",\"version\":-3", ",\"version\":1.5"}) {
      byte[] key =
          ("{\"kek\":\"k\",\"subject\":\"s\",\"algorithm\":\"AES256_GCM\""
                  + version
                  + ",\"claim\":\"c\"}")
              .getBytes(UTF_8);
      assertThatThrownBy(() -> KeyTopicJson.readKey(key))
          .as(version)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version");
    }
  }

  @Test
  void unreadableRecord_failsWithoutQuotingIt() {
    assertThatThrownBy(() -> KeyTopicJson.readKey("{\"secret-ish".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-ish");
    assertThatThrownBy(() -> KeyTopicJson.readKey("{\"kek\":\"k\"}".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
