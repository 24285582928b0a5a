package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link DekStore} kept in a compacted Kafka topic instead of a registry server, with the
 * semantics of Confluent's DEK Registry: lookups are empty when absent, creates throw CONFLICT when
 * the entity exists, soft deletes hide entities unless {@code includeDeleted}, permanent deletes
 * need a soft delete first. Creates are decided by log order (see the package documentation).
 * Lookups answer from what the reader read (to the end within the last few seconds): KEKs and
 * cached DEKs from memory, other DEKs by reading their one record back by offset ({@link
 * KeyTopicState}); one that misses first reads the topic to its current end, so a key another
 * worker created is found. Listings scan the topic's record keys. Stores with the same topic and
 * client settings share one reader ({@link SharedKeyTopicLogs}); {@link #close()} releases it.
 *
 * <p>Shared KEKs are refused for DEKs: the registry would have to hold the plaintext DEK, and
 * plaintext keys are never written to the topic.
 */
public final class KafkaDekStore implements DekStoreAdmin {
  private final KafkaDekStoreConfig config;
  private final KeyTopicLog log;
  private final LongSupplier clock;
  private final KeyTopicWriter writer;
  private final KeyTopicView view;
  private final KeyTopicDeletes deletes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaDekStore(KafkaDekStoreConfig config, KeyTopicLog log, LongSupplier clock) {
    this.config = config;
    this.log = log;
    this.clock = clock;
    this.writer = new KeyTopicWriter(log);
    this.view = new KeyTopicView(log);
    this.deletes = new KeyTopicDeletes(view, writer, clock);
  }

  /** A store on the shared reader for {@code config}; nothing is contacted until the first call. */
  public static KafkaDekStore open(KafkaDekStoreConfig config) {
    return new KafkaDekStore(config, SharedKeyTopicLogs.acquire(config), System::currentTimeMillis);
  }

  /** How many key topic readers are open in this JVM (for monitoring and tests). */
  public static int openReaders() {
    return SharedKeyTopicLogs.openCount();
  }

  // ---- KEKs ----

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    return view.lookup(EntityId.kek(name), includeDeleted).map(StoredEntity::kek);
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
            clock.getAsLong(),
            false);
    return writer.claim(EntityId.kek(kek.name()), StoredEntity.claimOf(created)).kek();
  }

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    log.syncToEnd();
    return view.keks(includeDeleted).stream().map(EntityId::kekName).sorted().toList();
  }

  @Override
  public RegisteredKek updateKek(
      String name, Map<String, String> kmsProps, String doc, boolean shared) {
    EntityId id = EntityId.kek(name);
    RegisteredKek old =
        view.current(id).filter(e -> !e.deleted()).orElseThrow(() -> notFound(id)).kek();
    RegisteredKek updated =
        new RegisteredKek(
            name,
            old.kmsType(),
            old.kmsKeyId(),
            kmsProps == null ? old.kmsProps() : kmsProps,
            doc == null ? old.doc() : doc,
            shared,
            clock.getAsLong(),
            false);
    return writer.update(id, new StoredEntity(updated, null, 0)).kek();
  }

  /** Confluent's rules, see {@link KeyTopicDeletes#deleteKek}. */
  @Override
  public void deleteKek(String name, boolean permanent) {
    deletes.deleteKek(name, permanent);
  }

  @Override
  public void undeleteKek(String name) {
    deletes.undeleteKek(name);
  }

  // ---- DEKs ----

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    requirePositive(version);
    Optional<RegisteredDek> found =
        view.lookup(EntityId.dek(dek, version), includeDeleted).map(StoredEntity::dek);
    return found.isPresent() && view.kekVisible(dek.kekName(), includeDeleted)
        ? found
        : Optional.empty();
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    Optional<RegisteredDek> latest = view.latestDek(dek, includeDeleted);
    return latest.isPresent() && view.kekVisible(dek.kekName(), includeDeleted)
        ? latest
        : Optional.empty();
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    log.syncToEnd();
    if (!view.kekVisible(dek.kekName(), includeDeleted)) {
      return List.of();
    }
    return view.versions(dek, includeDeleted).stream().map(EntityId::version).sorted().toList();
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    requirePositive(dek.version());
    DekSubject subject = dek.dekSubject();
    String kekName = subject.kekName();
    RegisteredKek kek = getKek(kekName, false).orElseThrow(() -> notFound(EntityId.kek(kekName)));
    EntityId id = EntityId.dek(subject, dek.version());
    if (dek.encryptedKeyMaterial() == null) {
      throw KafkaFailures.rejected(
          id
              + ": encryptedKeyMaterial is required"
              + (kek.shared()
                  ? " (shared KEKs need a registry server: the key topic never holds plaintext"
                      + " DEKs)"
                  : ""));
    }
    RegisteredDek created =
        new RegisteredDek(
            kekName,
            subject.subject(),
            dek.version(),
            subject.algorithm(),
            dek.encryptedKeyMaterial().clone(),
            null,
            clock.getAsLong(),
            false);
    return writer.claim(id, StoredEntity.claimOf(created)).dek();
  }

  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    log.syncToEnd();
    if (!view.kekVisible(kekName, includeDeleted)) {
      throw notFound(EntityId.kek(kekName));
    }
    return view.visible(d -> !d.isKek() && d.kekName().equals(kekName), includeDeleted).stream()
        .map(EntityId::subject)
        .distinct()
        .sorted()
        .toList();
  }

  @Override
  public void deleteDek(DekSubject dek, boolean permanent) {
    log.syncToEnd();
    deletes.deleteDeks(view.versions(dek, true), permanent);
  }

  @Override
  public void deleteDekVersion(DekSubject dek, int version, boolean permanent) {
    requirePositive(version);
    EntityId id = EntityId.dek(dek, version);
    deletes.deleteDeks(view.current(id).isPresent() ? List.of(id) : List.of(), permanent);
  }

  @Override
  public void undeleteDek(DekSubject dek) {
    log.syncToEnd();
    deletes.undeleteDeks(dek.kekName(), view.versions(dek, true));
  }

  @Override
  public void undeleteDekVersion(DekSubject dek, int version) {
    requirePositive(version);
    deletes.undeleteDeks(dek.kekName(), List.of(EntityId.dek(dek, version)));
  }

  /** Keeps the DEK's creation time: rotation expiry counts from it, not from the re-wrap. */
  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    requirePositive(dek.version());
    EntityId id = EntityId.dek(dek.dekSubject(), dek.version());
    RegisteredDek old =
        view.current(id).filter(e -> !e.deleted()).orElseThrow(() -> notFound(id)).dek();
    if (dek.encryptedKeyMaterial() == null) {
      throw KafkaFailures.rejected(id + ": re-wrap needs encryptedKeyMaterial");
    }
    RegisteredDek rewrapped =
        new RegisteredDek(
            old.kekName(),
            old.subject(),
            old.version(),
            old.algorithm(),
            dek.encryptedKeyMaterial().clone(),
            null,
            old.ts(),
            false);
    return writer.update(id, new StoredEntity(null, rewrapped, 0)).dek();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      SharedKeyTopicLogs.release(config, log);
    }
  }

  private static DekStoreException notFound(EntityId id) {
    return KafkaFailures.notFound(id.toString());
  }

  private static void requirePositive(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("DEK version must be >= 1, got " + version);
    }
  }
}
