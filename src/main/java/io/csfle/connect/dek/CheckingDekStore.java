package io.csfle.connect.dek;

import io.csfle.connect.remote.SecretScrubber;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DEK layer's view of any DEK store (REST registry, Kafka key topic, a test fake): every KEK
 * and DEK the store returns is checked against what was asked before anything uses it, and every
 * store failure names the KEK or DEK being resolved. A store answers for a name, subject, version
 * and algorithm; if it answers with others (an AES256_SIV DEK for an AES256_GCM request, version 0,
 * a list holding version -3), the answer is refused with a {@link DekStoreAnswerException} naming
 * both sides, because using it would weaken the encryption or write ciphertext no reader accepts.
 * Omitted fields are the store client's business (it fills them from the request); this class
 * refuses contradictions.
 */
final class CheckingDekStore implements DekStoreAdmin {
  private final DekStore store;

  private CheckingDekStore(DekStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** {@code store} with its answers checked; a store that is checked already is returned as is. */
  static DekStore around(DekStore store) {
    return store instanceof CheckingDekStore ? store : new CheckingDekStore(store);
  }

  /** {@code store} with its answers checked, admin calls included. */
  static DekStoreAdmin aroundAdmin(DekStoreAdmin store) {
    return store instanceof CheckingDekStore checking ? checking : new CheckingDekStore(store);
  }

  /** The store's admin calls; only reachable through {@link #aroundAdmin}, which took one. */
  private DekStoreAdmin admin() {
    return (DekStoreAdmin) store;
  }

  // ---- data plane ----

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    Optional<RegisteredKek> kek =
        resolving("resolving " + kekText(name), () -> store.getKek(name, includeDeleted));
    kek.ifPresent(k -> checkKek(name, k));
    return kek;
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    RegisteredKek created =
        resolving("creating " + kekText(kek.name()), () -> store.createKek(kek));
    checkKek(kek.name(), created);
    List<String> contradictions = new ArrayList<>();
    differs(contradictions, "kmsType", kek.kmsType(), created.kmsType());
    differs(contradictions, "kmsKeyId", kek.kmsKeyId(), created.kmsKeyId());
    differs(contradictions, "shared", kek.shared(), created.shared());
    refuseIfAny(contradictions, "creating " + kekText(kek.name()));
    return created;
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    DekId asked = new DekId(dek, version);
    Optional<RegisteredDek> found =
        resolving("resolving " + asked, () -> store.getDek(dek, version, includeDeleted));
    found.ifPresent(d -> checkDek("", asked, d, null));
    return found;
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    DekId asked = DekId.latest(dek);
    Optional<RegisteredDek> found =
        resolving("resolving " + asked, () -> store.getLatestDek(dek, includeDeleted));
    found.ifPresent(d -> checkDek("", asked, d, null));
    return found;
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    String what = "the versions of " + dek;
    List<Integer> versions =
        resolving("listing " + what, () -> store.listDekVersions(dek, includeDeleted));
    int previous = 0;
    for (int version : versions) {
      if (version < 1) {
        refuseIfAny(List.of("version " + version + ", asked versions >= 1"), what);
      }
      if (version <= previous) {
        refuseIfAny(List.of("version " + version + " twice or out of order"), what);
      }
      previous = version;
    }
    return versions;
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    DekId asked = DekId.of(dek);
    RegisteredDek created = resolving("creating " + asked, () -> store.createDek(dek));
    checkDek("creating ", asked, created, dek.encryptedKeyMaterial());
    return created;
  }

  // ---- key administration ----

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    return admin().listKeks(includeDeleted);
  }

  @Override
  public RegisteredKek updateKek(
      String name, Map<String, String> kmsProps, String doc, boolean shared) {
    RegisteredKek updated =
        resolving(
            "updating " + kekText(name), () -> admin().updateKek(name, kmsProps, doc, shared));
    checkKek(name, updated);
    return updated;
  }

  @Override
  public void deleteKek(String name, boolean permanent) {
    admin().deleteKek(name, permanent);
  }

  @Override
  public void undeleteKek(String name) {
    admin().undeleteKek(name);
  }

  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    return admin().listDekSubjects(kekName, includeDeleted);
  }

  @Override
  public void deleteDek(DekSubject dek, boolean permanent) {
    admin().deleteDek(dek, permanent);
  }

  @Override
  public void deleteDekVersion(DekSubject dek, int version, boolean permanent) {
    admin().deleteDekVersion(dek, version, permanent);
  }

  @Override
  public void undeleteDek(DekSubject dek) {
    admin().undeleteDek(dek);
  }

  @Override
  public void undeleteDekVersion(DekSubject dek, int version) {
    admin().undeleteDekVersion(dek, version);
  }

  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    DekId asked = DekId.of(dek);
    RegisteredDek rewrapped = resolving("re-wrapping " + asked, () -> admin().rewrapDek(dek));
    checkDek("re-wrapping ", asked, rewrapped, dek.encryptedKeyMaterial());
    return rewrapped;
  }

  @Override
  public void close() {
    store.close();
  }

  // ---- checks ----

  private static void checkKek(String askedName, RegisteredKek answer) {
    List<String> contradictions = new ArrayList<>();
    differs(contradictions, "KEK", askedName, answer.name());
    refuseIfAny(contradictions, kekText(askedName));
  }

  /**
   * @param action what was asked ("creating ", "re-wrapping "), empty for a lookup
   * @param postedWrapped the wrapped key material a create or re-wrap posted, which a store that
   *     returns it must return unchanged (readers will unwrap what it stored); null otherwise
   */
  private static void checkDek(
      String action, DekId asked, RegisteredDek answer, byte[] postedWrapped) {
    List<String> contradictions = new ArrayList<>();
    DekSubject dek = asked.dekSubject();
    differs(contradictions, "KEK", dek.kekName(), answer.kekName());
    differs(contradictions, "subject", dek.subject(), answer.subject());
    differs(contradictions, "algorithm", dek.algorithm(), answer.algorithm());
    if (answer.version() < 1) {
      contradictions.add("version " + answer.version() + ", asked a version >= 1");
    } else if (asked.version() != DekId.LATEST && answer.version() != asked.version()) {
      contradictions.add("version " + answer.version() + ", asked " + asked.version());
    }
    if (isEmpty(answer.encryptedKeyMaterial()) && isEmpty(answer.keyMaterial())) {
      contradictions.add("no key material (neither encryptedKeyMaterial nor keyMaterial)");
    }
    if (postedWrapped != null
        && answer.encryptedKeyMaterial() != null
        && !Arrays.equals(postedWrapped, answer.encryptedKeyMaterial())) {
      contradictions.add("other encryptedKeyMaterial than the one sent");
    }
    refuseIfAny(contradictions, action + asked);
  }

  private static void differs(List<String> contradictions, String field, Object asked, Object got) {
    if (!Objects.equals(asked, got)) {
      String answered = got instanceof String text ? "'" + serverText(text) + "'" : "" + got;
      String request = asked instanceof String text ? "'" + text + "'" : "" + asked;
      contradictions.add(field + " " + answered + ", asked " + request);
    }
  }

  private static void refuseIfAny(List<String> contradictions, String what) {
    if (!contradictions.isEmpty()) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for "
              + what
              + ": it answered with "
              + String.join("; ", contradictions)
              + ". Nothing was encrypted or decrypted with it; check the DEK store (a broken or"
              + " tampered store, or another client writing other keys under these names)");
    }
  }

  /** Runs a store call; a store failure keeps its kind and gains the KEK or DEK it was about. */
  private static <T> T resolving(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (DekStoreException e) {
      throw new DekStoreException(e.kind(), e.status(), "While " + what + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(byte[] bytes) {
    return bytes == null || bytes.length == 0;
  }

  private static String kekText(String name) {
    return "KEK '" + name + "'";
  }

  /** Store-sent text in a message: control characters stripped, cut short. */
  private static String serverText(String text) {
    return SecretScrubber.NONE.serverText(text);
  }
}
