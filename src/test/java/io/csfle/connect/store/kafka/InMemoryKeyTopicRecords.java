package io.csfle.connect.store.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A key topic of one partition held in a map, as compaction leaves it: each record applied to the
 * state is also kept here, a tombstone or a later record of the same key removes the earlier
 * record, so a state reads back what a broker would still serve.
 */
final class InMemoryKeyTopicRecords implements KeyTopicRecords {
  private final TreeMap<Long, Parsed> log = new TreeMap<>();
  private KeyTopicState state;
  private int reads;

  KeyTopicState state(int cacheMaxEntries) {
    state = new KeyTopicState(this, cacheMaxEntries);
    return state;
  }

  /** A state on this log whose DEK fingerprints all collide. */
  KeyTopicState collidingState(int cacheMaxEntries) {
    state = new KeyTopicState(this, cacheMaxEntries, id -> 42L);
    return state;
  }

  /** Writes the record to this log (compacting its key) and applies it to the state. */
  void apply(RecordKey key, StoredEntity value, long offset) {
    log.values().removeIf(p -> p.key().equals(key));
    if (value != null) {
      log.put(offset, new Parsed(key, value, 0, offset));
    }
    state.apply(key, value, 0, offset);
  }

  /** Removes the record at {@code offset}, as the log cleaner may. */
  void compactAway(long offset) {
    log.remove(offset);
  }

  int reads() {
    return reads;
  }

  @Override
  public Optional<Parsed> readAt(int partition, long offset) {
    reads++;
    return partition == 0 ? Optional.ofNullable(log.get(offset)) : Optional.empty();
  }

  @Override
  public void scan(Visitor visitor) {
    for (Map.Entry<Long, Parsed> record : log.entrySet()) {
      visitor.visit(record.getValue().key(), 0, record.getKey());
    }
  }
}
