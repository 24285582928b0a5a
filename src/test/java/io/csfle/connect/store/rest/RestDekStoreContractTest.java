package io.csfle.connect.store.rest;

import static io.csfle.connect.store.rest.RegistryTestSupport.dek;
import static io.csfle.connect.store.rest.RegistryTestSupport.fastConfig;
import static io.csfle.connect.store.rest.RegistryTestSupport.kek;
import static io.csfle.connect.store.rest.RegistryTestSupport.outcome;
import static io.csfle.connect.store.rest.RegistryTestSupport.sharedKek;
import static io.csfle.connect.store.rest.RegistryTestSupport.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link RestDekStore} promises whichever server it talks to. Run once per server flavour by
 * {@link ConfluentRestDekStoreTest} and {@link AxonOpsRestDekStoreTest}, which add the
 * flavour-specific cases.
 */
abstract class RestDekStoreContractTest {
  static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;

  InMemoryDekRegistryServer server;
  RestDekStore registry;

  abstract Mode mode();

  @BeforeEach
  void startServer() {
    server = InMemoryDekRegistryServer.start(mode());
    registry = new RestDekStore(fastConfig(server.url()).build());
  }

  @AfterEach
  void stopServer() {
    registry.close();
    server.close();
  }

  // ---- KEKs ----

  @Test
  void createKek_returnsWhatWasRegistered() {
    RegisteredKek kek =
        registry.createKek(
            new NewKek(
                "k1", "aws-kms", "arn:aws:kms:eu-west-1:1:key/x", Map.of("a", "b"), "d", false));

    assertThat(kek.name()).isEqualTo("k1");
    assertThat(kek.kmsType()).isEqualTo("aws-kms");
    assertThat(kek.kmsKeyId()).isEqualTo("arn:aws:kms:eu-west-1:1:key/x");
    assertThat(kek.kmsProps()).containsExactly(Map.entry("a", "b"));
    assertThat(kek.doc()).isEqualTo("d");
    assertThat(kek.shared()).isFalse();
    assertThat(kek.deleted()).isFalse();
    assertThat(kek.ts()).isPositive();
    assertThat(registry.getKek("k1", false)).contains(kek);
  }

  @Test
  void createKek_withoutPropsOrDoc_readsBackEmptyPropsAndNullDoc() {
    registry.createKek(kek("k1"));

    RegisteredKek kek = registry.getKek("k1", false).orElseThrow();
    assertThat(kek.kmsProps()).isEmpty();
    assertThat(kek.doc()).isNull();
    assertThat(server.requests().get(0).body())
        .doesNotContain("\"doc\"")
        .contains("\"deleted\":false");
  }

  @Test
  void getKek_absent_isEmpty() {
    assertThat(registry.getKek("nope", false)).isEmpty();
    assertThat(registry.getKek("nope", true)).isEmpty();
  }

  @Test
  void createKek_conflictWhenNameExistsEvenIdentical() {
    registry.createKek(kek("k1"));

    assertThatThrownBy(() -> registry.createKek(kek("k1")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT);
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.isRetriable()).isFalse();
            });
  }

  @Test
  void createKek_conflictDetectedByStatusWhenErrorCodeIsWrong() {
    registry.createKek(kek("k1"));
    server.scrambleErrorCodes(true);

    assertThatThrownBy(() -> registry.createKek(kek("k1")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    assertThat(registry.getKek("other", false)).isEmpty();
  }

  @Test
  void deleteKek_softDeletedVisibleOnlyWithDeletedTrue() {
    registry.createKek(kek("k1"));
    registry.createKek(kek("k2"));

    registry.deleteKek("k1", false);

    assertThat(registry.getKek("k1", false)).isEmpty();
    assertThat(registry.getKek("k1", true))
        .hasValueSatisfying(k -> assertThat(k.deleted()).isTrue());
    assertThat(registry.listKeks(false)).containsExactly("k2");
    assertThat(registry.listKeks(true)).containsExactly("k1", "k2");
  }

  @Test
  void undeleteKek_restoresSoftDeletedKek() {
    registry.createKek(kek("k1"));
    registry.deleteKek("k1", false);

    registry.undeleteKek("k1");

    assertThat(registry.getKek("k1", false))
        .hasValueSatisfying(k -> assertThat(k.deleted()).isFalse());
  }

  @Test
  void deleteKek_permanentAfterSoftDelete_removesIt() {
    registry.createKek(kek("k1"));
    registry.deleteKek("k1", false);

    registry.deleteKek("k1", true);

    assertThat(registry.getKek("k1", true)).isEmpty();
    assertThat(registry.listKeks(true)).isEmpty();
  }

  @Test
  void updateKek_changesPropsDocAndShared() {
    registry.createKek(kek("k1"));

    RegisteredKek updated = registry.updateKek("k1", Map.of("x", "y"), "new doc", true);

    assertThat(updated.kmsProps()).containsExactly(Map.entry("x", "y"));
    assertThat(updated.doc()).isEqualTo("new doc");
    assertThat(updated.shared()).isTrue();
    assertThat(updated.kmsKeyId()).isEqualTo("mykey");
    assertThat(registry.getKek("k1", false)).contains(updated);
  }

  @Test
  void updateKek_absent_notFound() {
    assertThatThrownBy(() -> registry.updateKek("nope", null, null, false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.NOT_FOUND));
  }

  // ---- DEKs: create and read ----

  @Test
  void createDek_withExplicitVersion_roundTrips() {
    registry.createKek(kek("k1"));

    RegisteredDek created = registry.createDek("k1", dek("orders-value", 1));

    assertThat(created.kekName()).isEqualTo("k1");
    assertThat(created.subject()).isEqualTo("orders-value");
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.algorithm()).isEqualTo(GCM);
    assertThat(created.encryptedKeyMaterial()).isEqualTo(wrapped("orders-value", 1));
    assertThat(created.keyMaterial()).isNull();
    assertThat(created.deleted()).isFalse();
    assertThat(created.ts()).isPositive();
    RecordedRequest post = server.requests().get(server.requestCount() - 1);
    assertThat(post.body())
        .contains("\"version\":1", "\"algorithm\":\"AES256_GCM\"", "\"deleted\":false");
    assertThat(post.hasQueryParam("algorithm=AES256_GCM")).isTrue();
    assertThat(post.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
  }

  @Test
  void getDek_returnsExactlyTheRequestedVersion() {
    registry.createKek(kek("k1"));
    for (int v = 1; v <= 3; v++) {
      registry.createDek("k1", dek("s", v));
    }

    RegisteredDek v2 = registry.getDek("k1", "s", 2, GCM, false).orElseThrow();

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.encryptedKeyMaterial()).isEqualTo(wrapped("s", 2));
    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/k1/deks/s/versions/2"))
        .isEqualTo(1);
    assertThat(server.requestCount("GET", "/dek-registry/v1/keks/k1/deks/s")).isZero();
  }

  @Test
  void getDek_absentKekSubjectOrVersion_isEmpty() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));

    assertThat(registry.getDek("nope", "s", 1, GCM, false)).isEmpty();
    assertThat(registry.getDek("k1", "other", 1, GCM, false)).isEmpty();
    assertThat(registry.getDek("k1", "s", 2, GCM, true)).isEmpty();
  }

  @Test
  void getLatestDek_returnsHighestVersion() {
    registry.createKek(kek("k1"));
    for (int v = 1; v <= 3; v++) {
      registry.createDek("k1", dek("s", v));
    }

    RegisteredDek latest = registry.getLatestDek("k1", "s", GCM, false).orElseThrow();

    assertThat(latest.version()).isEqualTo(3);
    assertThat(latest.encryptedKeyMaterial()).isEqualTo(wrapped("s", 3));
  }

  @Test
  void getLatestDek_absent_isEmpty() {
    registry.createKek(kek("k1"));

    assertThat(registry.getLatestDek("k1", "s", GCM, false)).isEmpty();
    assertThat(registry.getLatestDek("nope", "s", GCM, true)).isEmpty();
  }

  @Test
  void listDekVersions_ascendingAndEmptyWhenAbsent() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 2));
    registry.createDek("k1", dek("s", 1));

    assertThat(registry.listDekVersions("k1", "s", GCM, false)).containsExactly(1, 2);
    assertThat(registry.listDekVersions("k1", "other", GCM, false)).isEmpty();
    assertThat(registry.listDekVersions("nope", "s", GCM, false)).isEmpty();
  }

  @Test
  void listDekSubjects_listsSubjectsOfKek() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("b-value", 1));
    registry.createDek("k1", dek("a-value", 1));

    assertThat(registry.listDekSubjects("k1", false)).containsExactly("a-value", "b-value");
  }

  @Test
  void createDek_conflictWhenVersionExists() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));

    assertThatThrownBy(() -> registry.createDek("k1", dek("s", 1)))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
    assertThat(registry.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  @Test
  void createDek_absentKek_notFound() {
    assertThatThrownBy(() -> registry.createDek("nope", dek("s", 1)))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.NOT_FOUND));
  }

  @Test
  void createDek_withoutMaterialForNonSharedKek_rejectedWithServerMessage() {
    registry.createKek(kek("k1"));

    assertThatThrownBy(() -> registry.createDek("k1", new NewDek("s", 1, GCM, null)))
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
    NewDek first = new NewDek("s", 1, GCM, wrapped("writer-a", 1));
    NewDek second = new NewDek("s", 1, GCM, wrapped("writer-b", 1));
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Object> outcomes;
    try (DekCreatePause pause = server.pauseDekCreates()) {
      Future<Object> a = writers.submit(() -> outcome(() -> registry.createDek("k1", first)));
      Future<Object> b = writers.submit(() -> outcome(() -> registry.createDek("k1", second)));
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
    assertThat(registry.listDekVersions("k1", "s", GCM, true)).containsExactly(1);
    assertThat(registry.getLatestDek("k1", "s", GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(winners.get(0).encryptedKeyMaterial());
  }

  @Test
  void createDek_on405_fallsBackToKekDeksPathAndRemembers() {
    registry.createKek(kek("k1"));
    server.rejectDekPostOnSubjectPath(true);

    RegisteredDek v1 = registry.createDek("k1", dek("s", 1));
    RegisteredDek v2 = registry.createDek("k1", dek("s", 2));

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks/s")).isEqualTo(1);
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks")).isEqualTo(2);
    assertThatThrownBy(() -> registry.createDek("k1", dek("s", 2)))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT));
  }

  // ---- DEKs: soft delete, undelete, permanent delete ----

  @Test
  void deleteDekVersion_softDeletedReadableOnlyWithDeletedTrue() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));

    registry.deleteDekVersion("k1", "s", 2, GCM, false);

    assertThat(registry.getDek("k1", "s", 2, GCM, false)).isEmpty();
    assertThat(registry.getDek("k1", "s", 2, GCM, true))
        .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
    assertThat(registry.getLatestDek("k1", "s", GCM, false).orElseThrow().version()).isEqualTo(1);
    assertThat(registry.getLatestDek("k1", "s", GCM, true).orElseThrow().version()).isEqualTo(2);
    assertThat(registry.listDekVersions("k1", "s", GCM, false)).containsExactly(1);
    assertThat(registry.listDekVersions("k1", "s", GCM, true)).containsExactly(1, 2);
  }

  @Test
  void deleteDek_softDeletesEveryVersionAndUndeleteRestoresThem() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));

    registry.deleteDek("k1", "s", GCM, false);
    assertThat(registry.listDekVersions("k1", "s", GCM, false)).isEmpty();
    assertThat(registry.getDek("k1", "s", 1, GCM, true)).isPresent();

    registry.undeleteDek("k1", "s", GCM);
    assertThat(registry.listDekVersions("k1", "s", GCM, false)).containsExactly(1, 2);
  }

  @Test
  void undeleteDekVersion_restoresOnlyThatVersion() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));
    registry.deleteDek("k1", "s", GCM, false);

    registry.undeleteDekVersion("k1", "s", 1, GCM);

    assertThat(registry.listDekVersions("k1", "s", GCM, false)).containsExactly(1);
  }

  @Test
  void deleteDekVersion_permanentAfterSoftDelete_removesIt() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));
    registry.deleteDekVersion("k1", "s", 2, GCM, false);

    registry.deleteDekVersion("k1", "s", 2, GCM, true);

    assertThat(registry.getDek("k1", "s", 2, GCM, true)).isEmpty();
    assertThat(registry.listDekVersions("k1", "s", GCM, true)).containsExactly(1);
    assertThat(server.requests())
        .filteredOn(r -> r.method().equals("DELETE") && r.hasQueryParam("permanent=true"))
        .extracting(RecordedRequest::path)
        .containsExactly("/dek-registry/v1/keks/k1/deks/s/versions/2");
  }

  @Test
  void deleteDek_permanentAfterSoftDelete_removesEveryVersion() {
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));
    registry.createDek("k1", dek("s", 2));
    registry.deleteDek("k1", "s", GCM, false);

    registry.deleteDek("k1", "s", GCM, true);

    assertThat(registry.listDekVersions("k1", "s", GCM, true)).isEmpty();
    assertThat(registry.listDekSubjects("k1", true)).isEmpty();
  }

  // ---- shared KEKs, encoding, JSON tolerance ----

  @Test
  void sharedKek_createDekWithoutMaterial_returnsGeneratedKeyMaterial() {
    registry.createKek(sharedKek("shared"));

    RegisteredDek dek = registry.createDek("shared", new NewDek("s", 1, GCM, null));

    assertThat(dek.keyMaterial()).hasSize(34);
    assertThat(dek.keyMaterial()[0]).isEqualTo((byte) 0x1A);
    assertThat(dek.keyMaterial()[1]).isEqualTo((byte) 0x20);
    assertThat(server.requests().get(server.requestCount() - 1).body())
        .doesNotContain("encryptedKeyMaterial");
  }

  @Test
  void subjectWithSpecialCharacters_roundTripsAsOneEncodedSegment() {
    String subject = "orders/eu value+ü?#&%";
    registry.createKek(kek("k1"));

    registry.createDek("k1", dek(subject, 1));
    registry.createDek("k1", dek(subject, 2));

    assertThat(registry.getDek("k1", subject, 1, GCM, false).orElseThrow().subject())
        .isEqualTo(subject);
    assertThat(registry.getLatestDek("k1", subject, GCM, false).orElseThrow().version())
        .isEqualTo(2);
    assertThat(registry.listDekVersions("k1", subject, GCM, false)).containsExactly(1, 2);
    assertThat(registry.listDekSubjects("k1", false)).containsExactly(subject);
    String encoded = "orders%2Feu%20value%2B%C3%BC%3F%23%26%25";
    assertThat(server.requestCount("POST", "/dek-registry/v1/keks/k1/deks/" + encoded))
        .isEqualTo(2);
    registry.deleteDek("k1", subject, GCM, false);
    assertThat(registry.listDekVersions("k1", subject, GCM, false)).isEmpty();
  }

  @Test
  void unknownJsonProperties_areIgnored() {
    server.includeUnknownFields(true);
    registry.createKek(kek("k1"));
    registry.createDek("k1", dek("s", 1));

    assertThat(registry.getKek("k1", false)).isPresent();
    assertThat(registry.getDek("k1", "s", 1, GCM, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
    assertThat(registry.getLatestDek("k1", "s", GCM, false)).isPresent();
  }

  @Test
  void versionBelowOne_isRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> registry.getDek("k1", "s", 0, GCM, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.createDek("k1", dek("s", 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requestCount()).isZero();
  }
}
