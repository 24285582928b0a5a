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

/** The contract against an AxonOps-flavoured server, plus what only AxonOps does. */
class AxonOpsRestDekStoreTest extends RestDekStoreContractTest {
  private static final String S = "/dek-registry/v1/keks/k1/deks/s";

  @Override
  Mode mode() {
    return Mode.AXONOPS;
  }

  @Test
  void getLatestDek_after422_listsVersionsAndRemembers() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));
    server.clearRequests();

    RegisteredDek first = registry.getLatestDek("k1", "s", GCM, false).orElseThrow();
    RegisteredDek second = registry.getLatestDek("k1", "s", GCM, false).orElseThrow();

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
    registry.createDek("k1", dek("s", 1));

    assertThatThrownBy(
            () ->
                registry.createDek(
                    "k1", new NewDek("s", 1, DekAlgorithm.AES256_SIV, wrapped("siv", 1))))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    assertThat(registry.getDek("k1", "s", 1, DekAlgorithm.AES256_SIV, false)).isEmpty();
  }

  @Test
  void kekNameWithSpecialCharacters_roundTrips() {
    String name = "team/a kek+1";
    registry.createKek(kek(name));
    registry.createDek(name, dek("s", 1));

    assertThat(registry.getKek(name, false).orElseThrow().name()).isEqualTo(name);
    assertThat(registry.getDek(name, "s", 1, GCM, false)).isPresent();
    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/team%2Fa%20kek%2B1")).isEqualTo(1);
  }

  @Test
  void sharedKek_keyMaterialOnlyOnCreate() {
    registry.createKek(sharedKek("shared"));

    RegisteredDek created = registry.createDek("shared", new NewDek("s", 1, GCM, null));

    assertThat(created.keyMaterial()).hasSize(34);
    assertThat(registry.getDek("shared", "s", 1, GCM, false).orElseThrow().keyMaterial()).isNull();
  }

  @Test
  void rewrapDek_ofOlderVersion_rejectedBecauseServerRewrapsLatest() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));

    assertThatThrownBy(() -> registry.rewrapDek("k1", new NewDek("s", 1, GCM, wrapped("new", 1))))
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
    registry.createDek("k1", dek("s", 1));

    registry.deleteKek("k1", true);

    assertThat(registry.getKek("k1", true)).isEmpty();
    assertThat(registry.getDek("k1", "s", 1, GCM, true)).isEmpty();
  }

  @Test
  void deleteKek_absent_notFound() {
    assertThatThrownBy(() -> registry.deleteKek("nope", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.NOT_FOUND));
  }
}
