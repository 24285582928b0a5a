package io.csfle.connect.store;

import java.util.List;
import java.util.Map;

/**
 * The key operators' calls on a {@link DekStore}: listings, KEK updates, soft and permanent
 * deletes, undeletes and re-wraps, as used by the key tool and by DEK re-wrapping. The data plane
 * never needs them. Every store implements both interfaces.
 */
public interface DekStoreAdmin extends DekStore {

  /** {@code GET /dek-registry/v1/keks}. */
  List<String> listKeks(boolean includeDeleted);

  /** {@code PUT /dek-registry/v1/keks/{name}}: only kmsProps, doc and shared can change. */
  RegisteredKek updateKek(String name, Map<String, String> kmsProps, String doc, boolean shared);

  /** {@code DELETE /dek-registry/v1/keks/{name}[?permanent=true]}. */
  void deleteKek(String name, boolean permanent);

  /** {@code POST /dek-registry/v1/keks/{name}/undelete}. */
  void undeleteKek(String name);

  /** {@code GET /dek-registry/v1/keks/{name}/deks}. */
  List<String> listDekSubjects(String kekName, boolean includeDeleted);

  /** {@code DELETE .../deks/{subject}[?permanent=true]}: every version of the subject. */
  void deleteDek(DekSubject dek, boolean permanent);

  /** {@code DELETE .../deks/{subject}/versions/{v}[?permanent=true]}. */
  void deleteDekVersion(DekSubject dek, int version, boolean permanent);

  /** {@code POST .../deks/{subject}/undelete}. */
  void undeleteDek(DekSubject dek);

  /** {@code POST .../deks/{subject}/versions/{v}/undelete}. */
  void undeleteDekVersion(DekSubject dek, int version);

  /**
   * {@code POST .../keks/{name}/deks/{subject}?rewrap=true}: stores new wrapped bytes for an
   * existing version (the DEK itself does not change).
   */
  RegisteredDek rewrapDek(NewDek dek);
}
