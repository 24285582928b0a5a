package io.csfle.connect.bench;

import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A DEK store in maps, for measuring the caches above a store without a broker. */
final class MapDekStore implements DekStore {
  private final Map<String, RegisteredKek> keks = new ConcurrentHashMap<>();
  private final Map<DekSubject, ConcurrentSkipListMap<Integer, RegisteredDek>> deks =
      new ConcurrentHashMap<>();

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    return Optional.ofNullable(keks.get(name));
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    RegisteredKek created =
        new RegisteredKek(
            kek.name(),
            kek.kmsType(),
            kek.kmsKeyId(),
            kek.kmsProps(),
            kek.doc(),
            kek.shared(),
            System.currentTimeMillis(),
            false);
    keks.put(kek.name(), created);
    return created;
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    var versions = deks.get(dek);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    var versions = deks.get(dek);
    return versions == null || versions.isEmpty()
        ? Optional.empty()
        : Optional.of(versions.lastEntry().getValue());
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    var versions = deks.get(dek);
    return versions == null ? List.of() : new ArrayList<>(versions.keySet());
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    RegisteredDek created =
        new RegisteredDek(
            dek.dekSubject().kekName(),
            dek.dekSubject().subject(),
            dek.version(),
            dek.dekSubject().algorithm(),
            dek.encryptedKeyMaterial(),
            null,
            System.currentTimeMillis(),
            false);
    deks.computeIfAbsent(dek.dekSubject(), s -> new ConcurrentSkipListMap<>())
        .put(dek.version(), created);
    return created;
  }

  @Override
  public void close() {}
}
