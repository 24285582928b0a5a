package io.csfle.connect.store.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The key topic read into memory: for each entity, the winning claim and its current value, plus
 * the losing claim keys seen (so a permanent delete can tombstone them). Pure: records go in with
 * their offsets, decisions come out, so the race and compaction rules are testable without a
 * broker. Not thread-safe; {@link KeyTopicLog} guards it.
 *
 * <p>The rule: the winner of an entity is the claim with the smallest claim offset. A claim's claim
 * offset is its own offset; an update carries the claim offset of the claim it continues. So when
 * compaction has removed the winner's claim record (superseded by an update under the same key),
 * the update still outranks any loser claim that survived.
 */
final class KeyTopicState {

  /** A snapshot of one entity: the winning claim, its current value, the losing claims seen. */
  record Entry(String winnerClaim, long claimOffset, StoredEntity value, Set<String> loserClaims) {
    Entry {
      loserClaims = Set.copyOf(loserClaims);
    }
  }

  /** The mutable state behind an {@link Entry}; never leaves this class. */
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

  private final Map<EntityId, Slot> entries = new HashMap<>();

  /** Applies one record; {@code value == null} is a tombstone. */
  void apply(RecordKey key, StoredEntity value, long offset) {
    Slot entry = entries.get(key.entity());
    if (value == null) {
      if (entry == null) {
        return;
      }
      if (entry.winnerClaim.equals(key.claim())) {
        entries.remove(key.entity());
      } else {
        entry.loserClaims.remove(key.claim());
      }
      return;
    }
    long claimOffset = value.claimOffset() == StoredEntity.CLAIM ? offset : value.claimOffset();
    if (entry == null) {
      entries.put(key.entity(), new Slot(key.claim(), claimOffset, value));
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

  Optional<Entry> entry(EntityId id) {
    Slot slot = entries.get(id);
    return slot == null
        ? Optional.empty()
        : Optional.of(new Entry(slot.winnerClaim, slot.claimOffset, slot.value, slot.loserClaims));
  }

  /** Every entity that matches, in no particular order. */
  List<EntityId> find(Predicate<EntityId> filter) {
    List<EntityId> found = new ArrayList<>();
    for (EntityId id : entries.keySet()) {
      if (filter.test(id)) {
        found.add(id);
      }
    }
    return found;
  }

  int size() {
    return entries.size();
  }
}
