package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekStoreException.Kind;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A DEK registry with Confluent's semantics in memory, counting calls, for unit tests of the DEK
 * layer. {@link #beforeCreateDek} lets a test slip a competing writer's DEK in first.
 */
final class InMemoryDekStore implements DekStoreAdmin {
  final Map<String, RegisteredKek> keks = new ConcurrentHashMap<>();
  final Map<String, TreeMap<Integer, RegisteredDek>> deks = new ConcurrentHashMap<>();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger createDekCalls = new AtomicInteger();
  Runnable beforeCreateDek = () -> {};
  RuntimeException failCreateDek;
  LongSupplier clock = System::currentTimeMillis;

  private static String key(String kek, String subject, DekAlgorithm algorithm) {
    return kek + "|" + subject + "|" + algorithm;
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    calls.incrementAndGet();
    return Optional.ofNullable(keks.get(name)).filter(k -> includeDeleted || !k.deleted());
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    calls.incrementAndGet();
    RegisteredKek created =
        new RegisteredKek(
            kek.name(),
            kek.kmsType(),
            kek.kmsKeyId(),
            kek.kmsProps(),
            kek.doc(),
            kek.shared(),
            clock.getAsLong(),
            false);
    if (keks.putIfAbsent(kek.name(), created) != null) {
      throw new DekStoreException(Kind.CONFLICT, 409, "KEK exists");
    }
    return created;
  }

  @Override
  public Optional<RegisteredDek> getDek(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean deleted) {
    calls.incrementAndGet();
    TreeMap<Integer, RegisteredDek> versions = deks.get(key(kekName, subject, algorithm));
    return Optional.ofNullable(versions == null ? null : versions.get(version))
        .filter(d -> deleted || !d.deleted());
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(
      String kekName, String subject, DekAlgorithm algorithm, boolean deleted) {
    calls.incrementAndGet();
    TreeMap<Integer, RegisteredDek> versions = deks.get(key(kekName, subject, algorithm));
    if (versions == null) {
      return Optional.empty();
    }
    return versions.descendingMap().values().stream()
        .filter(d -> deleted || !d.deleted())
        .findFirst();
  }

  @Override
  public List<Integer> listDekVersions(
      String kekName, String subject, DekAlgorithm algorithm, boolean deleted) {
    calls.incrementAndGet();
    TreeMap<Integer, RegisteredDek> versions = deks.get(key(kekName, subject, algorithm));
    return versions == null ? List.of() : new ArrayList<>(versions.keySet());
  }

  @Override
  public RegisteredDek createDek(String kekName, NewDek dek) {
    calls.incrementAndGet();
    createDekCalls.incrementAndGet();
    beforeCreateDek.run();
    if (failCreateDek != null) {
      throw failCreateDek;
    }
    return put(kekName, dek);
  }

  /** Stores a DEK directly, as another writer would; 409 if the version exists. */
  RegisteredDek put(String kekName, NewDek dek) {
    RegisteredKek kek = keks.get(kekName);
    byte[] material = kek != null && kek.shared() ? KeyMaterial.generate(dek.algorithm()) : null;
    RegisteredDek created =
        new RegisteredDek(
            kekName,
            dek.subject(),
            dek.version(),
            dek.algorithm(),
            material != null ? material : dek.encryptedKeyMaterial(),
            material,
            clock.getAsLong(),
            false);
    TreeMap<Integer, RegisteredDek> versions =
        deks.computeIfAbsent(key(kekName, dek.subject(), dek.algorithm()), k -> new TreeMap<>());
    synchronized (versions) {
      if (versions.containsKey(dek.version())) {
        throw new DekStoreException(Kind.CONFLICT, 409, "DEK exists");
      }
      versions.put(dek.version(), created);
    }
    return created;
  }

  void softDelete(String kekName, String subject, DekAlgorithm algorithm, int version) {
    TreeMap<Integer, RegisteredDek> versions = deks.get(key(kekName, subject, algorithm));
    RegisteredDek d = versions.get(version);
    versions.put(
        version,
        new RegisteredDek(
            d.kekName(),
            d.subject(),
            d.version(),
            d.algorithm(),
            d.encryptedKeyMaterial(),
            d.keyMaterial(),
            d.ts(),
            true));
  }

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    return new ArrayList<>(keks.keySet());
  }

  @Override
  public RegisteredKek updateKek(String name, Map<String, String> props, String doc, boolean s) {
    throw new IllegalStateException("not used by these tests");
  }

  @Override
  public void deleteKek(String name, boolean permanent) {
    keks.remove(name);
  }

  @Override
  public void undeleteKek(String name) {}

  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    return List.of();
  }

  @Override
  public void deleteDek(String kekName, String subject, DekAlgorithm alg, boolean permanent) {
    deks.remove(key(kekName, subject, alg));
  }

  @Override
  public void deleteDekVersion(String k, String s, int v, DekAlgorithm a, boolean permanent) {
    deks.get(key(k, s, a)).remove(v);
  }

  @Override
  public void undeleteDek(String kekName, String subject, DekAlgorithm algorithm) {}

  @Override
  public void undeleteDekVersion(String k, String s, int v, DekAlgorithm a) {}

  /** Replaces the wrapped bytes of an existing version, keeping the rest. */
  @Override
  public RegisteredDek rewrapDek(String kekName, NewDek dek) {
    calls.incrementAndGet();
    TreeMap<Integer, RegisteredDek> versions =
        deks.get(key(kekName, dek.subject(), dek.algorithm()));
    RegisteredDek old = versions == null ? null : versions.get(dek.version());
    if (old == null) {
      throw new DekStoreException(Kind.NOT_FOUND, 404, "DEK not found");
    }
    RegisteredDek rewrapped =
        new RegisteredDek(
            kekName,
            old.subject(),
            old.version(),
            old.algorithm(),
            dek.encryptedKeyMaterial(),
            null,
            old.ts(),
            old.deleted());
    versions.put(dek.version(), rewrapped);
    return rewrapped;
  }

  @Override
  public void close() {}
}
