package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
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
final class TamperingDekStore extends ForwardingDekStore {
  final InMemoryDekStore honest;
  volatile UnaryOperator<RegisteredDek> dekAnswers = UnaryOperator.identity();
  volatile UnaryOperator<RegisteredKek> kekAnswers = UnaryOperator.identity();
  volatile UnaryOperator<List<Integer>> versionAnswers = UnaryOperator.identity();
  volatile UnaryOperator<RegisteredDek> rewrapAnswers = UnaryOperator.identity();

  TamperingDekStore(InMemoryDekStore honest) {
    super(honest);
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
    return super.getKek(name, includeDeleted).map(kekAnswers);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    return kekAnswers.apply(super.createKek(kek));
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    return super.getDek(dek, version, includeDeleted).map(dekAnswers);
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    return super.getLatestDek(dek, includeDeleted).map(dekAnswers);
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    return versionAnswers.apply(super.listDekVersions(dek, includeDeleted));
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    return dekAnswers.apply(super.createDek(dek));
  }

  @Override
  public RegisteredKek updateKek(String name, Map<String, String> props, String doc, boolean s) {
    return kekAnswers.apply(super.updateKek(name, props, doc, s));
  }

  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    return rewrapAnswers.apply(super.rewrapDek(dek));
  }
}
