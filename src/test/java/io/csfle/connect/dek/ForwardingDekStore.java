package io.csfle.connect.dek;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Forwards every call to another store; test decorators override the calls they watch or bend. */
abstract class ForwardingDekStore implements DekStoreAdmin {
  private final DekStoreAdmin delegate;

  ForwardingDekStore(DekStoreAdmin delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    return delegate.getKek(name, includeDeleted);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    return delegate.createKek(kek);
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    return delegate.getDek(dek, version, includeDeleted);
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    return delegate.getLatestDek(dek, includeDeleted);
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    return delegate.listDekVersions(dek, includeDeleted);
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    return delegate.createDek(dek);
  }

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    return delegate.listKeks(includeDeleted);
  }

  @Override
  public RegisteredKek updateKek(String name, Map<String, String> props, String doc, boolean s) {
    return delegate.updateKek(name, props, doc, s);
  }

  @Override
  public void deleteKek(String name, boolean permanent) {
    delegate.deleteKek(name, permanent);
  }

  @Override
  public void undeleteKek(String name) {
    delegate.undeleteKek(name);
  }

  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    return delegate.listDekSubjects(kekName, includeDeleted);
  }

  @Override
  public void deleteDek(DekSubject dek, boolean permanent) {
    delegate.deleteDek(dek, permanent);
  }

  @Override
  public void deleteDekVersion(DekSubject dek, int version, boolean permanent) {
    delegate.deleteDekVersion(dek, version, permanent);
  }

  @Override
  public void undeleteDek(DekSubject dek) {
    delegate.undeleteDek(dek);
  }

  @Override
  public void undeleteDekVersion(DekSubject dek, int version) {
    delegate.undeleteDekVersion(dek, version);
  }

  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    return delegate.rewrapDek(dek);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
