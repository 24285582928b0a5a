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

/** The contract against an AxonOps-flavoured server, plus what only AxonOps does. */
class AxonOpsRestDekStoreTest extends RestDekStoreContractTest {
  private static final String S = "/dek-registry/v1/keks/k1/deks/s";

  @Override
  Mode mode() {
    return Mode.AXONOPS;
  }

  /** AxonOps deletes, undeletes and re-wraps by its own rules; the cases below pin them. */
  @Override
  protected boolean followsConfluentRules() {
    return false;
  }

  @Test
  void getLatestDek_after422_listsVersionsAndRemembers() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));
    server.clearRequests();

    RegisteredDek first = registry.getLatestDek(k1("s"), false).orElseThrow();
    RegisteredDek second = registry.getLatestDek(k1("s"), false).orElseThrow();

    assertThat(first.version()).isEqualTo(2);
    assertThat(second.encryptedKeyMaterial()).isEqualTo(wrapped("s", 2));
    assertThat(server.requestCount("GET", S + "/versions/latest")).isEqualTo(1);
    assertThat(server.requestCount("GET", S + "/versions")).isEqualTo(2);
    assertThat(server.requestCount("GET", S + "/versions/2")).isEqualTo(2);
    assertThat(server.requestCount("GET", S)).isZero();
  }

  @Test
  void sameVersionWithAnotherAlgorithm_conflicts() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));

    assertThatThrownBy(
            () ->
                registry.createDek(
                    new NewDek(
                        new DekSubject("k1", "s", DekAlgorithm.AES256_SIV), 1, wrapped("siv", 1))))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    assertThat(registry.getDek(new DekSubject("k1", "s", DekAlgorithm.AES256_SIV), 1, false))
        .isEmpty();
  }

  @Test
  void kekNameWithSpecialCharacters_roundTrips() {
    String name = "team/a kek+1";
    registry.createKek(kek(name));
    registry.createDek(new NewDek(new DekSubject(name, "s", GCM), 1, wrapped("s", 1)));

    assertThat(registry.getKek(name, false).orElseThrow().name()).isEqualTo(name);
    assertThat(registry.getDek(new DekSubject(name, "s", GCM), 1, false)).isPresent();
    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/team%2Fa%20kek%2B1")).isEqualTo(1);
  }

  @Test
  void sharedKek_keyMaterialOnlyOnCreate() {
    registry.createKek(sharedKek("shared"));

    RegisteredDek created =
        registry.createDek(new NewDek(new DekSubject("shared", "s", GCM), 1, null));

    assertThat(created.keyMaterial()).hasSize(34);
    assertThat(
            registry
                .getDek(new DekSubject("shared", "s", GCM), 1, false)
                .orElseThrow()
                .keyMaterial())
        .isNull();
  }

  @Test
  void rewrapDek_ofOlderVersion_rejectedBecauseServerRewrapsLatest() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));

    assertThatThrownBy(() -> registry.rewrapDek(new NewDek(k1("s"), 1, wrapped("new", 1))))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
              assertThat(e.getMessage()).contains("re-wrapped version 2 instead");
            });
  }

  @Test
  void deleteKek_permanentWithoutSoftDelete_removesKekAndDeks() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));

    registry.deleteKek("k1", true);

    assertThat(registry.getKek("k1", true)).isEmpty();
    assertThat(registry.getDek(k1("s"), 1, true)).isEmpty();
  }

  @Test
  void deleteKek_absent_notFound() {
    assertThatThrownBy(() -> registry.deleteKek("nope", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.NOT_FOUND));
  }
}
