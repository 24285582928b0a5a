package io.csfle.connect.store.rest;

import static io.csfle.connect.store.StoreTestData.GCM;
import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.k1;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.StoreTestData.sharedKek;
import static io.csfle.connect.store.StoreTestData.wrapped;
import static io.csfle.connect.store.rest.RegistryTestSupport.fastConfig;
import static io.csfle.connect.store.rest.RegistryTestSupport.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreContract;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract for {@link RestDekStore} on the in-process registry server, plus what the REST
 * client promises whichever server it talks to (the requests it sends, status-only outcomes, its
 * fallbacks). Run once per server flavour by {@link ConfluentRestDekStoreTest} and {@link
 * AxonOpsRestDekStoreTest}, which add the flavour-specific cases.
 */
abstract class RestDekStoreContractTest extends DekStoreContract {
  InMemoryDekRegistryServer server;
  RestDekStore registry;

  abstract Mode mode();

  @Override
  protected DekStoreAdmin openStore() {
    server = InMemoryDekRegistryServer.start(mode());
    registry = new RestDekStore(fastConfig(server.url()).build());
    return registry;
  }

  @Override
  protected DekStoreAdmin anotherClient() {
    return new RestDekStore(fastConfig(server.url()).build());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void createKek_withoutPropsOrDoc_sendsNoDocAndDeletedFalse() {
    registry.createKek(kek("k1"));

    assertThat(server.requests().get(0).body())
        .doesNotContain("\"doc\"")
        .contains("\"deleted\":false");
  }

  @Test
  void createKek_conflictDetectedByStatusWhenErrorCodeIsWrong() {
    registry.createKek(kek("k1"));
    server.scrambleErrorCodes(true);

    assertKind(() -> registry.createKek(kek("k1")), DekStoreException.Kind.CONFLICT);
    assertThat(registry.getKek("other", false)).isEmpty();
  }

  @Test
  void createDek_postsExplicitVersionAndAlgorithm() {
    registry.createKek(kek("k1"));

    registry.createDek(dek("orders-value", 1));

    RecordedRequest post = server.requests().get(server.requestCount() - 1);
    assertThat(post.body())
        .contains("\"version\":1", "\"algorithm\":\"AES256_GCM\"", "\"deleted\":false");
    assertThat(post.hasQueryParam("algorithm=AES256_GCM")).isTrue();
    assertThat(post.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
  }

  @Test
  void getDek_asksForExactlyTheRequestedVersion() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));

    registry.getDek(k1("s"), 2, false);

    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/k1/deks/s/versions/2"))
        .isEqualTo(1);
    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/k1/deks/s")).isZero();
  }

  @Test
  void createDek_withoutMaterialForNonSharedKek_rejectedWithServerMessage() {
    registry.createKek(kek("k1"));

    assertThatThrownBy(() -> registry.createDek(new NewDek(k1("s"), 1, null)))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.getMessage()).contains("encryptedKeyMaterial", "subject 's'");
            });
  }

  @Test
  void createDek_racingWritersOfSameVersion_exactlyOneWins() throws Exception {
    registry.createKek(kek("k1"));
    NewDek first = new NewDek(k1("s"), 1, wrapped("writer-a", 1));
    NewDek second = new NewDek(k1("s"), 1, wrapped("writer-b", 1));
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Object> outcomes;
    try (DekCreatePause pause = server.pauseDekCreates()) {
      Future<Object> a = writers.submit(() -> outcome(() -> registry.createDek(first)));
      Future<Object> b = writers.submit(() -> outcome(() -> registry.createDek(second)));
      assertThat(pause.awaitArrivals(2, Duration.ofSeconds(5))).isTrue();
      pause.release();
      outcomes = List.of(a.get(5, TimeUnit.SECONDS), b.get(5, TimeUnit.SECONDS));
    } finally {
      writers.shutdownNow();
    }

    List<RegisteredDek> winners =
        outcomes.stream()
            .filter(RegisteredDek.class::isInstance)
            .map(RegisteredDek.class::cast)
            .toList();
    List<DekStoreException> losers =
        outcomes.stream()
            .filter(DekStoreException.class::isInstance)
            .map(DekStoreException.class::cast)
            .toList();
    assertThat(winners).hasSize(1);
    assertThat(losers)
        .singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    // Both servers end with a single version 1 holding the winner's key: no "max + 1" double win.
    assertThat(registry.listDekVersions(k1("s"), true)).containsExactly(1);
    assertThat(registry.getLatestDek(k1("s"), false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(winners.get(0).encryptedKeyMaterial());
  }

  @Test
  void createDek_on405_fallsBackToKekDeksPathAndRemembers() {
    registry.createKek(kek("k1"));
    server.rejectDekPostOnSubjectPath(true);

    RegisteredDek v1 = registry.createDek(dek("s", 1));
    RegisteredDek v2 = registry.createDek(dek("s", 2));

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks/s")).isEqualTo(1);
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks")).isEqualTo(2);
    assertKind(() -> registry.createDek(dek("s", 2)), DekStoreException.Kind.CONFLICT);
  }

  @Test
  void deleteDekVersion_permanent_sendsPermanentTrueForThatVersionOnly() {
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    registry.createDek(dek("s", 2));
    registry.deleteDekVersion(k1("s"), 2, false);

    registry.deleteDekVersion(k1("s"), 2, true);

    assertThat(server.requests())
        .filteredOn(r -> r.method().equals("DELETE") && r.hasQueryParam("permanent=true"))
        .extracting(RecordedRequest::path)
        .containsExactly("/dek-registry/v1/keks/k1/deks/s/versions/2");
  }

  @Test
  void sharedKek_createDekWithoutMaterial_returnsGeneratedKeyMaterial() {
    registry.createKek(sharedKek("shared"));

    RegisteredDek dek = registry.createDek(new NewDek(new DekSubject("shared", "s", GCM), 1, null));

    assertThat(dek.keyMaterial()).hasSize(34);
    assertThat(dek.keyMaterial()[0]).isEqualTo((byte) 0x1A);
    assertThat(dek.keyMaterial()[1]).isEqualTo((byte) 0x20);
    assertThat(server.requests().get(server.requestCount() - 1).body())
        .doesNotContain("encryptedKeyMaterial");
  }

  @Test
  void subjectWithSpecialCharacters_isSentAsOneEncodedSegment() {
    String subject = "orders/eu value+ü?#&%";
    registry.createKek(kek("k1"));

    registry.createDek(dek(subject, 1));
    registry.createDek(dek(subject, 2));

    String encoded = "orders%2Feu%20value%2B%C3%BC%3F%23%26%25";
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks/" + encoded))
        .isEqualTo(2);
  }

  @Test
  void unknownJsonProperties_areIgnored() {
    server.includeUnknownFields(true);
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));

    assertThat(registry.getKek("k1", false)).isPresent();
    assertThat(registry.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
    assertThat(registry.getLatestDek(k1("s"), false)).isPresent();
  }

  @Test
  void versionBelowOne_isRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> registry.getDek(k1("s"), 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.createDek(dek("s", 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requestCount()).isZero();
  }
}
