package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekSubject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The key topic as the reader knows it: for each entity, the winning claim, its claim offset and
 * current value, plus the losing claim keys seen (so a permanent delete can tombstone them).
 * Records go in with their positions, decisions come out, so the race and compaction rules are
 * testable without a broker. Not thread-safe; {@link KeyTopicLog} guards it.
 *
 * <p>The rule: the winner of an entity is the claim with the smallest claim offset. A claim's claim
 * offset is its own offset; an update carries the claim offset of the claim it continues. So when
 * compaction has removed the winner's claim record (superseded by an update under the same key),
 * the update still outranks any loser claim that survived.
 *
 * <p>Memory. KEKs are few and kept whole. A DEK version is kept as a {@link DekIndex} slot (its
 * position and flags, no names, no key bytes); its value is read back by offset on first sight and
 * kept in a bounded LRU cache. Two DEK versions whose fingerprints collide are told apart by the
 * record key read back: the later one is kept whole, like a KEK. Losing claims, rare, are kept by
 * fingerprint. Subjects with a version other than 1 remember their highest version, so the latest
 * version is found by probing down from it.
 */
final class KeyTopicState {

  /** A snapshot of one entity: the winning claim, its current value, the losing claims seen. */
  record Entry(String winnerClaim, long claimOffset, StoredEntity value, Set<String> loserClaims) {
    Entry {
      loserClaims = Set.copyOf(loserClaims);
    }
  }

  /** An entity kept whole (KEKs, and DEKs whose fingerprint another DEK took first). */
  private static final class Slot {
    private String winnerClaim;
    private long claimOffset;
    private StoredEntity value;
    private final Set<String> loserClaims = new HashSet<>();

    private Slot(String winnerClaim, long claimOffset, StoredEntity value) {
      this.winnerClaim = winnerClaim;
      this.claimOffset = claimOffset;
      this.value = value;
    }
  }

  /** A DEK's parsed winner record, as cached. */
  private record Cached(String winnerClaim, StoredEntity value) {}

  private final KeyTopicRecords records;
  private final ToLongFunction<EntityId> fingerprint;
  private final Map<EntityId, Slot> whole = new HashMap<>();
  private final DekIndex index = new DekIndex();
  private final Map<Long, Set<String>> loserClaims = new HashMap<>();

  /**
   * The versions other than 1 that exist, by subject fingerprint: only subjects that rotate have an
   * entry. Versions leave with their winner's tombstone, so a record naming a huge version cannot
   * make {@link #latest} probe every number below it.
   */
  private final Map<Long, TreeSet<Integer>> laterVersions = new HashMap<>();

  private final LinkedHashMap<EntityId, Cached> cache;

  /**
   * @param records where DEK values are read back from
   * @param cacheMaxEntries how many parsed DEK versions to keep; 0 keeps none
   */
  KeyTopicState(KeyTopicRecords records, int cacheMaxEntries) {
    this(records, cacheMaxEntries, EntityHash::of);
  }

  /** With a chosen fingerprint, so that tests can make fingerprints collide. */
  KeyTopicState(
      KeyTopicRecords records, int cacheMaxEntries, ToLongFunction<EntityId> fingerprint) {
    this.records = records;
    this.fingerprint = fingerprint;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<EntityId, Cached> eldest) {
            return size() > cacheMaxEntries;
          }
        };
  }

  /** Applies one record; {@code value == null} is a tombstone. */
  void apply(RecordKey key, StoredEntity value, int partition, long offset) {
    EntityId id = key.entity();
    if (id.isKek() || whole.containsKey(id)) {
      applyWhole(key, value, offset);
      return;
    }
    long hash = fingerprint.applyAsLong(id);
    int slot = index.find(hash);
    long claimHash = EntityHash.ofClaim(key.claim());
    if (slot >= 0 && index.claimHash(slot) != claimHash) {
      Optional<KeyTopicRecords.Parsed> current =
          records.readAt(index.partition(slot), index.recordOffset(slot));
      if (current.isPresent() && !current.get().key().entity().equals(id)) {
        applyWhole(key, value, offset); // a fingerprint collision: keep this one whole
        return;
      }
      if (value != null) {
        applyRival(key, value, partition, offset, hash, slot, current);
        return;
      }
    }
    if (value == null) {
      applyDekTombstone(id, hash, slot, claimHash, key.claim());
      return;
    }
    long claimOffset = value.claimOffset() == StoredEntity.CLAIM ? offset : value.claimOffset();
    index.put(hash, partition, offset, claimOffset, claimHash, value.deleted());
    noteVersion(id);
    cache.computeIfPresent(id, (k, v) -> new Cached(key.claim(), value));
  }

  /** A claim or update under another claim id than the current winner's, of the same entity. */
  private void applyRival(
      RecordKey key,
      StoredEntity value,
      int partition,
      long offset,
      long hash,
      int slot,
      Optional<KeyTopicRecords.Parsed> current) {
    long claimOffset = value.claimOffset() == StoredEntity.CLAIM ? offset : value.claimOffset();
    if (claimOffset >= index.claimOffset(slot)) {
      loserClaims.computeIfAbsent(hash, h -> new HashSet<>()).add(key.claim());
      return;
    }
    Set<String> losers = loserClaims.computeIfAbsent(hash, h -> new HashSet<>());
    // Absent only when compaction removed it for a later record of the same key, not read yet:
    // that record will come as a rival and be recorded as a loser then.
    current.ifPresent(c -> losers.add(c.key().claim()));
    losers.remove(key.claim());
    index.put(
        hash, partition, offset, claimOffset, EntityHash.ofClaim(key.claim()), value.deleted());
    cache.remove(key.entity());
  }

  private void applyDekTombstone(EntityId id, long hash, int slot, long claimHash, String claim) {
    if (slot < 0) {
      return;
    }
    if (index.claimHash(slot) == claimHash) {
      index.remove(hash);
      loserClaims.remove(hash);
      cache.remove(id);
      forgetVersion(id);
    } else {
      Set<String> losers = loserClaims.get(hash);
      if (losers != null && losers.remove(claim) && losers.isEmpty()) {
        loserClaims.remove(hash);
      }
    }
  }

  private void applyWhole(RecordKey key, StoredEntity value, long offset) {
    Slot entry = whole.get(key.entity());
    if (value == null) {
      if (entry == null) {
        return;
      }
      if (entry.winnerClaim.equals(key.claim())) {
        whole.remove(key.entity());
        if (!key.entity().isKek()) {
          forgetVersion(key.entity());
        }
      } else {
        entry.loserClaims.remove(key.claim());
      }
      return;
    }
    long claimOffset = value.claimOffset() == StoredEntity.CLAIM ? offset : value.claimOffset();
    if (entry == null) {
      whole.put(key.entity(), new Slot(key.claim(), claimOffset, value));
      if (!key.entity().isKek()) {
        noteVersion(key.entity());
      }
    } else if (entry.winnerClaim.equals(key.claim())) {
      entry.value = value;
    } else if (claimOffset < entry.claimOffset) {
      entry.loserClaims.add(entry.winnerClaim);
      entry.loserClaims.remove(key.claim());
      entry.winnerClaim = key.claim();
      entry.claimOffset = claimOffset;
      entry.value = value;
    } else {
      entry.loserClaims.add(key.claim());
    }
  }

  private void noteVersion(EntityId id) {
    if (id.version() != 1) {
      laterVersions
          .computeIfAbsent(EntityHash.ofSubject(id), h -> new TreeSet<>())
          .add(id.version());
    }
  }

  private void forgetVersion(EntityId id) {
    if (id.version() == 1) {
      return;
    }
    long subject = EntityHash.ofSubject(id);
    TreeSet<Integer> versions = laterVersions.get(subject);
    if (versions != null && versions.remove(id.version()) && versions.isEmpty()) {
      laterVersions.remove(subject);
    }
  }

  /** The entity as it stands; a DEK not cached is read back by its offset. */
  Optional<Entry> entry(EntityId id) {
    Slot whole = this.whole.get(id);
    if (whole != null) {
      return Optional.of(
          new Entry(whole.winnerClaim, whole.claimOffset, whole.value, whole.loserClaims));
    }
    if (id.isKek()) {
      return Optional.empty();
    }
    long hash = fingerprint.applyAsLong(id);
    int slot = index.find(hash);
    if (slot < 0) {
      return Optional.empty();
    }
    Cached cached = cache.get(id);
    if (cached == null) {
      Optional<KeyTopicRecords.Parsed> read =
          records.readAt(index.partition(slot), index.recordOffset(slot));
      if (read.isEmpty() || !read.get().key().entity().equals(id)) {
        return Optional.empty(); // gone for a later record not read yet, or another entity
      }
      cached = new Cached(read.get().key().claim(), read.get().value());
      cache.put(id, cached);
    }
    return Optional.of(
        new Entry(
            cached.winnerClaim(),
            index.claimOffset(slot),
            cached.value(),
            loserClaims.getOrDefault(hash, Set.of())));
  }

  /** The highest version of {@code dek}, soft-deleted ones only with {@code includeDeleted}. */
  Optional<StoredEntity> latest(DekSubject dek, boolean includeDeleted) {
    EntityId first = EntityId.dek(dek, 1);
    TreeSet<Integer> later = laterVersions.get(EntityHash.ofSubject(first));
    if (later != null) {
      for (int version : later.descendingSet()) {
        Optional<StoredEntity> value = visible(EntityId.dek(dek, version), includeDeleted);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    return visible(first, includeDeleted);
  }

  private Optional<StoredEntity> visible(EntityId id, boolean includeDeleted) {
    return entry(id).map(Entry::value).filter(v -> includeDeleted || !v.deleted());
  }

  /**
   * Every entity that matches, soft-deleted ones only with {@code includeDeleted}, in no particular
   * order. DEKs are found by scanning the topic's record keys: an admin operation.
   */
  List<EntityId> find(Predicate<EntityId> filter, boolean includeDeleted) {
    List<EntityId> found = new ArrayList<>();
    whole.forEach(
        (id, slot) -> {
          if (filter.test(id) && (includeDeleted || !slot.value.deleted())) {
            found.add(id);
          }
        });
    Set<EntityId> seen = new HashSet<>();
    records.scan(
        (key, partition, offset) -> {
          EntityId id = key.entity();
          if (id.isKek() || whole.containsKey(id) || !filter.test(id)) {
            return;
          }
          int slot = index.find(fingerprint.applyAsLong(id));
          if (slot >= 0
              && index.partition(slot) == partition
              && index.recordOffset(slot) == offset
              && (includeDeleted || !index.deleted(slot))
              && seen.add(id)) {
            found.add(id);
          }
        });
    return found;
  }

  /** Every KEK, soft-deleted ones only with {@code includeDeleted}; from memory, no scan. */
  List<EntityId> keks(boolean includeDeleted) {
    List<EntityId> found = new ArrayList<>();
    whole.forEach(
        (id, slot) -> {
          if (id.isKek() && (includeDeleted || !slot.value.deleted())) {
            found.add(id);
          }
        });
    return found;
  }

  /** KEKs and DEK versions known. */
  int size() {
    return whole.size() + index.size();
  }

  /** Parsed DEK versions held in the cache (for tests and monitoring). */
  int cachedEntries() {
    return cache.size();
  }
}
