package io.csfle.connect.store;

import java.util.List;
import java.util.Optional;

/**
 * Where KEKs and wrapped DEKs are kept, as the data plane uses it (the transforms and the
 * re-encryption job): look up and create KEKs and DEK versions. Key operators' calls (list, delete,
 * undelete, re-wrap) are in {@link DekStoreAdmin}. The operations are those of Confluent's DEK
 * Registry API; every DEK call names its {@link DekSubject} (KEK, subject, algorithm). Lookups
 * return empty for "absent" (HTTP 404); creates throw {@link DekStoreException.Kind#CONFLICT} when
 * the entity exists; every other failure is a {@link DekStoreException}. Implementations are
 * thread-safe and do no caching: the DEK layer caches.
 */
public interface DekStore extends AutoCloseable {

  /** {@code GET /dek-registry/v1/keks/{name}[?deleted=true]}. */
  Optional<RegisteredKek> getKek(String name, boolean includeDeleted);

  /** {@code POST /dek-registry/v1/keks}; CONFLICT if it exists, even identical. */
  RegisteredKek createKek(NewKek kek);

  /**
   * Version {@code version} (&ge; 1) of a DEK: {@code GET .../deks/{subject}/versions/{v}}. Never
   * uses {@code GET .../deks/{subject}}, whose meaning differs between servers.
   */
  Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted);

  /**
   * The latest version of a DEK: {@code .../versions/latest}, falling back to the highest of {@link
   * #listDekVersions} on servers that reject {@code latest} (HTTP 422/404).
   */
  Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted);

  /** {@code GET .../deks/{subject}/versions}: ascending; empty when the subject has none. */
  List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted);

  /**
   * {@code POST .../keks/{name}/deks/{subject}} with an explicit version (on HTTP 405 falls back to
   * {@code POST .../keks/{name}/deks}). CONFLICT when that version exists: another writer won.
   */
  RegisteredDek createDek(NewDek dek);

  @Override
  void close();
}
