package io.csfle.connect.bench;

import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** Counts the calls made to a DEK store: reads (KEKs and DEKs) and creates. */
final class CountingDekStore implements DekStore {
  private final DekStore delegate;
  final LongAdder reads = new LongAdder();
  final LongAdder creates = new LongAdder();

  CountingDekStore(DekStore delegate) {
    this.delegate = delegate;
  }

  long calls() {
    return reads.sum() + creates.sum();
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    reads.increment();
    return delegate.getKek(name, includeDeleted);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    creates.increment();
    return delegate.createKek(kek);
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    reads.increment();
    return delegate.getDek(dek, version, includeDeleted);
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    reads.increment();
    return delegate.getLatestDek(dek, includeDeleted);
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    reads.increment();
    return delegate.listDekVersions(dek, includeDeleted);
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    creates.increment();
    return delegate.createDek(dek);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
