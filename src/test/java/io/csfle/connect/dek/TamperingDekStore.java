package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A DEK store that lies: it forwards to an honest {@link InMemoryDekStore} and passes each DEK, KEK
 * and version list it answers with through a test-set rewrite (re-wraps have their own) (another
 * algorithm, version, subject, KEK name, key material), the way a broken or tampered store would.
 * The honest store keeps the truth, so a test can also check what was (not) written to it.
 */
final class TamperingDekStore implements DekStoreAdmin {
  final InMemoryDekStore honest;
  volatile UnaryOperator<RegisteredDek> dekAnswers = UnaryOperator.identity();
  volatile UnaryOperator<RegisteredKek> kekAnswers = UnaryOperator.identity();
  volatile UnaryOperator<List<Integer>> versionAnswers = UnaryOperator.identity();
  volatile UnaryOperator<RegisteredDek> rewrapAnswers = UnaryOperator.identity();

  TamperingDekStore(InMemoryDekStore honest) {
    this.honest = honest;
  }

  /** A copy of {@code dek} with other identity fields or key material. */
  static RegisteredDek with(
      RegisteredDek dek,
      String kekName,
      String subject,
      int version,
      DekAlgorithm algorithm,
      byte[] encryptedKeyMaterial,
      byte[] keyMaterial) {
    return new RegisteredDek(
        kekName,
        subject,
        version,
        algorithm,
        encryptedKeyMaterial,
        keyMaterial,
        dek.ts(),
        dek.deleted());
  }

  static RegisteredDek withVersion(RegisteredDek d, int version) {
    return with(
        d,
        d.kekName(),
        d.subject(),
        version,
        d.algorithm(),
        d.encryptedKeyMaterial(),
        d.keyMaterial());
  }

  static RegisteredDek withAlgorithm(RegisteredDek d, DekAlgorithm algorithm, byte[] wrapped) {
    return with(d, d.kekName(), d.subject(), d.version(), algorithm, wrapped, null);
  }

  static RegisteredDek withSubject(RegisteredDek d, String subject) {
    return with(
        d, d.kekName(), subject, d.version(), d.algorithm(), d.encryptedKeyMaterial(), null);
  }

  static RegisteredDek withKekName(RegisteredDek d, String kekName) {
    return with(
        d, kekName, d.subject(), d.version(), d.algorithm(), d.encryptedKeyMaterial(), null);
  }

  static RegisteredDek withMaterial(RegisteredDek d, byte[] wrapped, byte[] plaintext) {
    return with(d, d.kekName(), d.subject(), d.version(), d.algorithm(), wrapped, plaintext);
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    return honest.getKek(name, includeDeleted).map(kekAnswers);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    return kekAnswers.apply(honest.createKek(kek));
  }

  @Override
  public Optional<RegisteredDek> getDek(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean deleted) {
    return honest.getDek(kekName, subject, version, algorithm, deleted).map(dekAnswers);
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(
      String kekName, String subject, DekAlgorithm algorithm, boolean deleted) {
    return honest.getLatestDek(kekName, subject, algorithm, deleted).map(dekAnswers);
  }

  @Override
  public List<Integer> listDekVersions(
      String kekName, String subject, DekAlgorithm algorithm, boolean deleted) {
    return versionAnswers.apply(honest.listDekVersions(kekName, subject, algorithm, deleted));
  }

  @Override
  public RegisteredDek createDek(String kekName, NewDek dek) {
    return dekAnswers.apply(honest.createDek(kekName, dek));
  }

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    return honest.listKeks(includeDeleted);
  }

  @Override
  public RegisteredKek updateKek(String name, Map<String, String> props, String doc, boolean s) {
    return kekAnswers.apply(honest.updateKek(name, props, doc, s));
  }

  @Override
  public void deleteKek(String name, boolean permanent) {
    honest.deleteKek(name, permanent);
  }

  @Override
  public void undeleteKek(String name) {
    honest.undeleteKek(name);
  }

  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    return honest.listDekSubjects(kekName, includeDeleted);
  }

  @Override
  public void deleteDek(String kekName, String subject, DekAlgorithm alg, boolean permanent) {
    honest.deleteDek(kekName, subject, alg, permanent);
  }

  @Override
  public void deleteDekVersion(String k, String s, int v, DekAlgorithm a, boolean permanent) {
    honest.deleteDekVersion(k, s, v, a, permanent);
  }

  @Override
  public void undeleteDek(String kekName, String subject, DekAlgorithm algorithm) {
    honest.undeleteDek(kekName, subject, algorithm);
  }

  @Override
  public void undeleteDekVersion(String k, String s, int v, DekAlgorithm a) {
    honest.undeleteDekVersion(k, s, v, a);
  }

  @Override
  public RegisteredDek rewrapDek(String kekName, NewDek dek) {
    return rewrapAnswers.apply(honest.rewrapDek(kekName, dek));
  }

  @Override
  public void close() {}
}
