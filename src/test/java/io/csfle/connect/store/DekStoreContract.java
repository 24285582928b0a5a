package io.csfle.connect.store;

import static io.csfle.connect.store.StoreTestData.GCM;
import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.k1;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.StoreTestData.wrapped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.csfle.connect.crypto.DekAlgorithm;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DekStoreAdmin} promises, whatever keeps the keys: the REST client against both
 * server flavours ({@code store.rest}), the Kafka key topic store ({@code store.kafka}) and so the
 * in-memory registry fake that DEK-layer tests use. A subclass opens a store on fresh, empty
 * storage for each case and adds what only its store does.
 *
 * <p>Cases marked "Confluent's rules" (refused deletes, a permanent delete only after a soft one,
 * re-wrap of an explicit version) hold for stores that follow Confluent's DEK Registry; a store
 * that differs on purpose (AxonOps) skips them and pins its own behaviour in its subclass.
 */
public abstract class DekStoreContract {
  protected DekStoreAdmin store;

  /** A store on fresh, empty storage. */
  protected abstract DekStoreAdmin openStore();

  /** A second client of the same storage (its own connections and reader); the caller closes it. */
  protected abstract DekStoreAdmin anotherClient();

  /** False for a store that departs from Confluent's delete and re-wrap rules on purpose. */
  protected boolean followsConfluentRules() {
    return true;
  }

  @BeforeEach
  void openFreshStore() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static void assertKind(ThrowingCallable call, DekStoreException.Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DekStoreException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  // ---- KEKs ----

  @Test
  void createKek_returnsWhatWasRegistered_andAnotherClientReadsItBack() {
    RegisteredKek kek =
        store.createKek(
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
    assertThat(store.getKek("k1", false)).contains(kek);
    try (DekStoreAdmin other = anotherClient()) {
      assertThat(other.getKek("k1", false)).contains(kek);
    }
  }

  @Test
  void createKek_withoutPropsOrDoc_readsBackEmptyPropsAndNullDoc() {
    store.createKek(kek("k1"));

    RegisteredKek kek = store.getKek("k1", false).orElseThrow();
    assertThat(kek.kmsProps()).isEmpty();
    assertThat(kek.doc()).isNull();
  }

  @Test
  void getKek_absent_isEmpty() {
    assertThat(store.getKek("nope", false)).isEmpty();
    assertThat(store.getKek("nope", true)).isEmpty();
  }

  @Test
  void createKek_conflictWhenNameExistsEvenIdentical() {
    store.createKek(kek("k1"));

    assertThatThrownBy(() -> store.createKek(kek("k1")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DekStoreException.Kind.CONFLICT);
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.isRetriable()).isFalse();
            });
  }

  @Test
  void deleteKek_softDeletedVisibleOnlyWithDeletedTrue_andUndeleteRestoresIt() {
    store.createKek(kek("k1"));
    store.createKek(kek("k2"));

    store.deleteKek("k1", false);

    assertThat(store.getKek("k1", false)).isEmpty();
    assertThat(store.getKek("k1", true)).hasValueSatisfying(k -> assertThat(k.deleted()).isTrue());
    assertThat(store.listKeks(false)).containsExactly("k2");
    assertThat(store.listKeks(true)).containsExactly("k1", "k2");

    store.undeleteKek("k1");
    assertThat(store.getKek("k1", false))
        .hasValueSatisfying(k -> assertThat(k.deleted()).isFalse());
  }

  @Test
  void deleteKek_permanentAfterSoftDelete_removesIt() {
    store.createKek(kek("k1"));
    store.deleteKek("k1", false);

    store.deleteKek("k1", true);

    assertThat(store.getKek("k1", true)).isEmpty();
    assertThat(store.listKeks(true)).isEmpty();
  }

  /** Confluent's rules. */
  @Test
  void deleteKek_permanentNeedsSoftDeleteFirst_andAbsentIsANoOp() {
    assumeTrue(followsConfluentRules());
    store.createKek(kek("k1"));

    assertKind(() -> store.deleteKek("k1", true), DekStoreException.Kind.NOT_FOUND);
    assertThat(store.getKek("k1", false)).isPresent();
    store.deleteKek("absent", false);
  }

  /** Confluent's rules. */
  @Test
  void deleteKek_refusedWhileDeksUseIt() {
    assumeTrue(followsConfluentRules());
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));

    assertKind(() -> store.deleteKek("k1", false), DekStoreException.Kind.REJECTED);
    store.deleteDek(k1("s"), false);
    store.deleteKek("k1", false);
    assertKind(() -> store.deleteKek("k1", true), DekStoreException.Kind.REJECTED);
  }

  @Test
  void updateKek_changesPropsDocAndShared() {
    store.createKek(kek("k1"));

    RegisteredKek updated = store.updateKek("k1", Map.of("x", "y"), "new doc", true);

    assertThat(updated.kmsProps()).containsExactly(Map.entry("x", "y"));
    assertThat(updated.doc()).isEqualTo("new doc");
    assertThat(updated.shared()).isTrue();
    assertThat(updated.kmsKeyId()).isEqualTo("mykey");
    assertThat(store.getKek("k1", false)).contains(updated);
  }

  @Test
  void updateKek_absent_notFound() {
    assertKind(() -> store.updateKek("nope", null, null, false), DekStoreException.Kind.NOT_FOUND);
  }

  // ---- DEKs: create and read ----

  @Test
  void createDek_withExplicitVersion_roundTrips() {
    store.createKek(kek("k1"));

    RegisteredDek created = store.createDek(dek("orders-value", 1));

    assertThat(created.kekName()).isEqualTo("k1");
    assertThat(created.subject()).isEqualTo("orders-value");
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.algorithm()).isEqualTo(GCM);
    assertThat(created.encryptedKeyMaterial()).isEqualTo(wrapped("orders-value", 1));
    assertThat(created.keyMaterial()).isNull();
    assertThat(created.deleted()).isFalse();
    assertThat(created.ts()).isPositive();
  }

  @Test
  void getDek_returnsExactlyTheRequestedVersion() {
    store.createKek(kek("k1"));
    for (int v = 1; v <= 3; v++) {
      store.createDek(dek("s", v));
    }

    RegisteredDek v2 = store.getDek(k1("s"), 2, false).orElseThrow();

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.encryptedKeyMaterial()).isEqualTo(wrapped("s", 2));
  }

  @Test
  void getDek_absentKekSubjectVersionOrAlgorithm_isEmpty() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));

    assertThat(store.getDek(new DekSubject("nope", "s", GCM), 1, false)).isEmpty();
    assertThat(store.getDek(k1("other"), 1, false)).isEmpty();
    assertThat(store.getDek(k1("s"), 2, true)).isEmpty();
    assertThat(store.getDek(new DekSubject("k1", "s", DekAlgorithm.AES256_SIV), 1, true)).isEmpty();
    assertThat(store.getLatestDek(k1("other"), false)).isEmpty();
  }

  @Test
  void getLatestDek_returnsHighestVersion() {
    store.createKek(kek("k1"));
    for (int v = 1; v <= 3; v++) {
      store.createDek(dek("s", v));
    }

    RegisteredDek latest = store.getLatestDek(k1("s"), false).orElseThrow();

    assertThat(latest.version()).isEqualTo(3);
    assertThat(latest.encryptedKeyMaterial()).isEqualTo(wrapped("s", 3));
  }

  @Test
  void getLatestDek_absent_isEmpty() {
    store.createKek(kek("k1"));

    assertThat(store.getLatestDek(k1("s"), false)).isEmpty();
    assertThat(store.getLatestDek(new DekSubject("nope", "s", GCM), true)).isEmpty();
  }

  @Test
  void listDekVersions_ascendingAndEmptyWhenAbsent() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 2));
    store.createDek(dek("s", 1));

    assertThat(store.listDekVersions(k1("s"), false)).containsExactly(1, 2);
    assertThat(store.listDekVersions(k1("other"), false)).isEmpty();
    assertThat(store.listDekVersions(new DekSubject("nope", "s", GCM), false)).isEmpty();
  }

  @Test
  void listDekSubjects_listsSubjectsOfKek_absentKekIsNotFound() {
    store.createKek(kek("k1"));
    store.createDek(dek("b-value", 1));
    store.createDek(dek("a-value", 1));

    assertThat(store.listDekSubjects("k1", false)).containsExactly("a-value", "b-value");
    assertKind(() -> store.listDekSubjects("nope", false), DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void createDek_conflictWhenVersionExists_firstStays() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));

    assertKind(
        () -> store.createDek(new NewDek(k1("s"), 1, wrapped("x", 9))),
        DekStoreException.Kind.CONFLICT);
    assertThat(store.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  @Test
  void createDek_absentKek_notFound() {
    assertKind(
        () -> store.createDek(new NewDek(new DekSubject("nope", "s", GCM), 1, wrapped("s", 1))),
        DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void createDek_withoutMaterialForNonSharedKek_rejected() {
    store.createKek(kek("k1"));

    assertKind(
        () -> store.createDek(new NewDek(k1("s"), 1, null)), DekStoreException.Kind.REJECTED);
  }

  /** Confluent's rules. */
  @Test
  void createDek_underSoftDeletedKek_notFound() {
    assumeTrue(followsConfluentRules());
    store.createKek(kek("k1"));
    store.deleteKek("k1", false);

    assertKind(() -> store.createDek(dek("s", 1)), DekStoreException.Kind.NOT_FOUND);
  }

  @Test
  void dekCreatedByAnotherClient_isFoundByALookupThatMisses() {
    store.createKek(kek("k1"));
    assertThat(store.getDek(k1("s"), 1, false)).isEmpty();

    try (DekStoreAdmin other = anotherClient()) {
      other.createDek(dek("s", 1));
    }

    assertThat(store.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
        .isEqualTo(wrapped("s", 1));
  }

  // ---- DEKs: soft delete, undelete, permanent delete, re-wrap ----

  @Test
  void deleteDekVersion_softDeletedReadableOnlyWithDeletedTrue() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));
    store.createDek(dek("s", 2));

    store.deleteDekVersion(k1("s"), 2, false);

    assertThat(store.getDek(k1("s"), 2, false)).isEmpty();
    assertThat(store.getDek(k1("s"), 2, true))
        .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
    assertThat(store.getLatestDek(k1("s"), false).orElseThrow().version()).isEqualTo(1);
    assertThat(store.getLatestDek(k1("s"), true).orElseThrow().version()).isEqualTo(2);
    assertThat(store.listDekVersions(k1("s"), false)).containsExactly(1);
    assertThat(store.listDekVersions(k1("s"), true)).containsExactly(1, 2);
  }

  @Test
  void deleteDek_softDeletesEveryVersion_undeleteRestoresOneOrAll() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));
    store.createDek(dek("s", 2));

    store.deleteDek(k1("s"), false);
    assertThat(store.listDekVersions(k1("s"), false)).isEmpty();
    assertThat(store.getDek(k1("s"), 1, true)).isPresent();

    store.undeleteDekVersion(k1("s"), 1);
    assertThat(store.listDekVersions(k1("s"), false)).containsExactly(1);
    store.undeleteDek(k1("s"));
    assertThat(store.listDekVersions(k1("s"), false)).containsExactly(1, 2);
  }

  @Test
  void deleteDekVersion_permanentAfterSoftDelete_removesOnlyThatVersion() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));
    store.createDek(dek("s", 2));
    store.deleteDekVersion(k1("s"), 2, false);

    store.deleteDekVersion(k1("s"), 2, true);

    assertThat(store.getDek(k1("s"), 2, true)).isEmpty();
    assertThat(store.listDekVersions(k1("s"), true)).containsExactly(1);
  }

  /** Confluent's rules. */
  @Test
  void deleteDekVersion_permanentWithoutSoftDelete_notFound() {
    assumeTrue(followsConfluentRules());
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));

    assertKind(() -> store.deleteDekVersion(k1("s"), 1, true), DekStoreException.Kind.NOT_FOUND);
    assertThat(store.getDek(k1("s"), 1, false)).isPresent();
  }

  @Test
  void deleteDek_permanentAfterSoftDelete_removesEveryVersion_andTheVersionCanBeCreatedAgain() {
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));
    store.createDek(dek("s", 2));
    store.deleteDek(k1("s"), false);

    store.deleteDek(k1("s"), true);

    assertThat(store.listDekVersions(k1("s"), true)).isEmpty();
    assertThat(store.listDekSubjects("k1", true)).isEmpty();
    try (DekStoreAdmin other = anotherClient()) {
      assertThat(other.getDek(k1("s"), 1, true)).isEmpty();
    }
    NewDek again = new NewDek(k1("s"), 1, wrapped("again", 1));
    assertThat(store.createDek(again).encryptedKeyMaterial()).isEqualTo(wrapped("again", 1));
  }

  /** Confluent's rules: the posted bytes are stored for the posted version. */
  @Test
  void rewrapDek_replacesWrappedBytesOfThatVersion_absentVersionNotFound() {
    assumeTrue(followsConfluentRules());
    store.createKek(kek("k1"));
    store.createDek(dek("s", 1));

    RegisteredDek rewrapped = store.rewrapDek(new NewDek(k1("s"), 1, wrapped("new", 1)));

    assertThat(rewrapped.version()).isEqualTo(1);
    assertThat(rewrapped.encryptedKeyMaterial()).isEqualTo(wrapped("new", 1));
    try (DekStoreAdmin other = anotherClient()) {
      assertThat(other.getDek(k1("s"), 1, false).orElseThrow().encryptedKeyMaterial())
          .isEqualTo(wrapped("new", 1));
    }
    assertKind(() -> store.rewrapDek(dek("s", 2)), DekStoreException.Kind.NOT_FOUND);
  }

  // ---- names and arguments ----

  @Test
  void subjectWithSpecialCharacters_roundTrips() {
    String subject = "orders/eu value+ü?#&%";
    DekSubject dek = k1(subject);
    store.createKek(kek("k1"));

    store.createDek(dek(subject, 1));
    store.createDek(dek(subject, 2));

    assertThat(store.getDek(dek, 1, false).orElseThrow().subject()).isEqualTo(subject);
    assertThat(store.getLatestDek(dek, false).orElseThrow().version()).isEqualTo(2);
    assertThat(store.listDekVersions(dek, false)).containsExactly(1, 2);
    assertThat(store.listDekSubjects("k1", false)).containsExactly(subject);
    store.deleteDek(dek, false);
    assertThat(store.listDekVersions(dek, false)).isEmpty();
  }

  @Test
  void versionBelowOne_isRefused() {
    assertThatThrownBy(() -> store.getDek(k1("s"), 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.createDek(dek("s", 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
