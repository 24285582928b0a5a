package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.kafka.KeyTopicState.Entry;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What {@link KafkaDekStore} reads from the key topic: entities as they stand, with or without the
 * soft-deleted ones, from memory or after reading the topic to its end.
 */
final class KeyTopicView {
  private final KeyTopicLog log;

  KeyTopicView(KeyTopicLog log) {
    this.log = log;
  }

  /**
   * From memory (re-read first if it is older than {@link KeyTopicLog#MAX_STALENESS}); on a miss,
   * reads the topic to its current end and looks again.
   */
  Optional<StoredEntity> lookup(EntityId id, boolean includeDeleted) {
    return missThenSync(() -> visibleValue(id, includeDeleted));
  }

  /** The entity as it stands after reading the topic to its end, deleted or not. */
  Optional<StoredEntity> current(EntityId id) {
    log.syncToEnd();
    return log.read(s -> s.entry(id).map(Entry::value));
  }

  Optional<StoredEntity> visibleValue(EntityId id, boolean includeDeleted) {
    return log.read(s -> s.entry(id).map(Entry::value)).filter(e -> includeDeleted || !e.deleted());
  }

  boolean kekVisible(String kekName, boolean includeDeleted) {
    return visibleValue(EntityId.kek(kekName), includeDeleted).isPresent();
  }

  /** The highest version of {@code dek}, looked up as {@link #lookup} looks up one entity. */
  Optional<RegisteredDek> latestDek(DekSubject dek, boolean includeDeleted) {
    return missThenSync(() -> latest(dek, includeDeleted));
  }

  private <T> Optional<T> missThenSync(Supplier<Optional<T>> read) {
    log.syncIfStale();
    Optional<T> found = read.get();
    if (found.isEmpty()) {
      log.syncToEnd();
      found = read.get();
    }
    return found;
  }

  private Optional<RegisteredDek> latest(DekSubject dek, boolean includeDeleted) {
    return log.read(s -> s.latest(dek, includeDeleted)).map(StoredEntity::dek);
  }

  List<EntityId> versions(DekSubject dek, boolean includeDeleted) {
    return visible(id -> id.isDekOf(dek), includeDeleted);
  }

  List<EntityId> keks(boolean includeDeleted) {
    return log.read(s -> s.keks(includeDeleted));
  }

  List<EntityId> visible(Predicate<EntityId> filter, boolean includeDeleted) {
    return log.read(s -> s.find(filter, includeDeleted));
  }
}
