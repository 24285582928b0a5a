package io.csfle.connect.registry;

import io.csfle.connect.crypto.DekAlgorithm;
import java.util.List;
import java.util.Optional;

/**
 * Confluent's DEK Registry API as operations. Lookups return empty for "absent" (HTTP 404); creates
 * throw {@link RegistryException.Kind#CONFLICT} when the entity exists; every other failure is a
 * {@link RegistryException}. Implementations are thread-safe and do no caching: the DEK layer
 * caches.
 */
public interface DekRegistry extends AutoCloseable {

  /** {@code GET /dek-registry/v1/keks/{name}[?deleted=true]}. */
  Optional<RegisteredKek> getKek(String name, boolean includeDeleted);

  /** {@code POST /dek-registry/v1/keks}; CONFLICT if it exists, even identical. */
  RegisteredKek createKek(NewKek kek);

  /**
   * Version {@code version} (&ge; 1) of a DEK: {@code GET .../deks/{subject}/versions/{v}}. Never
   * uses {@code GET .../deks/{subject}}, whose meaning differs between servers.
   */
  Optional<RegisteredDek> getDek(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean includeDeleted);

  /**
   * The latest version of a DEK: {@code .../versions/latest}, falling back to the highest of {@link
   * #listDekVersions} on servers that reject {@code latest} (HTTP 422/404).
   */
  Optional<RegisteredDek> getLatestDek(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted);

  /** {@code GET .../deks/{subject}/versions}: ascending; empty when the subject has none. */
  List<Integer> listDekVersions(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted);

  /**
   * {@code POST .../keks/{name}/deks/{subject}} with an explicit version (on HTTP 405 falls back to
   * {@code POST .../keks/{name}/deks}). CONFLICT when that version exists: another writer won.
   */
  RegisteredDek createDek(String kekName, NewDek dek);

  // ---- admin calls for key operators ----

  /** {@code GET /dek-registry/v1/keks}. */
  List<String> listKeks(boolean includeDeleted);

  /** {@code PUT /dek-registry/v1/keks/{name}}: only kmsProps, doc and shared can change. */
  RegisteredKek updateKek(
      String name, java.util.Map<String, String> kmsProps, String doc, boolean shared);

  /** {@code DELETE /dek-registry/v1/keks/{name}[?permanent=true]}. */
  void deleteKek(String name, boolean permanent);

  /** {@code POST /dek-registry/v1/keks/{name}/undelete}. */
  void undeleteKek(String name);

  /** {@code GET /dek-registry/v1/keks/{name}/deks}. */
  List<String> listDekSubjects(String kekName, boolean includeDeleted);

  /** {@code DELETE .../deks/{subject}[?permanent=true]}: every version of the subject. */
  void deleteDek(String kekName, String subject, DekAlgorithm algorithm, boolean permanent);

  /** {@code DELETE .../deks/{subject}/versions/{v}[?permanent=true]}. */
  void deleteDekVersion(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean permanent);

  /** {@code POST .../deks/{subject}/undelete}. */
  void undeleteDek(String kekName, String subject, DekAlgorithm algorithm);

  /** {@code POST .../deks/{subject}/versions/{v}/undelete}. */
  void undeleteDekVersion(String kekName, String subject, int version, DekAlgorithm algorithm);

  /**
   * {@code POST .../keks/{name}/deks/{subject}?rewrap=true}: stores new wrapped bytes for an
   * existing version (the DEK itself does not change).
   */
  RegisteredDek rewrapDek(String kekName, NewDek dek);

  @Override
  void close();
}
