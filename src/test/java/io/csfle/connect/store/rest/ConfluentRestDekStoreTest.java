package io.csfle.connect.store.rest;

import static io.csfle.connect.store.StoreTestData.GCM;
import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.k1;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.StoreTestData.sharedKek;
import static io.csfle.connect.store.StoreTestData.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
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
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));
    server.clearRequests();

    assertThat(registry.getLatestDek(k1("s"), false).orElseThrow().version()).isEqualTo(2);

    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.requestCount("GET", S + "/versions/latest")).isEqualTo(1);
  }

  @Test
  void getLatestDek_absent_checksTheVersionListOnce() {
    registry.createKek(kek("k1"));
    server.clearRequests();

    assertThat(registry.getLatestDek(k1("s"), false)).isEmpty();
    assertThat(registry.getLatestDek(k1("s"), false)).isEmpty();

    // A 404 for "latest" is not remembered as "unsupported": Confluent means "absent" by it.
    assertThat(server.requestCount("GET", S + "/versions/latest")).isEqualTo(2);
    assertThat(server.requestCount("GET", S + "/versions")).isEqualTo(2);
  }

  @Test
  void sameVersionWithDifferentAlgorithms_coexist() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));

    RegisteredDek siv =
        registry.createDek(
            new NewDek(new DekSubject("k1", "s", DekAlgorithm.AES256_SIV), 1, wrapped("siv", 1)));

    assertThat(siv.algorithm()).isEqualTo(DekAlgorithm.AES256_SIV);
    assertThat(
            registry
                .getDek(new DekSubject("k1", "s", DekAlgorithm.AES256_SIV), 1, false)
                .orElseThrow()
                .encryptedKeyMaterial())
        .isEqualTo(wrapped("siv", 1));
    assertThat(registry.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
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
  void sharedKek_everyReadReturnsKeyMaterial() {
    registry.createKek(sharedKek("shared"));
    byte[] key =
        registry.createDek(new NewDek(new DekSubject("shared", "s", GCM), 1, null)).keyMaterial();

    assertThat(
            registry
                .getDek(new DekSubject("shared", "s", GCM), 1, false)
                .orElseThrow()
                .keyMaterial())
        .isEqualTo(key);
    assertThat(
            registry
                .getLatestDek(new DekSubject("shared", "s", GCM), false)
                .orElseThrow()
                .keyMaterial())
        .isEqualTo(key);
  }

  @Test
  void rewrapDek_storesPostedMaterialForPostedVersion() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));

    RegisteredDek rewrapped = registry.rewrapDek(new NewDek(k1("s"), 1, wrapped("rewrapped", 1)));

    assertThat(rewrapped.version()).isEqualTo(1);
    assertThat(registry.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("rewrapped", 1));
    assertThat(server.requests().get(server.requestCount() - 2).hasQueryParam("rewrap=true"))
        .isTrue();
  }
}
