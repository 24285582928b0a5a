package io.csfle.connect.store.rest;

import static io.csfle.connect.store.rest.RegistryTestSupport.dek;
import static io.csfle.connect.store.rest.RegistryTestSupport.kek;
import static io.csfle.connect.store.rest.RegistryTestSupport.sharedKek;
import static io.csfle.connect.store.rest.RegistryTestSupport.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import org.junit.jupiter.api.Test;

/** The contract against a Confluent-flavoured server, plus what only Confluent does. */
class ConfluentRestDekStoreTest extends RestDekStoreContractTest {
  private static final String S = "/dek-registry/v1/keks/k1/deks/s";

  @Override
  Mode mode() {
    return Mode.CONFLUENT;
  }

  @Test
  void getLatestDek_usesVersionsLatestInOneRequest() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));
    server.clearRequests();

    assertThat(registry.getLatestDek("k1", "s", GCM, false).orElseThrow().version()).isEqualTo(2);

    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.requestCount("GET", S + "/versions/latest")).isEqualTo(1);
  }

  @Test
  void getLatestDek_absent_checksTheVersionListOnce() {
    registry.createKek(kek("k1"));
    server.clearRequests();

    assertThat(registry.getLatestDek("k1", "s", GCM, false)).isEmpty();
    assertThat(registry.getLatestDek("k1", "s", GCM, false)).isEmpty();

    // A 404 for "latest" is not remembered as "unsupported": Confluent means "absent" by it.
    assertThat(server.requestCount("GET", S + "/versions/latest")).isEqualTo(2);
    assertThat(server.requestCount("GET", S + "/versions")).isEqualTo(2);
  }

  @Test
  void sameVersionWithDifferentAlgorithms_coexist() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));

    RegisteredDek siv =
        registry.createDek("k1", new NewDek("s", 1, DekAlgorithm.AES256_SIV, wrapped("siv", 1)));

    assertThat(siv.algorithm()).isEqualTo(DekAlgorithm.AES256_SIV);
    assertThat(
            registry
                .getDek("k1", "s", 1, DekAlgorithm.AES256_SIV, false)
                .orElseThrow()
                .encryptedKeyMaterial())
        .isEqualTo(wrapped("siv", 1));
    assertThat(registry.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  @Test
  void kekNameOutsideConfluentsAlphabet_rejected() {
    assertThatThrownBy(() -> registry.createKek(kek("team/a kek")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
              assertThat(e.status()).isEqualTo(422);
            });
  }

  @Test
  void deleteKek_permanentWithoutSoftDelete_notFoundWithServerMessage() {
    registry.createKek(kek("k1"));

    assertThatThrownBy(() -> registry.deleteKek("k1", true))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.NOT_FOUND);
              assertThat(e.getMessage()).contains("was not deleted first");
            });
    assertThat(registry.getKek("k1", false)).isPresent();
  }

  @Test
  void deleteKek_whileDeksStillUseIt_rejected() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));

    assertThatThrownBy(() -> registry.deleteKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED));
  }

  @Test
  void sharedKek_everyReadReturnsKeyMaterial() {
    registry.createKek(sharedKek("shared"));
    byte[] key = registry.createDek("shared", new NewDek("s", 1, GCM, null)).keyMaterial();

    assertThat(registry.getDek("shared", "s", 1, GCM, false).orElseThrow().keyMaterial())
        .isEqualTo(key);
    assertThat(registry.getLatestDek("shared", "s", GCM, false).orElseThrow().keyMaterial())
        .isEqualTo(key);
  }

  @Test
  void rewrapDek_storesPostedMaterialForPostedVersion() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));

    RegisteredDek rewrapped =
        registry.rewrapDek("k1", new NewDek("s", 1, GCM, wrapped("rewrapped", 1)));

    assertThat(rewrapped.version()).isEqualTo(1);
    assertThat(registry.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("rewrapped", 1));
    assertThat(server.requests().get(server.requestCount() - 2).hasQueryParam("rewrap=true"))
        .isTrue();
  }
}
