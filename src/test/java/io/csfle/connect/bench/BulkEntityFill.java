package io.csfle.connect.bench;

import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.store.kafka.KeyTopicBulkWriter;
import java.util.List;
import java.util.Optional;

/**
 * A DEK store for filling a key topic with entity keys made by the real {@link EntityKeys} code, at
 * producer speed: KEKs and the parent subject's DEKs go to the real store, every other subject is
 * known to be new (answered as absent without asking the broker), and entity keys are appended in
 * batches by a {@link KeyTopicBulkWriter} instead of being created one claim at a time.
 */
final class BulkEntityFill implements DekStore {
  private final DekStore store;
  private final KeyTopicBulkWriter writer;
  private final String parentSubject;

  BulkEntityFill(DekStore store, KeyTopicBulkWriter writer, String parentSubject) {
    this.store = store;
    this.writer = writer;
    this.parentSubject = parentSubject;
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    return store.getKek(name, includeDeleted);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    return store.createKek(kek);
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    return isParent(dek) ? store.getDek(dek, version, includeDeleted) : Optional.empty();
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    return isParent(dek) ? store.getLatestDek(dek, includeDeleted) : Optional.empty();
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    return isParent(dek) ? store.listDekVersions(dek, includeDeleted) : List.of();
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    if (!dek.dekSubject().kekName().endsWith(EntityKeys.KEK_SUFFIX)) {
      return store.createDek(dek);
    }
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
    writer.append(created);
    return created;
  }

  private boolean isParent(DekSubject dek) {
    return dek.subject().equals(parentSubject);
  }

  @Override
  public void close() {}
}
