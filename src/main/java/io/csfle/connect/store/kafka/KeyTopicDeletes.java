package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekStoreException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Confluent's delete and undelete rules on the key topic: a soft delete hides an entity, a
 * permanent delete (a tombstone) needs a soft delete first, a KEK cannot go while DEKs use it, and
 * a DEK cannot come back while its KEK is deleted.
 */
final class KeyTopicDeletes {
  private final KeyTopicView view;
  private final KeyTopicWriter writer;
  private final LongSupplier clock;

  KeyTopicDeletes(KeyTopicView view, KeyTopicWriter writer, LongSupplier clock) {
    this.view = view;
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * Absent is a no-op; a soft delete is refused while live DEKs use the KEK, a permanent one while
   * any DEK does and before a soft delete.
   */
  void deleteKek(String name, boolean permanent) {
    EntityId id = EntityId.kek(name);
    Optional<StoredEntity> kek = view.current(id);
    if (kek.isEmpty()) {
      return;
    }
    List<EntityId> deks = view.visible(d -> !d.isKek() && d.kekName().equals(name), permanent);
    if (!deks.isEmpty()) {
      throw KafkaFailures.rejected("KEK '" + name + "' is still used by " + deks.size() + " DEKs");
    }
    if (permanent) {
      requireSoftDeleted(id, kek.get());
      writer.shred(id);
    } else if (!kek.get().deleted()) {
      writer.update(id, withDeleted(kek.get(), true));
    }
  }

  void undeleteKek(String name) {
    EntityId id = EntityId.kek(name);
    view.current(id)
        .filter(StoredEntity::deleted)
        .ifPresent(k -> writer.update(id, withDeleted(k, false)));
  }

  /** Deletes every target DEK version; a permanent delete checks them all before shredding any. */
  void deleteDeks(List<EntityId> targets, boolean permanent) {
    if (permanent) {
      for (EntityId id : targets) {
        requireSoftDeleted(
            id, view.current(id).orElseThrow(() -> KafkaFailures.notFound(id.toString())));
      }
      targets.forEach(writer::shred);
      return;
    }
    for (EntityId id : targets) {
      view.current(id)
          .filter(e -> !e.deleted())
          .ifPresent(e -> writer.update(id, withDeleted(e, true)));
    }
  }

  void undeleteDeks(String kekName, List<EntityId> targets) {
    if (view.current(EntityId.kek(kekName)).filter(StoredEntity::deleted).isPresent()) {
      throw new DekStoreException(
          DekStoreException.Kind.NOT_FOUND, 404, "KEK '" + kekName + "' must be undeleted first");
    }
    for (EntityId id : targets) {
      view.current(id)
          .filter(StoredEntity::deleted)
          .ifPresent(e -> writer.update(id, withDeleted(e, false)));
    }
  }

  private StoredEntity withDeleted(StoredEntity entity, boolean deleted) {
    return entity.withDeleted(deleted, clock.getAsLong());
  }

  private static void requireSoftDeleted(EntityId id, StoredEntity entity) {
    if (!entity.deleted()) {
      // Confluent answers 404 here.
      throw new DekStoreException(
          DekStoreException.Kind.NOT_FOUND,
          404,
          id + " was not soft-deleted before the permanent delete");
    }
  }
}
